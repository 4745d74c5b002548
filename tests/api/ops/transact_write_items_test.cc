// TransactWriteItems: all-or-nothing writes, positional cancellation reasons, request-level
// refusals, idempotency tokens and capacity.
// Expected messages: conformance/python/test_transactions.py.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

namespace {

// pk (S) with a GSI on g, as the conformance suite's transaction table.
void Table(HandlerFixture& f) {
  f.Ok("CreateTable", R"j({"TableName":"txn","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
                                 "Projection":{"ProjectionType":"ALL"}}]})j");
}

std::string Items(std::string_view actions, std::string_view extra = "") {
  return R"j({"TransactItems":[)j" + std::string(actions) + "]" + std::string(extra) + "}";
}

// The CancellationReasons an error carries, as canonical JSON.
std::string Reasons(const localddb::api::Outcome& o) {
  if (!o.error) return "<no error>";
  return Canon("{" + o.error->extra_json() + "}");
}

std::string Key(std::string_view pk) { return R"j({"pk":{"S":")j" + std::string(pk) + R"j("}})j"; }

}  // namespace

TEST_CASE("TransactWriteItems applies ConditionCheck, Put, Delete and Update together") {
  HandlerFixture f;
  Table(f);
  f.Put("txn", R"j({"pk":{"S":"keep"},"n":{"N":"1"}})j");
  f.Put("txn", R"j({"pk":{"S":"gone"},"g":{"S":"G"}})j");
  f.Put("txn", R"j({"pk":{"S":"upd"},"n":{"N":"5"}})j");
  auto out = f.Ok("TransactWriteItems", Items(R"j(
      {"ConditionCheck":{"TableName":"txn","Key":{"pk":{"S":"keep"}},"ConditionExpression":"n = :one","ExpressionAttributeValues":{":one":{"N":"1"}}}},
      {"Put":{"TableName":"txn","Item":{"pk":{"S":"new"},"g":{"S":"G"}},"ConditionExpression":"attribute_not_exists(pk)"}},
      {"Delete":{"TableName":"txn","Key":{"pk":{"S":"gone"}}}},
      {"Update":{"TableName":"txn","Key":{"pk":{"S":"upd"}},"UpdateExpression":"ADD n :two SET g = :g",
                 "ExpressionAttributeValues":{":two":{"N":"2"},":g":{"S":"G"}}}})j"));
  CHECK(Canon(out) == "{}");
  CHECK(f.Get("txn", Key("new")) == Canon(R"j({"pk":{"S":"new"},"g":{"S":"G"}})j"));
  CHECK(f.Get("txn", Key("gone")).empty());
  CHECK(f.Get("txn", Key("upd")) == Canon(R"j({"pk":{"S":"upd"},"n":{"N":"7"},"g":{"S":"G"}})j"));
  CHECK(f.Get("txn", Key("keep")) == Canon(R"j({"pk":{"S":"keep"},"n":{"N":"1"}})j"));
  auto index = f.Ok("Query", R"j({"TableName":"txn","IndexName":"by-g","KeyConditionExpression":"g = :g",
                                  "ExpressionAttributeValues":{":g":{"S":"G"}}})j");
  std::vector<std::string> pks;
  for (const auto& i : index["Items"].GetArray()) pks.push_back(Str(i["pk"]["S"]));
  std::sort(pks.begin(), pks.end());
  CHECK(pks == std::vector<std::string>{"new", "upd"});
}

TEST_CASE("TransactWriteItems: one failed condition cancels everything, reasons in request order") {
  HandlerFixture f;
  Table(f);
  f.Put("txn", R"j({"pk":{"S":"exists"},"v":{"S":"old"}})j");
  const auto o = f.Call("TransactWriteItems", Items(R"j(
      {"Put":{"TableName":"txn","Item":{"pk":{"S":"fresh"}},"ConditionExpression":"attribute_not_exists(pk)"}},
      {"Put":{"TableName":"txn","Item":{"pk":{"S":"exists"},"v":{"S":"new"}},"ConditionExpression":"attribute_not_exists(pk)",
              "ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},
      {"ConditionCheck":{"TableName":"txn","Key":{"pk":{"S":"exists"}},"ConditionExpression":"v = :x","ExpressionAttributeValues":{":x":{"S":"x"}}}})j"));
  // Two actions on "exists" are refused before any condition is looked at.
  CHECK(Describe(o) == "ValidationException: Transaction request cannot include multiple operations on one item");

  const auto cancelled = f.Call("TransactWriteItems", Items(R"j(
      {"Put":{"TableName":"txn","Item":{"pk":{"S":"fresh"}},"ConditionExpression":"attribute_not_exists(pk)"}},
      {"Put":{"TableName":"txn","Item":{"pk":{"S":"exists"},"v":{"S":"new"}},"ConditionExpression":"attribute_not_exists(pk)",
              "ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},
      {"ConditionCheck":{"TableName":"txn","Key":{"pk":{"S":"other"}},"ConditionExpression":"attribute_exists(pk)"}})j"));
  CHECK(Describe(cancelled) ==
        "TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for "
        "specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]");
  CHECK(Reasons(cancelled) == Canon(R"j({"CancellationReasons":[
      {"Code":"None"},
      {"Code":"ConditionalCheckFailed","Message":"The conditional request failed","Item":{"pk":{"S":"exists"},"v":{"S":"old"}}},
      {"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]})j"));
  CHECK(f.Get("txn", Key("fresh")).empty());  // nothing applied
  CHECK(f.Get("txn", Key("exists")) == Canon(R"j({"pk":{"S":"exists"},"v":{"S":"old"}})j"));
}

TEST_CASE("TransactWriteItems: invalid keys cancel with ValidationError reasons") {
  HandlerFixture f;
  Table(f);
  const auto put = f.Call("TransactWriteItems", Items(R"j({"Put":{"TableName":"txn","Item":{"pk":{"S":"ok"}}}},
                                                           {"Put":{"TableName":"txn","Item":{"pk":{"N":"5"}}}})j"));
  CHECK(Describe(put) ==
        "TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for "
        "specific reasons [None, ValidationError]");
  CHECK(Reasons(put) == Canon(R"j({"CancellationReasons":[{"Code":"None"},{"Code":"ValidationError",
      "Message":"One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"}]})j"));
  const auto del = f.Call("TransactWriteItems", Items(R"j({"Delete":{"TableName":"txn","Key":{"pk":{"N":"5"}}}})j"));
  CHECK(
      Reasons(del) ==
      Canon(
          R"j({"CancellationReasons":[{"Code":"ValidationError","Message":"The provided key element does not match the schema"}]})j"));
  CHECK(f.Get("txn", Key("ok")).empty());
}

TEST_CASE("TransactWriteItems ConsumedCapacity: each transactional write costs two units, per table") {
  HandlerFixture f;
  f.CreateTable("plain");
  f.CreateTable("second");
  auto out = f.Ok("TransactWriteItems", Items(R"j(
      {"Put":{"TableName":"plain","Item":{"pk":{"S":"a"}}}},
      {"Update":{"TableName":"plain","Key":{"pk":{"S":"b"}},"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"S":")j" +
                                                  std::string(1500, 'v') + R"j("}}}},
      {"Delete":{"TableName":"second","Key":{"pk":{"S":"c"}}}})j",
                                              R"j(,"ReturnConsumedCapacity":"TOTAL")j"));
  // plain: 1 unit for "a", 2 for the 1.5 KB "b", doubled; second: 1 unit doubled.
  CHECK(Canon(out) == Canon(R"j({"ConsumedCapacity":[{"TableName":"plain","CapacityUnits":6.0,"WriteCapacityUnits":6.0},
                                                     {"TableName":"second","CapacityUnits":2.0,"WriteCapacityUnits":2.0}]})j"));
}

TEST_CASE("TransactWriteItems: a ClientRequestToken makes a retry harmless") {
  HandlerFixture f;
  Table(f);
  f.Put("txn", R"j({"pk":{"S":"counter"},"n":{"N":"0"}})j");
  // Tokens live for the process: this one is used by no other test.
  const std::string add =
      Items(R"j({"Update":{"TableName":"txn","Key":{"pk":{"S":"counter"}},"UpdateExpression":"ADD n :one",
                                                "ExpressionAttributeValues":{":one":{"N":"1"}}}})j",
            R"j(,"ClientRequestToken":"handler-test-token-counter")j");
  CHECK(Canon(f.Ok("TransactWriteItems", add)) == "{}");
  CHECK(Canon(f.Ok("TransactWriteItems", add)) == "{}");
  CHECK(f.Get("txn", Key("counter")) == Canon(R"j({"pk":{"S":"counter"},"n":{"N":"1"}})j"));
  f.CheckErrors("TransactWriteItems",
                {
                    {Items(R"j({"Delete":{"TableName":"txn","Key":{"pk":{"S":"counter"}}}})j",
                           R"j(,"ClientRequestToken":"handler-test-token-counter")j"),
                     "IdempotentParameterMismatchException",
                     "The request uses the same client token as a previous, but non-identical request."},
                });
  CHECK_FALSE(f.Get("txn", Key("counter")).empty());
}

TEST_CASE("TransactWriteItems request-level refusals") {
  HandlerFixture f;
  Table(f);
  std::string many;
  for (int i = 0; i < 101; ++i)
    many += (i ? "," : "") + std::string(R"j({"Put":{"TableName":"txn","Item":{"pk":{"S":"x)j") + std::to_string(i) +
            R"j("}}}})j";
  f.CheckErrors(
      "TransactWriteItems",
      {
          {"[]", "SerializationException", "Start of list found where not expected"},
          {"{}", "ValidationException",
           "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not "
           "be null"},
          {Items("", R"j(,"ReturnConsumedCapacity":"ALL","ClientRequestToken":"")j"), "ValidationException",
           "2 validation errors detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: Member "
           "must "
           "satisfy enum value set: [INDEXES, TOTAL, NONE]; Value '' at 'clientRequestToken' failed to satisfy "
           "constraint: "
           "Member must have length greater than or equal to 1"},
          {Items(R"j({"Delete":{"TableName":"txn","Key":{"pk":{"S":"a"}}}})j",
                 R"j(,"ClientRequestToken":")j" + std::string(37, 't') + "\""),
           "ValidationException",
           "at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36",
           Match::kContains},
          {Items(""), "ValidationException",
           "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have "
           "length "
           "greater than or equal to 1"},
          {Items(many), "ValidationException",
           "1 validation error detected: Value at 'TransactItems' failed to satisfy constraint: Member must have "
           "length less "
           "than or equal to 100"},
          {Items(R"j("x")j"), "SerializationException", "Unexpected value type in payload"},
          {Items("{}"), "ValidationException", "TransactItems can only contain one of Check, Put, Update or Delete"},
          {Items(
               R"j({"Put":{"TableName":"txn","Item":{"pk":{"S":"a"}}},"Delete":{"TableName":"txn","Key":{"pk":{"S":"a"}}}})j"),
           "ValidationException", "TransactItems can only contain one of Check, Put, Update or Delete"},
          {Items(R"j({"Put":{}})j"), "ValidationException",
           "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be "
           "null; "
           "Value null at 'item' failed to satisfy constraint: Member must not be null"},
          {Items(R"j({"Delete":{"TableName":"txn","ReturnValuesOnConditionCheckFailure":"ALL_NEW"}})j"),
           "ValidationException",
           "2 validation errors detected: Value null at 'key' failed to satisfy constraint: Member must not be null; "
           "Value 'ALL_NEW' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy "
           "enum "
           "value set: [ALL_OLD, NONE]"},
          {Items(R"j({"ConditionCheck":{"TableName":"txn","Key":{"pk":{"S":"a"}}}})j"), "ValidationException",
           "The ConditionExpression parameter must be provided for a ConditionCheck action"},
          {Items(R"j({"Update":{"TableName":"txn","Key":{"pk":{"S":"a"}}}})j"), "ValidationException",
           "The UpdateExpression parameter must be provided for an Update action"},
          {Items(R"j({"Put":{"TableName":"txn","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_exists(pk)",
                         "ExpressionAttributeValues":{":v":{"S":"x"}}}})j"),
           "ValidationException", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}",
           Match::kContains},
          // conformance/python/test_transactions.py::test_request_level_refusals
          {Items(
               R"j({"Put":{"TableName":"txn","Item":{"pk":{"S":"d"}}}},{"Delete":{"TableName":"txn","Key":{"pk":{"S":"d"}}}})j"),
           "ValidationException", "Transaction request cannot include multiple operations on one item"},
          {Items(R"j({"Put":{"TableName":"no-such-table-tx","Item":{"pk":{"S":"x"}}}})j"), "ResourceNotFoundException",
           "Requested resource not found"},
          {Items(R"j({"Put":{"TableName":"txn","Item":{"pk":{"S":""}}}})j"), "ValidationException",
           "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
           "string value. Key: pk"},
      });
  CHECK(f.Ok("Scan", R"j({"TableName":"txn","Select":"COUNT"})j")["Count"].GetInt() == 0);
}
