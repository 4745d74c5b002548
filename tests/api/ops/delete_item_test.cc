// DeleteItem: removal (with index entries), conditions, ReturnValues ALL_OLD and validation.
// Expected messages: conformance/python/test_items.py and test_update_conditions.py.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

namespace {

std::string DeleteRequest(std::string_view key, std::string_view extra = "") {
  return R"j({"TableName":"items","Key":)j" + std::string(key) + std::string(extra) + "}";
}

const char* kKey = R"j({"pk":{"S":"a"}})j";

}  // namespace

TEST_CASE("DeleteItem removes the item and its index entries; ALL_OLD returns it") {
  HandlerFixture f;
  f.Ok("CreateTable", R"j({"TableName":"items","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
                                 "Projection":{"ProjectionType":"ALL"}}]})j");
  f.Put("items", R"j({"pk":{"S":"a"},"g":{"S":"G"},"v":{"N":"1"}})j");
  f.Put("items", R"j({"pk":{"S":"b"},"g":{"S":"G"}})j");

  auto out = f.Ok("DeleteItem", DeleteRequest(kKey, R"j(,"ReturnValues":"ALL_OLD","ReturnConsumedCapacity":"TOTAL")j"));
  CHECK(Canon(out["Attributes"]) == Canon(R"j({"pk":{"S":"a"},"g":{"S":"G"},"v":{"N":"1"}})j"));
  // Table write + the index entry removed.
  CHECK(Canon(out["ConsumedCapacity"]) == Canon(R"j({"TableName":"items","CapacityUnits":2.0})j"));
  CHECK(f.Get("items", kKey).empty());
  auto index = f.Ok("Query", R"j({"TableName":"items","IndexName":"by-g","KeyConditionExpression":"g = :g",
                                  "ExpressionAttributeValues":{":g":{"S":"G"}}})j");
  REQUIRE(index["Count"].GetInt() == 1);
  CHECK(Str(index["Items"][0]["pk"]["S"]) == "b");

  // Deleting what is not there succeeds, with no Attributes.
  auto again = f.Ok("DeleteItem", DeleteRequest(kKey, R"j(,"ReturnValues":"ALL_OLD")j"));
  CHECK(Members(again).empty());
}

TEST_CASE("DeleteItem conditions and ItemCollectionMetrics") {
  HandlerFixture f;
  f.CreateTable("items");
  f.Put("items", R"j({"pk":{"S":"a"},"v":{"N":"1"}})j");
  auto failed = f.Call(
      "DeleteItem",
      DeleteRequest(
          kKey,
          R"j(,"ConditionExpression":"v = :five","ExpressionAttributeValues":{":five":{"N":"5"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD")j"));
  CHECK(Describe(failed) == "ConditionalCheckFailedException: The conditional request failed");
  REQUIRE(failed.error);
  CHECK(Canon("{" + failed.error->extra_json() + "}") == Canon(R"j({"Item":{"pk":{"S":"a"},"v":{"N":"1"}}})j"));
  CHECK_FALSE(f.Get("items", kKey).empty());
  f.CheckErrors("DeleteItem",
                {
                    {DeleteRequest(kKey, R"j(,"Expected":{"v":{"Value":{"N":"2"}}})j"),
                     "ConditionalCheckFailedException", "The conditional request failed"},
                    {DeleteRequest(R"j({"pk":{"S":"missing"}})j", R"j(,"ConditionExpression":"attribute_exists(pk)")j"),
                     "ConditionalCheckFailedException", "The conditional request failed"},
                });
  auto out = f.Ok(
      "DeleteItem",
      DeleteRequest(
          kKey,
          R"j(,"ConditionExpression":"v = :one","ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnItemCollectionMetrics":"SIZE")j"));
  CHECK_FALSE(out.HasMember("ItemCollectionMetrics"));  // no local index on this table
  CHECK(f.Get("items", kKey).empty());

  f.Ok("CreateTable", R"j({"TableName":"lsi","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},
                              {"AttributeName":"score","AttributeType":"N"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
      "LocalSecondaryIndexes":[{"IndexName":"by-score","Projection":{"ProjectionType":"ALL"},
          "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"score","KeyType":"RANGE"}]}]})j");
  f.Put("lsi", R"j({"pk":{"S":"p"},"sk":{"S":"s"},"score":{"N":"3"}})j");
  auto metrics =
      f.Ok("DeleteItem",
           R"j({"TableName":"lsi","Key":{"pk":{"S":"p"},"sk":{"S":"s"}},"ReturnItemCollectionMetrics":"SIZE"})j");
  CHECK(Canon(metrics["ItemCollectionMetrics"]["ItemCollectionKey"]) == Canon(R"j({"pk":{"S":"p"}})j"));
}

TEST_CASE("DeleteItem validation errors") {
  HandlerFixture f;
  f.CreateTable("items");
  f.CheckErrors(
      "DeleteItem",
      {
          {"[]", "SerializationException", "Start of list found where not expected"},
          {R"j({"TableName":"items"})j", "ValidationException",
           "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null"},
          {R"j({"Key":{"pk":{"S":"a"}},"ReturnValues":"ALL"})j", "ValidationException",
           "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be "
           "null; "
           "Value 'ALL' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: "
           "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"},
          {DeleteRequest(kKey, R"j(,"ReturnValues":"ALL_NEW")j"), "ValidationException",
           "1 validation error detected: ReturnValues can only be ALL_OLD or NONE"},
          {DeleteRequest(kKey, R"j(,"ReturnValues":"UPDATED_NEW")j"), "ValidationException",
           "1 validation error detected: ReturnValues can only be ALL_OLD or NONE"},
          {R"j({"TableName":"no-such-table","Key":{"pk":{"S":"a"}}})j", "ResourceNotFoundException",
           "Requested resource not found"},
          {DeleteRequest(R"j({"pk":{"N":"1"}})j"), "ValidationException",
           "The provided key element does not match the schema"},
          {DeleteRequest(R"j({"pk":{"S":"a"},"sk":{"S":"b"}})j"), "ValidationException",
           "The provided key element does not match the schema"},
          // Value errors are enveloped in DeleteItem, like PutItem.
          {DeleteRequest(R"j({"pk":{"N":"x1"}})j"), "ValidationException",
           "1 validation error detected: The parameter cannot be converted to a numeric value: x1"},
          {DeleteRequest(
               kKey,
               R"j(,"ConditionExpression":"((attribute_exists(pk) AND v = :v))","ExpressionAttributeValues":{":v":{"N":"1"}})j"),
           "ValidationException",
           "1 validation error detected: Invalid ConditionExpression: The expression has redundant parentheses;"},
          {DeleteRequest(
               kKey, R"j(,"ConditionExpression":"attribute_exists(pk)","ExpressionAttributeValues":{":v":{"N":"1"}})j"),
           "ValidationException",
           "1 validation error detected: Value provided in ExpressionAttributeValues unused in expressions: keys: "
           "{:v}"},
      });
}
