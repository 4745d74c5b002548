// TransactGetItems: reads answered together, projections, capacity, and refusals.
// Expected messages: conformance/python/test_transactions.py::test_transact_get_items.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

namespace {

std::string Gets(std::string_view gets, std::string_view extra = "") {
  return R"j({"TransactItems":[)j" + std::string(gets) + "]" + std::string(extra) + "}";
}

}  // namespace

TEST_CASE("TransactGetItems answers each read in order, with projections and capacity") {
  HandlerFixture f;
  f.CreateTable("txn");
  f.CreateTable("other");
  f.Put("txn", R"j({"pk":{"S":"a"},"n":{"N":"1"},"s":{"S":"x"}})j");
  f.Put("txn", R"j({"pk":{"S":"b"},"n":{"N":"1"},"s":{"S":"y"}})j");
  f.Put("other", R"j({"pk":{"S":"o"}})j");
  auto out = f.Ok("TransactGetItems", Gets(R"j(
      {"Get":{"TableName":"txn","Key":{"pk":{"S":"a"}}}},
      {"Get":{"TableName":"txn","Key":{"pk":{"S":"missing"}}}},
      {"Get":{"TableName":"txn","Key":{"pk":{"S":"b"}},"ProjectionExpression":"#n","ExpressionAttributeNames":{"#n":"n"}}},
      {"Get":{"TableName":"other","Key":{"pk":{"S":"o"}}}})j",
                                           R"j(,"ReturnConsumedCapacity":"TOTAL")j"));
  CHECK(Canon(out["Responses"]) == Canon(R"j([{"Item":{"pk":{"S":"a"},"n":{"N":"1"},"s":{"S":"x"}}},{},
                                              {"Item":{"n":{"N":"1"}}},{"Item":{"pk":{"S":"o"}}}])j"));
  // Each transactional read of up to 4 KB costs two units.
  CHECK(Canon(out["ConsumedCapacity"]) == Canon(R"j([{"TableName":"other","CapacityUnits":2.0,"ReadCapacityUnits":2.0},
                                                     {"TableName":"txn","CapacityUnits":6.0,"ReadCapacityUnits":6.0}])j"));
  auto plain = f.Ok("TransactGetItems", Gets(R"j({"Get":{"TableName":"txn","Key":{"pk":{"S":"a"}}}})j"));
  CHECK(Members(plain) == std::vector<std::string>{"Responses"});
}

TEST_CASE("TransactGetItems refusals") {
  HandlerFixture f;
  f.CreateTable("txn");
  std::string many;
  for (int i = 0; i < 101; ++i)
    many += (i ? "," : "") + std::string(R"j({"Get":{"TableName":"txn","Key":{"pk":{"S":"k)j") + std::to_string(i) +
            R"j("}}}})j";
  f.CheckErrors(
      "TransactGetItems",
      {
          {"[]", "SerializationException", "Start of list found where not expected"},
          {R"j({"ReturnConsumedCapacity":"ALL"})j", "ValidationException",
           "1 validation error detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: Member "
           "must "
           "satisfy enum value set: [INDEXES, TOTAL, NONE]"},
          {"{}", "ValidationException",
           "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not "
           "be null"},
          {Gets(""), "ValidationException",
           "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have "
           "length "
           "greater than or equal to 1"},
          {Gets(many), "ValidationException",
           "1 validation error detected: Value at 'TransactItems' failed to satisfy constraint: Member must have "
           "length less "
           "than or equal to 100"},
          {Gets("1"), "SerializationException", "Unexpected value type in payload"},
          {Gets("{}"), "ValidationException",
           "1 validation error detected: Value null at 'get' failed to satisfy constraint: Member must not be null"},
          {Gets(R"j({"Get":{}})j"), "ValidationException",
           "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be "
           "null; "
           "Value null at 'key' failed to satisfy constraint: Member must not be null"},
          {Gets(R"j({"Get":{"TableName":"no-such-table","Key":{"pk":{"S":"a"}}}})j"), "ResourceNotFoundException",
           "Requested resource not found"},
          {Gets(
               R"j({"Get":{"TableName":"txn","Key":{"pk":{"S":"a"}}}},{"Get":{"TableName":"txn","Key":{"pk":{"S":"a"}}}})j"),
           "ValidationException", "Transaction request cannot include multiple operations on one item"},
          {Gets(R"j({"Get":{"TableName":"txn","Key":{"pk":{"S":""}}}})j"), "ValidationException",
           "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
           "string value. Key: pk"},
          {Gets(R"j({"Get":{"TableName":"txn","Key":{"pk":{"S":"a"}},"ProjectionExpression":"a, a"}})j"),
           "ValidationException",
           "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of "
           "these "
           "paths; path one: [a], path two: [a]"},
      });
  // A key that does not match the schema cancels the transaction with a ValidationError reason.
  const auto o = f.Call("TransactGetItems", Gets(R"j({"Get":{"TableName":"txn","Key":{"pk":{"S":"a"}}}},
                                                    {"Get":{"TableName":"txn","Key":{}}})j"));
  CHECK(Describe(o) ==
        "TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for "
        "specific reasons [None, ValidationError]");
  REQUIRE(o.error);
  CHECK(
      Canon("{" + o.error->extra_json() + "}") ==
      Canon(
          R"j({"CancellationReasons":[{"Code":"None"},{"Code":"ValidationError","Message":"The provided key element does not match the schema"}]})j"));
}
