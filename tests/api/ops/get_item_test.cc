// GetItem: point reads, projections, ConsumedCapacity and its validation (bare value-error wording).
// Expected messages: conformance/python/test_items.py and test_update_conditions.py.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

namespace {

std::string GetRequest(std::string_view key, std::string_view extra = "") {
  return R"j({"TableName":"items","Key":)j" + std::string(key) + std::string(extra) + "}";
}

const char* kKey = R"j({"pk":{"S":"a"},"sk":{"N":"1"}})j";

}  // namespace

TEST_CASE("GetItem returns the stored item, nothing for a missing one, and projects") {
  HandlerFixture f;
  f.CreateTable("items", "N");
  f.Put(
      "items",
      R"j({"pk":{"S":"a"},"sk":{"N":"1"},"m":{"M":{"b":{"L":[{"N":"1"},{"N":"2"},{"N":"3"}]},"c":{"S":"x"}}},"d":{"S":"y"}})j");

  auto whole = f.Ok("GetItem", GetRequest(kKey));
  CHECK(Members(whole) == std::vector<std::string>{"Item"});
  CHECK(
      Canon(whole["Item"]) ==
      Canon(
          R"j({"pk":{"S":"a"},"sk":{"N":"1"},"m":{"M":{"b":{"L":[{"N":"1"},{"N":"2"},{"N":"3"}]},"c":{"S":"x"}}},"d":{"S":"y"}})j"));

  auto missing = f.Ok("GetItem", GetRequest(R"j({"pk":{"S":"a"},"sk":{"N":"2"}})j"));
  CHECK(Members(missing).empty());

  auto projected = f.Ok(
      "GetItem", GetRequest(kKey, R"j(,"ProjectionExpression":"m.b[1], #d","ExpressionAttributeNames":{"#d":"d"})j"));
  CHECK(Canon(projected["Item"]) == Canon(R"j({"m":{"M":{"b":{"L":[{"N":"2"}]}}},"d":{"S":"y"}})j"));

  auto legacy = f.Ok("GetItem", GetRequest(kKey, R"j(,"AttributesToGet":["d","nothing"])j"));
  CHECK(Canon(legacy["Item"]) == Canon(R"j({"d":{"S":"y"}})j"));

  // A projection that matches nothing still answers an (empty) Item.
  auto empty = f.Ok("GetItem", GetRequest(kKey, R"j(,"ProjectionExpression":"nothing")j"));
  REQUIRE(empty.HasMember("Item"));
  CHECK(empty["Item"].ObjectEmpty());
}

TEST_CASE("GetItem ConsumedCapacity: 4 KB units, halved unless consistent, one unit for a miss") {
  HandlerFixture f;
  f.CreateTable("items", "N");
  f.Put("items", R"j({"pk":{"S":"a"},"sk":{"N":"1"},"v":{"S":")j" + std::string(5000, 'x') + R"j("}})j");
  auto eventual = f.Ok("GetItem", GetRequest(kKey, R"j(,"ReturnConsumedCapacity":"TOTAL")j"));
  CHECK(Canon(eventual["ConsumedCapacity"]) == Canon(R"j({"TableName":"items","CapacityUnits":1.0})j"));
  auto consistent = f.Ok("GetItem", GetRequest(kKey, R"j(,"ReturnConsumedCapacity":"TOTAL","ConsistentRead":true)j"));
  CHECK(consistent["ConsumedCapacity"]["CapacityUnits"].GetDouble() == 2.0);
  auto miss =
      f.Ok("GetItem", GetRequest(R"j({"pk":{"S":"b"},"sk":{"N":"1"}})j", R"j(,"ReturnConsumedCapacity":"INDEXES")j"));
  CHECK_FALSE(miss.HasMember("Item"));
  CHECK(Canon(miss["ConsumedCapacity"]) ==
        Canon(R"j({"TableName":"items","CapacityUnits":0.5,"Table":{"CapacityUnits":0.5}})j"));
  auto none = f.Ok("GetItem", GetRequest(kKey, R"j(,"ReturnConsumedCapacity":"NONE")j"));
  CHECK_FALSE(none.HasMember("ConsumedCapacity"));
}

TEST_CASE("GetItem validation errors") {
  HandlerFixture f;
  f.CreateTable("items", "N");
  f.CheckErrors(
      "GetItem",
      {
          {"[]", "SerializationException", "Start of list found where not expected"},
          {GetRequest(kKey, R"j(,"ConsistentRead":"yes")j"), "SerializationException",
           "STRING_VALUE can not be converted to a Boolean"},
          {R"j({})j", "ValidationException",
           "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be "
           "null; "
           "Value null at 'key' failed to satisfy constraint: Member must not be null"},
          {R"j({"TableName":"items","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ReturnConsumedCapacity":"ALL"})j",
           "ValidationException",
           "1 validation error detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: "
           "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"},
          {R"j({"TableName":"a b","Key":{}})j", "ValidationException",
           "1 validation error detected: Value 'a b' at 'tableName' failed to satisfy constraint: "
           "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"},
          {R"j({"TableName":"no-such-table","Key":{"pk":{"S":"x"}}})j", "ResourceNotFoundException",
           "Requested resource not found"},
          {GetRequest(R"j({"pk":{"S":"x"}})j"), "ValidationException",
           "The provided key element does not match the schema"},
          {GetRequest(R"j({"pk":{"S":"x"},"sk":{"N":"1"},"extra":{"S":"y"}})j"), "ValidationException",
           "The provided key element does not match the schema"},
          {GetRequest(R"j({"pk":{"S":"x"},"sk":{"S":"1"}})j"), "ValidationException",
           "The provided key element does not match the schema"},
          {GetRequest(R"j({"pk":{"S":""},"sk":{"N":"1"}})j"), "ValidationException",
           "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
           "string value. Key: pk"},
          // Value errors are bare here (no envelope), unlike PutItem's.
          {GetRequest(R"j({"pk":{"S":"x"},"sk":{"N":"abc"}})j"), "ValidationException",
           "The parameter cannot be converted to a numeric value: abc"},
          {GetRequest(kKey, R"j(,"ProjectionExpression":"m, m.b")j"), "ValidationException",
           "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of "
           "these "
           "paths; path one: [m], path two: [m, b]"},
          {GetRequest(kKey, R"j(,"ProjectionExpression":"d","ExpressionAttributeNames":{"#d":"d"})j"),
           "ValidationException", "Value provided in ExpressionAttributeNames unused in expressions: keys: {#d}"},
          {GetRequest(kKey, R"j(,"ProjectionExpression":"d","AttributesToGet":["d"])j"), "ValidationException",
           "Can not use both expression and non-expression parameters in the same request: "
           "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"},
      });
}
