// PutItem: request validation (member order, enums, envelope wording of value and expression
// errors), key and size checks, conditions, ReturnValues, capacity and collection metrics.
// Expected messages: conformance/python/test_items.py and test_update_conditions.py.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

namespace {

const std::string kEnvelope = "1 validation error detected: ";

// pk (S) + sk (N), as conformance's test_items.py table.
void Items(HandlerFixture& f) { f.CreateTable("items", "N"); }

std::string PutRequest(std::string_view item, std::string_view extra = "") {
  return R"({"TableName":"items","Item":)" + std::string(item) + std::string(extra) + "}";
}

}  // namespace

TEST_CASE("PutItem stores the item and GetItem returns it with numbers normalised") {
  HandlerFixture f;
  Items(f);
  auto out = f.Ok("PutItem", PutRequest(R"({"pk":{"S":"a"},"sk":{"N":"1"},"n":{"N":"-12.50"},"ss":{"SS":["b","a"]}})"));
  CHECK(Members(out).empty());  // no ReturnValues, no capacity asked: {}
  CHECK(f.Get("items", R"({"pk":{"S":"a"},"sk":{"N":"1"}})") ==
        Canon(R"({"pk":{"S":"a"},"sk":{"N":"1"},"n":{"N":"-12.5"},"ss":{"SS":["a","b"]}})"));
  // A second put replaces the whole item.
  f.Put("items", R"({"pk":{"S":"a"},"sk":{"N":"1"},"x":{"BOOL":true}})");
  CHECK(f.Get("items", R"({"pk":{"S":"a"},"sk":{"N":"1.0"}})") ==
        Canon(R"({"pk":{"S":"a"},"sk":{"N":"1"},"x":{"BOOL":true}})"));
}

TEST_CASE("PutItem ReturnValues ALL_OLD returns the replaced item only") {
  HandlerFixture f;
  Items(f);
  auto first = f.Ok("PutItem",
                    PutRequest(R"({"pk":{"S":"rv"},"sk":{"N":"1"},"v":{"S":"one"}})", R"(,"ReturnValues":"ALL_OLD")"));
  CHECK_FALSE(first.HasMember("Attributes"));
  auto second = f.Ok("PutItem",
                     PutRequest(R"({"pk":{"S":"rv"},"sk":{"N":"1"},"v":{"S":"two"}})", R"(,"ReturnValues":"ALL_OLD")"));
  REQUIRE(second.HasMember("Attributes"));
  CHECK(Canon(second["Attributes"]) == Canon(R"({"pk":{"S":"rv"},"sk":{"N":"1"},"v":{"S":"one"}})"));
  auto none = f.Ok("PutItem", PutRequest(R"({"pk":{"S":"rv"},"sk":{"N":"1"}})", R"(,"ReturnValues":"NONE")"));
  CHECK_FALSE(none.HasMember("Attributes"));
}

TEST_CASE("PutItem ConsumedCapacity counts 1 KB write units of the larger image, per index with INDEXES") {
  HandlerFixture f;
  f.Ok("CreateTable", R"({"TableName":"capacity","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
                                 "Projection":{"ProjectionType":"ALL"}}]})");
  const std::string big(1500, 'x');
  auto total =
      f.Ok("PutItem", R"({"TableName":"capacity","ReturnConsumedCapacity":"TOTAL","Item":{"pk":{"S":"a"},"v":{"S":")" +
                          big + R"("}}})");
  CHECK(Canon(total["ConsumedCapacity"]) == Canon(R"({"TableName":"capacity","CapacityUnits":2.0})"));
  // Replacing the 1.5 KB item with a small one is charged for the larger (old) image.
  auto smaller =
      f.Ok("PutItem", R"({"TableName":"capacity","ReturnConsumedCapacity":"TOTAL","Item":{"pk":{"S":"a"}}})");
  CHECK(smaller["ConsumedCapacity"]["CapacityUnits"].GetDouble() == 2.0);
  auto indexes =
      f.Ok("PutItem",
           R"({"TableName":"capacity","ReturnConsumedCapacity":"INDEXES","Item":{"pk":{"S":"b"},"g":{"S":"G"}}})");
  CHECK(Canon(indexes["ConsumedCapacity"]) ==
        Canon(R"({"TableName":"capacity","CapacityUnits":2.0,"Table":{"CapacityUnits":1.0},
                  "GlobalSecondaryIndexes":{"by-g":{"CapacityUnits":1.0}}})"));
}

TEST_CASE("PutItem conditions: expression, legacy Expected, and the old item on failure") {
  HandlerFixture f;
  Items(f);
  const std::string item = R"({"pk":{"S":"c"},"sk":{"N":"1"},"v":{"N":"1"}})";
  f.Ok("PutItem", PutRequest(item, R"j(,"ConditionExpression":"attribute_not_exists(pk)")j"));
  f.CheckErrors("PutItem", {
                               {PutRequest(item, R"j(,"ConditionExpression":"attribute_not_exists(pk)")j"),
                                "ConditionalCheckFailedException", "The conditional request failed"},
                               {PutRequest(item, R"(,"Expected":{"pk":{"Exists":false}})"),
                                "ConditionalCheckFailedException", "The conditional request failed"},
                           });
  // Without ReturnValuesOnConditionCheckFailure the error carries no item; with ALL_OLD it does.
  auto plain =
      f.Call("PutItem",
             PutRequest(item, R"(,"ConditionExpression":"v = :two","ExpressionAttributeValues":{":two":{"N":"2"}})"));
  REQUIRE(plain.error);
  CHECK(plain.error->extra_json().empty());
  auto with_old = f.Call(
      "PutItem", PutRequest(R"({"pk":{"S":"c"},"sk":{"N":"1"}})",
                            R"(,"ConditionExpression":"v = :two","ExpressionAttributeValues":{":two":{"N":"2"}},)"
                            R"("ReturnValuesOnConditionCheckFailure":"ALL_OLD")"));
  REQUIRE(with_old.error);
  CHECK(with_old.error->name() == "ConditionalCheckFailedException");
  CHECK(Canon("{" + with_old.error->extra_json() + "}") == Canon(R"({"Item":)" + item + "}"));
  // The failed puts changed nothing; a passing condition writes.
  CHECK(f.Get("items", R"({"pk":{"S":"c"},"sk":{"N":"1"}})") == Canon(item));
  f.Ok("PutItem", PutRequest(R"({"pk":{"S":"c"},"sk":{"N":"1"},"v":{"N":"3"}})",
                             R"(,"ConditionExpression":"v = :one","ExpressionAttributeValues":{":one":{"N":"1"}})"));
  CHECK(f.Get("items", R"({"pk":{"S":"c"},"sk":{"N":"1"}})") ==
        Canon(R"({"pk":{"S":"c"},"sk":{"N":"1"},"v":{"N":"3"}})"));
}

TEST_CASE("PutItem ItemCollectionMetrics only for tables with a local index") {
  HandlerFixture f;
  Items(f);
  f.Ok("CreateTable", R"({"TableName":"lsi","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},
                              {"AttributeName":"score","AttributeType":"N"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
      "LocalSecondaryIndexes":[{"IndexName":"by-score","Projection":{"ProjectionType":"KEYS_ONLY"},
          "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"score","KeyType":"RANGE"}]}]})");
  auto out = f.Ok("PutItem", R"({"TableName":"lsi","ReturnItemCollectionMetrics":"SIZE",
                                 "Item":{"pk":{"S":"p"},"sk":{"S":"new"},"score":{"N":"1"}}})");
  REQUIRE(out.HasMember("ItemCollectionMetrics"));
  CHECK(Canon(out["ItemCollectionMetrics"]["ItemCollectionKey"]) == Canon(R"({"pk":{"S":"p"}})"));
  CHECK(out["ItemCollectionMetrics"]["SizeEstimateRangeGB"].Size() == 2);
  auto plain =
      f.Ok("PutItem", PutRequest(R"({"pk":{"S":"p"},"sk":{"N":"1"}})", R"(,"ReturnItemCollectionMetrics":"SIZE")"));
  CHECK_FALSE(plain.HasMember("ItemCollectionMetrics"));
}

TEST_CASE("PutItem member violations, listed in DynamoDB's order") {
  HandlerFixture f;
  Items(f);
  const std::string ok_item = R"({"pk":{"S":"a"},"sk":{"N":"1"}})";
  f.CheckErrors(
      "PutItem",
      {
          {"[]", "SerializationException", "Start of list found where not expected"},
          {R"({"TableName":5,"Item":{}})", "SerializationException", "NUMBER_VALUE cannot be converted to String"},
          {R"({"TableName":"items","Item":"x"})", "SerializationException", "Unexpected value type in payload"},
          {R"({"Item":)" + ok_item + "}", "ValidationException",
           "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be "
           "null"},
          {R"({"TableName":"items"})", "ValidationException",
           "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null"},
          {R"({"TableName":"bad$name","Item":)" + ok_item + "}", "ValidationException",
           "1 validation error detected: Value 'bad$name' at 'tableName' failed to satisfy constraint: "
           "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"},
          {R"({"TableName":")" + std::string(256, 'a') + R"(","Item":)" + ok_item + "}", "ValidationException",
           "at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255",
           Match::kContains},
          {R"({"TableName":"","ReturnConsumedCapacity":"INVALID","ReturnValues":"INVALID",
           "ReturnItemCollectionMetrics":"INVALID","ReturnValuesOnConditionCheckFailure":"INVALID"})",
           "ValidationException",
           "6 validation errors detected: "
           "Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value "
           "set: [INDEXES, TOTAL, NONE]; "
           "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1; "
           "Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: "
           "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "
           "Value null at 'item' failed to satisfy constraint: Member must not be null; "
           "Value 'INVALID' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum "
           "value set: [SIZE, NONE]; "
           "Value 'INVALID' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy "
           "enum value set: "
           "[ALL_OLD, NONE]"},
          {PutRequest(ok_item, R"(,"ReturnValues":"ALL_NEW")"), "ValidationException",
           "1 validation error detected: ReturnValues can only be ALL_OLD or NONE"},
          {PutRequest(ok_item, R"(,"ReturnValues":"UPDATED_OLD")"), "ValidationException",
           "1 validation error detected: ReturnValues can only be ALL_OLD or NONE"},
          {R"({"TableName":"no-such-table","Item":)" + ok_item + "}", "ResourceNotFoundException",
           "Requested resource not found"},
      });
}

TEST_CASE("PutItem key, size and index-key checks") {
  HandlerFixture f;
  Items(f);
  f.Ok("CreateTable", R"({"TableName":"strings","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},
                              {"AttributeName":"g","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
      "GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
                                 "Projection":{"ProjectionType":"ALL"}}]})");
  const std::string invalid = "One or more parameter values were invalid: ";
  f.CheckErrors(
      "PutItem",
      {
          {PutRequest(R"({"pk":{"S":"x"}})"), "ValidationException", invalid + "Missing the key sk in the item"},
          {PutRequest(R"({"pk":{"S":"x"},"sk":{"S":"1"}})"), "ValidationException",
           invalid + "Type mismatch for key sk expected: N actual: S"},
          {PutRequest(R"({"pk":{"S":""},"sk":{"N":"1"}})"), "ValidationException",
           "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
           "string value. Key: pk"},
          {PutRequest(R"({"pk":{"S":"big"},"sk":{"N":"1"},"v":{"S":")" + std::string(400 * 1024, 'x') + R"("}})"),
           "ValidationException", "Item size has exceeded the maximum allowed size"},
          {PutRequest(R"({"pk":{"S":")" + std::string(2049, 'h') + R"("},"sk":{"N":"1"}})"), "ValidationException",
           invalid + "Size of hashkey has exceeded the maximum size limit of2048 bytes"},
          {R"({"TableName":"strings","Item":{"pk":{"S":"a"},"sk":{"S":")" + std::string(1025, 'r') + R"("}}})",
           "ValidationException",
           invalid + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"},
          {R"({"TableName":"strings","Item":{"pk":{"S":"a"},"sk":{"S":"b"},"g":{"N":"1"}}})", "ValidationException",
           invalid + "Type mismatch for Index Key g Expected: S Actual: N IndexName: by-g"},
          {R"({"TableName":"strings","Item":{"pk":{"S":"a"},"sk":{"S":"b"},"g":{"S":""}}})", "ValidationException",
           "One or more parameter values are not valid. A value specified for a secondary index key is not supported. "
           "The AttributeValue for a key attribute cannot contain an empty string value. IndexName: by-g, IndexKey: g"},
      });
  // Nothing was written by any of them.
  auto scan = f.Ok("Scan", R"({"TableName":"items"})");
  CHECK(scan["Count"].GetInt() == 0);
}

TEST_CASE("PutItem reports attribute-value errors inside the validation envelope") {
  HandlerFixture f;
  Items(f);
  auto with_value = [](std::string_view v) {
    return PutRequest(R"({"pk":{"S":"bad"},"sk":{"N":"1"},"v":)" + std::string(v) + "}");
  };
  f.CheckErrors(
      "PutItem",
      {
          {with_value(R"({"N":"abc"})"), "ValidationException",
           kEnvelope + "The parameter cannot be converted to a numeric value: abc"},
          {with_value(R"({"N":"1E+126"})"), "ValidationException",
           kEnvelope + "Number overflow. Attempting to store a number with magnitude larger than supported range"},
          {with_value(R"({"N":"1E-131"})"), "ValidationException",
           kEnvelope + "Number underflow. Attempting to store a number with magnitude smaller than supported range"},
          {with_value(R"({"N":"123456789012345678901234567890123456789"})"), "ValidationException",
           kEnvelope + "Attempting to store more than 38 significant digits in a Number"},
          {with_value(R"({"SS":[]})"), "ValidationException",
           kEnvelope + "One or more parameter values were invalid: An string set  may not be empty"},
          {with_value(R"({"SS":["b","a","b"]})"), "ValidationException",
           kEnvelope +
               R"(One or more parameter values were invalid: Input collection ["a", "b", "b"] contains duplicates.)"},
          {with_value(R"({"NS":["2","1","2"]})"), "ValidationException",
           kEnvelope + "One or more parameter values were invalid: Input collection contains duplicates."},
          {with_value(R"({"NULL":false})"), "ValidationException",
           kEnvelope +
               "One or more parameter values were invalid: Null attribute value types must have the value of true"},
          {with_value("{}"), "ValidationException",
           "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
          {with_value(R"({"S":"a","N":"1"})"), "ValidationException",
           "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported "
           "datatypes"},
      });
}

TEST_CASE("PutItem expression errors: envelope, substitutions, and mixing with legacy parameters") {
  HandlerFixture f;
  Items(f);
  const std::string item = R"({"pk":{"S":"e"},"sk":{"N":"1"}})";
  f.CheckErrors(
      "PutItem",
      {
          {PutRequest(item, R"(,"ConditionExpression":"a = a")"), "ValidationException",
           kEnvelope +
               "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this "
               "operator or function; operator: =, first operand: [a]"},
          {PutRequest(
               item,
               R"j(,"ConditionExpression":"((attribute_exists(pk) AND v = :v))","ExpressionAttributeValues":{":v":{"N":"1"}})j"),
           "ValidationException", kEnvelope + "Invalid ConditionExpression: The expression has redundant parentheses;"},
          {PutRequest(
               item, R"j(,"ConditionExpression":"attribute_exists(pk)","ExpressionAttributeValues":{":v":{"S":"x"}})j"),
           "ValidationException",
           kEnvelope + "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"},
          {PutRequest(
               item,
               R"j(,"ConditionExpression":"attribute_exists(#a)","ExpressionAttributeNames":{"#a":"pk","#b":"x"})j"),
           "ValidationException",
           kEnvelope + "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}"},
          {PutRequest(item, R"j(,"ConditionExpression":"attribute_exists(#nope)")j"), "ValidationException",
           kEnvelope +
               "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; "
               "attribute name: #nope"},
          {PutRequest(item, R"(,"ExpressionAttributeNames":{"#a":"pk"})"), "ValidationException",
           kEnvelope + "ExpressionAttributeNames can only be specified when using expressions"},
          {PutRequest(item, R"(,"ExpressionAttributeValues":{})"), "ValidationException",
           kEnvelope + "ExpressionAttributeValues must not be empty"},
          {PutRequest(item,
                      R"j(,"Expected":{"pk":{"Exists":false}},"ConditionExpression":"attribute_not_exists(pk)")j"),
           "ValidationException",
           "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: "
           "{Expected} Expression parameters: {ConditionExpression}",
           Match::kContains},
      });
}
