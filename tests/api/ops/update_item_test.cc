// UpdateItem: update actions, upserts, every ReturnValues mode, legacy AttributeUpdates,
// conditions and the errors of the expression and of applying it.
// Expected messages: conformance/python/test_update_conditions.py.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

namespace {

std::string Update(std::string_view key, std::string_view extra) {
  return R"j({"TableName":"items","Key":)j" + std::string(key) + std::string(extra) + "}";
}

const char* kKey = R"j({"pk":{"S":"u1"}})j";

}  // namespace

TEST_CASE("UpdateItem applies SET, REMOVE, ADD and DELETE together") {
  HandlerFixture f;
  f.CreateTable("items");
  f.Put("items", R"j({"pk":{"S":"u1"},"a":{"N":"1"},"l":{"L":[{"N":"1"},{"N":"2"},{"N":"3"}]},"s":{"SS":["x","y"]},
                      "s2":{"SS":["x","q"]},"m":{"M":{"k":{"S":"v"}}}})j");
  auto out = f.Ok("UpdateItem", Update(kKey, R"j(,
      "UpdateExpression":"SET a = a + :one, l[5] = :four, m.k2 = :v, n = if_not_exists(n, :z) REMOVE l[0] ADD s :more DELETE s2 :gone",
      "ExpressionAttributeValues":{":one":{"N":"1"},":four":{"N":"4"},":v":{"S":"w"},":z":{"N":"10"},
                                   ":more":{"SS":["z"]},":gone":{"SS":["x"]}},
      "ReturnValues":"ALL_NEW")j"));
  CHECK(Canon(out["Attributes"]) ==
        Canon(R"j({"pk":{"S":"u1"},"a":{"N":"2"},"n":{"N":"10"},"l":{"L":[{"N":"2"},{"N":"3"},{"N":"4"}]},
                   "s":{"SS":["x","y","z"]},"s2":{"SS":["q"]},"m":{"M":{"k":{"S":"v"},"k2":{"S":"w"}}}})j"));
  // What ALL_NEW answered is what was stored.
  CHECK(f.Get("items", kKey) == Canon(out["Attributes"]));
}

TEST_CASE("UpdateItem ReturnValues: NONE, ALL_OLD, UPDATED_OLD, UPDATED_NEW fragments") {
  HandlerFixture f;
  f.CreateTable("items");
  f.Put("items",
        R"j({"pk":{"S":"u1"},"parent":{"M":{"keep":{"S":"k"},"child":{"S":"old"}}},"c":{"N":"10"},"y":{"S":"drop"}})j");

  auto none = f.Ok("UpdateItem",
                   Update(kKey, R"j(,"UpdateExpression":"SET c = :v","ExpressionAttributeValues":{":v":{"N":"10"}})j"));
  CHECK(Members(none).empty());

  auto updated_new = f.Ok("UpdateItem", Update(kKey, R"j(,"UpdateExpression":"SET parent.child = :v, c = (c - :three)",
      "ExpressionAttributeValues":{":v":{"S":"new"},":three":{"N":"3"}},"ReturnValues":"UPDATED_NEW")j"));
  CHECK(Canon(updated_new["Attributes"]) == Canon(R"j({"parent":{"M":{"child":{"S":"new"}}},"c":{"N":"7"}})j"));

  // REMOVE leaves nothing to show as UPDATED_NEW: no Attributes at all.
  auto removed = f.Ok("UpdateItem", Update(kKey, R"j(,"UpdateExpression":"REMOVE y","ReturnValues":"UPDATED_NEW")j"));
  CHECK_FALSE(removed.HasMember("Attributes"));

  auto updated_old = f.Ok("UpdateItem", Update(kKey, R"j(,"UpdateExpression":"SET parent.child = :v",
      "ExpressionAttributeValues":{":v":{"S":"newer"}},"ReturnValues":"UPDATED_OLD")j"));
  CHECK(Canon(updated_old["Attributes"]) == Canon(R"j({"parent":{"M":{"child":{"S":"new"}}}})j"));

  auto all_old = f.Ok(
      "UpdateItem",
      Update(
          kKey,
          R"j(,"UpdateExpression":"SET c = :v","ExpressionAttributeValues":{":v":{"N":"1"}},"ReturnValues":"ALL_OLD")j"));
  CHECK(Canon(all_old["Attributes"]) ==
        Canon(R"j({"pk":{"S":"u1"},"parent":{"M":{"keep":{"S":"k"},"child":{"S":"newer"}}},"c":{"N":"7"}})j"));
}

TEST_CASE("UpdateItem creates a missing item; ALL_OLD and UPDATED_OLD then answer nothing") {
  HandlerFixture f;
  f.CreateTable("items");
  auto created = f.Ok("UpdateItem", R"j({"TableName":"items","Key":{"pk":{"S":"new"}},
      "UpdateExpression":"SET c = list_append(if_not_exists(c, :e), :x)",
      "ExpressionAttributeValues":{":e":{"L":[]},":x":{"L":[{"S":"a"}]}},"ReturnValues":"ALL_NEW"})j");
  CHECK(Canon(created["Attributes"]) == Canon(R"j({"pk":{"S":"new"},"c":{"L":[{"S":"a"}]}})j"));

  auto only_key =
      f.Ok("UpdateItem", R"j({"TableName":"items","Key":{"pk":{"S":"only-key"}},"ReturnValues":"ALL_OLD"})j");
  CHECK_FALSE(only_key.HasMember("Attributes"));
  CHECK(f.Get("items", R"j({"pk":{"S":"only-key"}})j") == Canon(R"j({"pk":{"S":"only-key"}})j"));

  auto old = f.Ok("UpdateItem", R"j({"TableName":"items","Key":{"pk":{"S":"fresh"}},"UpdateExpression":"SET v = :v",
                                     "ExpressionAttributeValues":{":v":{"N":"1"}},"ReturnValues":"UPDATED_OLD"})j");
  CHECK_FALSE(old.HasMember("Attributes"));
}

TEST_CASE("UpdateItem legacy AttributeUpdates, conditions, capacity and collection metrics") {
  HandlerFixture f;
  f.CreateTable("items");
  f.Put("items", R"j({"pk":{"S":"u1"},"n":{"N":"5"},"gone":{"S":"x"}})j");
  auto legacy = f.Ok("UpdateItem", Update(kKey, R"j(,"AttributeUpdates":{"n":{"Action":"ADD","Value":{"N":"2"}},
      "t":{"Action":"PUT","Value":{"S":"new"}},"gone":{"Action":"DELETE"}},"Expected":{"n":{"Value":{"N":"5"}}},
      "ReturnValues":"ALL_NEW","ReturnConsumedCapacity":"TOTAL","ReturnItemCollectionMetrics":"SIZE")j"));
  CHECK(Canon(legacy["Attributes"]) == Canon(R"j({"pk":{"S":"u1"},"n":{"N":"7"},"t":{"S":"new"}})j"));
  CHECK(Canon(legacy["ConsumedCapacity"]) == Canon(R"j({"TableName":"items","CapacityUnits":1.0})j"));
  CHECK_FALSE(legacy.HasMember("ItemCollectionMetrics"));

  f.CheckErrors(
      "UpdateItem",
      {
          {Update(kKey, R"j(,"UpdateExpression":"SET n = :v","ConditionExpression":"n = :five",
                        "ExpressionAttributeValues":{":v":{"N":"0"},":five":{"N":"5"}})j"),
           "ConditionalCheckFailedException", "The conditional request failed"},
          {Update(
               kKey,
               R"j(,"AttributeUpdates":{"n":{"Action":"PUT","Value":{"N":"0"}}},"Expected":{"n":{"Value":{"N":"5"}}})j"),
           "ConditionalCheckFailedException", "The conditional request failed"},
      });
  CHECK(f.Get("items", kKey) == Canon(R"j({"pk":{"S":"u1"},"n":{"N":"7"},"t":{"S":"new"}})j"));
}

TEST_CASE("UpdateItem errors: members, expressions (enveloped) and applying them (bare)") {
  HandlerFixture f;
  f.CreateTable("items");
  const std::string envelope = "1 validation error detected: ";
  auto update = [](std::string_view expression, std::string_view values) {
    return R"j({"TableName":"items","Key":{"pk":{"S":"err"}},"UpdateExpression":")j" + std::string(expression) + "\"" +
           (values.empty() ? std::string() : R"j(,"ExpressionAttributeValues":)j" + std::string(values)) + "}";
  };
  const char* x = R"j({":v":{"S":"x"}})j";
  f.CheckErrors(
      "UpdateItem",
      {
          {"[]", "SerializationException", "Start of list found where not expected"},
          {R"j({"TableName":"","UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S":"x"}},
           "ReturnConsumedCapacity":"INVALID","ReturnValues":"INVALID"})j",
           "ValidationException",
           "4 validation errors detected: "
           "Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value "
           "set: [INDEXES, TOTAL, NONE]; "
           "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1; "
           "Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: "
           "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "
           "Value null at 'key' failed to satisfy constraint: Member must not be null"},
          {R"j({"TableName":"no-such-table","Key":{"pk":{"S":"a"}}})j", "ResourceNotFoundException",
           "Requested resource not found"},
          {R"j({"TableName":"items","Key":{"pk":{"S":"a"},"x":{"S":"b"}}})j", "ValidationException",
           "The provided key element does not match the schema"},
          {update("SET pk = :v", x), "ValidationException",
           "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"},
          {update("SET a = :v, a = :v", x), "ValidationException",
           envelope +
               "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of "
               "these paths; path one: [a], path two: [a]"},
          {update("SET a = :v SET b = :v", x), "ValidationException",
           envelope + "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;"},
          {update("ADD a :v", x), "ValidationException",
           "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: "
           "STRING"},
          {update("SET a = :v + :v", x), "ValidationException",
           "An operand in the update expression has an incorrect data type"},
          {update("SET a = size(b)", ""), "ValidationException",
           envelope + "Invalid UpdateExpression: The function is not allowed in an update expression; function: size"},
          {update("SET a = :v", R"j({":v":{"S":"x"},":w":{"S":"y"}})j"), "ValidationException",
           envelope + "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"},
          {update("SET a = :nope", x), "ValidationException",
           envelope + "Invalid UpdateExpression: An expression attribute value used in expression is not defined; "
                      "attribute value: :nope"},
          {R"j({"TableName":"items","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":"x"}},
           "AttributeUpdates":{"b":{"Action":"DELETE"}}})j",
           "ValidationException",
           "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: "
           "{AttributeUpdates} Expression parameters: {UpdateExpression}",
           Match::kContains},
      });
  // None of the failed updates created the item.
  CHECK(f.Get("items", R"j({"pk":{"S":"err"}})j").empty());
}
