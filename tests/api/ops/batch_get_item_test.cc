// BatchGetItem: reads over several tables with projections and capacity, and its validation.
// Expected messages: conformance/python/test_items.py and test_update_conditions.py.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

namespace {

std::string Keys(std::string_view prefix, int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += (i ? "," : "") + std::string(R"j({"pk":{"S":")j") + std::string(prefix) + std::to_string(i) + R"j("}})j";
  return "[" + out + "]";
}

}  // namespace

TEST_CASE("BatchGetItem answers per table, leaves out missing keys, and projects") {
  HandlerFixture f;
  f.CreateTable("items");
  f.CreateTable("other");
  f.Put("items", R"j({"pk":{"S":"a"},"d":{"S":"y"},"n":{"N":"1"}})j");
  f.Put("items", R"j({"pk":{"S":"b"},"d":{"S":"z"}})j");
  f.Put("other", R"j({"pk":{"S":"o"},"x":{"BOOL":true}})j");

  auto out = f.Ok("BatchGetItem", R"j({"RequestItems":{
      "items":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"missing"}},{"pk":{"S":"b"}}],"ProjectionExpression":"#d","ExpressionAttributeNames":{"#d":"d"}},
      "other":{"Keys":[{"pk":{"S":"o"}}],"ConsistentRead":true}}})j");
  CHECK(Canon(out["UnprocessedKeys"]) == "{}");
  CHECK_FALSE(out.HasMember("ConsumedCapacity"));
  // Responses come in key order within a table here; DynamoDB promises no order, so compare as a set.
  std::vector<std::string> items;
  for (const auto& i : out["Responses"]["items"].GetArray()) items.push_back(Canon(i));
  std::sort(items.begin(), items.end());
  CHECK(items == std::vector<std::string>{Canon(R"j({"d":{"S":"y"}})j"), Canon(R"j({"d":{"S":"z"}})j")});
  REQUIRE(out["Responses"]["other"].Size() == 1);
  CHECK(Canon(out["Responses"]["other"][0]) == Canon(R"j({"pk":{"S":"o"},"x":{"BOOL":true}})j"));

  auto legacy =
      f.Ok("BatchGetItem", R"j({"RequestItems":{"items":{"Keys":[{"pk":{"S":"a"}}],"AttributesToGet":["n"]}}})j");
  CHECK(Canon(legacy["Responses"]["items"]) == Canon(R"j([{"n":{"N":"1"}}])j"));
  auto none = f.Ok("BatchGetItem", R"j({"RequestItems":{"items":{"Keys":[{"pk":{"S":"nothing"}}]}}})j");
  CHECK(Canon(none["Responses"]) == Canon(R"j({"items":[]})j"));
}

TEST_CASE("BatchGetItem ConsumedCapacity per table: half units unless consistent") {
  HandlerFixture f;
  f.CreateTable("items");
  f.CreateTable("other");
  f.Put("items", R"j({"pk":{"S":"a"}})j");
  f.Put("other", R"j({"pk":{"S":"b"},"v":{"S":")j" + std::string(5000, 'v') + R"j("}})j");
  auto out = f.Ok("BatchGetItem", R"j({"ReturnConsumedCapacity":"TOTAL","RequestItems":{
      "items":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"gone"}}]},
      "other":{"Keys":[{"pk":{"S":"b"}}],"ConsistentRead":true}}})j");
  CHECK(Canon(out["ConsumedCapacity"]) == Canon(R"j([{"TableName":"items","CapacityUnits":1.0},
                                                     {"TableName":"other","CapacityUnits":2.0}])j"));
}

TEST_CASE("BatchGetItem request validation") {
  HandlerFixture f;
  f.CreateTable("items");
  f.CreateTable("other");
  const std::string map_keys =
      "at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less "
      "than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular "
      "expression pattern: [a-zA-Z0-9_.-]+]";
  f.CheckErrors(
      "BatchGetItem",
      {
          {"[]", "SerializationException", "Start of list found where not expected"},
          {"{}", "ValidationException",
           "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be "
           "null"},
          {R"j({"RequestItems":{}})j", "ValidationException",
           "1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: Member must have length "
           "greater than or equal to 1"},
          {R"j({"RequestItems":{},"ReturnConsumedCapacity":"ALL"})j", "ValidationException",
           "2 validation errors detected: Value at 'RequestItems' failed to satisfy constraint: Member must have "
           "length "
           "greater than or equal to 1; Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: Member "
           "must "
           "satisfy enum value set: [INDEXES, TOTAL, NONE]"},
          {R"j({"RequestItems":{"items":[]}})j", "SerializationException", "Start of list found where not expected"},
          {R"j({"RequestItems":{"items":{"Keys":{}}}})j", "SerializationException",
           "Start of structure or map found where not expected."},
          {R"j({"RequestItems":{"items":{"Keys":[{"pk":{"S":"a"}}],"ConsistentRead":"yes"}}})j",
           "SerializationException", "STRING_VALUE can not be converted to a Boolean"},
          {R"j({"RequestItems":{"a$":{"Keys":[{"pk":{"S":"x"}}]}}})j", "ValidationException",
           R"j(1 validation error detected: Value '{"a$":{"Keys":[{"pk":{"S":"x"}}]}}' )j" + map_keys},
          // However many keys break the constraint, one violation.
          {R"j({"RequestItems":{"a$":{"Keys":[{"pk":{"S":"x"}}]},"b!":{"Keys":[{"pk":{"S":"x"}}]}}})j",
           "ValidationException", "1 validation error detected: Value '{", Match::kContains},
          {R"j({"RequestItems":{"items":{}}})j", "ValidationException",
           "1 validation error detected: Value null at 'requestItems.items.member.keys' failed to satisfy constraint: "
           "Member must not be null"},
          {R"j({"RequestItems":{"items":{"Keys":[]}}})j", "ValidationException",
           "1 validation error detected: Value at 'RequestItems.items.member.Keys' failed to satisfy constraint: "
           "Member "
           "must have length greater than or equal to 1"},
          {R"j({"RequestItems":{"items":{"Keys":)j" + Keys("k", 101) + "}}}", "ValidationException",
           "1 validation error detected: Value at 'RequestItems.items.member.Keys' failed to satisfy constraint: "
           "Member "
           "must have length less than or equal to 100"},
          {R"j({"RequestItems":{"items":{"Keys":)j" + Keys("k", 60) + R"j(},"other":{"Keys":)j" + Keys("k", 60) + "}}}",
           "ValidationException", "Too many items requested for the BatchGetItem call"},
          {R"j({"RequestItems":{"items":{"Keys":[{"pk":{"S":"a"}}],"ProjectionExpression":"a"},
                            "other":{"Keys":[{"pk":{"S":"a"}}],"AttributesToGet":["a"]}}})j",
           "ValidationException",
           "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: "
           "{AttributesToGet} Expression parameters: {ProjectionExpression}"},
          {R"j({"RequestItems":{"no-such-table":{"Keys":[{"pk":{"S":"a"}}]}}})j", "ResourceNotFoundException",
           "Requested resource not found"},
          {R"j({"RequestItems":{"items":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"a"}}]}}})j", "ValidationException",
           "Provided list of item keys contains duplicates"},
          {R"j({"RequestItems":{"items":{"Keys":[{"pk":{"N":"1"}}]}}})j", "ValidationException",
           "The provided key element does not match the schema"},
          {R"j({"RequestItems":{"items":{"Keys":[{"pk":{"S":"p"}}],"ProjectionExpression":"a, a"}}})j",
           "ValidationException",
           "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of "
           "these "
           "paths; path one: [a], path two: [a]"},
          {R"j({"RequestItems":{"items":{"Keys":[{"pk":{"S":"p"}}],"ExpressionAttributeValues":{":v":{"S":"x"}}}}})j",
           "ValidationException", "ExpressionAttributeValues can only be specified when using expressions"},
      });
}
