// BatchWriteItem: puts and deletes over several tables written together, and the request's
// validation (older value-error wording, batch key wording).
// Expected messages: conformance/python/test_items.py.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

namespace {

std::string Key(std::string_view pk, int sk) {
  return R"j({"pk":{"S":")j" + std::string(pk) + R"j("},"sk":{"N":")j" + std::to_string(sk) + R"j("}})j";
}
std::string PutOf(std::string_view item) { return R"j({"PutRequest":{"Item":)j" + std::string(item) + "}}"; }
std::string DeleteOf(std::string_view key) { return R"j({"DeleteRequest":{"Key":)j" + std::string(key) + "}}"; }
std::string Batch(std::string_view table, const std::vector<std::string>& requests, std::string_view extra = "") {
  std::string list;
  for (const auto& r : requests) list += (list.empty() ? "" : ",") + r;
  return R"j({"RequestItems":{")j" + std::string(table) + R"j(":[)j" + list + "]}" + std::string(extra) + "}";
}

}  // namespace

TEST_CASE("BatchWriteItem writes 25 items, then deletes them, across the batch") {
  HandlerFixture f;
  f.CreateTable("items", "N");
  std::vector<std::string> puts, deletes;
  for (int i = 0; i < 25; ++i) {
    puts.push_back(PutOf(R"j({"pk":{"S":"batch"},"sk":{"N":")j" + std::to_string(i) + R"j("},"v":{"N":")j" +
                         std::to_string(i * 2) + R"j("}})j"));
    deletes.push_back(DeleteOf(Key("batch", i)));
  }
  auto out = f.Ok("BatchWriteItem", Batch("items", puts));
  CHECK(Canon(out) == Canon(R"j({"UnprocessedItems":{}})j"));
  auto all = f.Ok(
      "Query",
      R"j({"TableName":"items","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"batch"}}})j");
  REQUIRE(all["Count"].GetInt() == 25);
  CHECK(Str(all["Items"][24]["v"]["N"]) == "48");

  f.Ok("BatchWriteItem", Batch("items", deletes));
  CHECK(f.Ok("Scan", R"j({"TableName":"items","Select":"COUNT"})j")["Count"].GetInt() == 0);
}

TEST_CASE("BatchWriteItem over two tables reports ConsumedCapacity per table") {
  HandlerFixture f;
  f.CreateTable("items", "N");
  f.CreateTable("other");
  f.Put("other", R"j({"pk":{"S":"old"}})j");
  auto out = f.Ok("BatchWriteItem", R"j({"ReturnConsumedCapacity":"TOTAL","RequestItems":{
      "items":[{"PutRequest":{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}},{"PutRequest":{"Item":{"pk":{"S":"a"},"sk":{"N":"2"}}}}],
      "other":[{"DeleteRequest":{"Key":{"pk":{"S":"old"}}}},{"PutRequest":{"Item":{"pk":{"S":"new"}}}}]}})j");
  CHECK(Canon(out) == Canon(R"j({"UnprocessedItems":{},"ConsumedCapacity":[
      {"TableName":"items","CapacityUnits":2.0},{"TableName":"other","CapacityUnits":2.0}]})j"));
  CHECK(f.Get("other", R"j({"pk":{"S":"old"}})j").empty());
  CHECK(f.Get("other", R"j({"pk":{"S":"new"}})j") == Canon(R"j({"pk":{"S":"new"}})j"));
  CHECK_FALSE(f.Get("items", Key("a", 2)).empty());
}

TEST_CASE("BatchWriteItem request validation") {
  HandlerFixture f;
  f.CreateTable("items", "N");
  f.CreateTable("other");
  const std::string map_keys =
      "at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less "
      "than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular "
      "expression pattern: [a-zA-Z0-9_.-]+]";
  std::vector<std::string> thirteen;
  for (int i = 0; i < 13; ++i) thirteen.push_back(PutOf(Key("many", i)));
  std::string two_tables_of_13 = Batch("items", thirteen);
  two_tables_of_13.pop_back();
  two_tables_of_13.pop_back();  // reopen RequestItems
  std::string others;
  for (int i = 0; i < 13; ++i) others += (i ? "," : "") + PutOf(R"j({"pk":{"S":"o)j" + std::to_string(i) + R"j("}})j");
  two_tables_of_13 += R"j(,"other":[)j" + others + "]}}";

  f.CheckErrors(
      "BatchWriteItem",
      {
          {"[]", "SerializationException", "Start of list found where not expected"},
          {"{}", "ValidationException",
           "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be "
           "null"},
          {Batch("items", {PutOf(Key("a", 1))},
                 R"j(,"ReturnConsumedCapacity":"SOME","ReturnItemCollectionMetrics":"ALL")j"),
           "ValidationException",
           "2 validation errors detected: Value 'SOME' at 'returnConsumedCapacity' failed to satisfy constraint: "
           "Member must "
           "satisfy enum value set: [INDEXES, TOTAL, NONE]; Value 'ALL' at 'returnItemCollectionMetrics' failed to "
           "satisfy "
           "constraint: Member must satisfy enum value set: [SIZE, NONE]"},
          {R"j({"RequestItems":{}})j", "ValidationException",
           "The requestItems parameter is required for BatchWriteItem"},
          {R"j({"RequestItems":{"items":{}}})j", "SerializationException",
           "Start of structure or map found where not expected."},
          {Batch("a$", {PutOf(Key("a", 1))}), "ValidationException", map_keys, Match::kContains},
          {Batch("items", {}), "ValidationException",
           "1 validation error detected: Value '{items=[]}' at 'requestItems' failed to satisfy constraint: Map value "
           "must "
           "satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater "
           "than or "
           "equal to 1]"},
          {two_tables_of_13, "ValidationException", "Too many items requested for the BatchWriteItem call"},
          {Batch("no-such-table", {PutOf(Key("a", 1))}), "ResourceNotFoundException", "Requested resource not found"},
          {Batch("items", {R"j("x")j"}), "SerializationException", "Start of list found where not expected"},
          {Batch("items", {"{}"}), "ValidationException",
           "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported "
           "datatypes"},
          {Batch(
               "items",
               {R"j({"PutRequest":{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}},"DeleteRequest":{"Key":{"pk":{"S":"a"},"sk":{"N":"1"}}}})j"}),
           "ValidationException",
           "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported "
           "datatypes"},
          {Batch("items", {R"j({"PutRequest":{}})j"}), "ValidationException",
           "1 validation error detected: Value null at 'requestItems.items.member.1.member.putRequest.item' failed to "
           "satisfy constraint: Member must not be null"},
          {Batch("items", {R"j({"DeleteRequest":{}})j"}), "ValidationException",
           "1 validation error detected: Value null at 'requestItems.items.member.1.member.deleteRequest.key' failed "
           "to "
           "satisfy constraint: Member must not be null"},
          {Batch("items", {PutOf(Key("dup", 1)), DeleteOf(Key("dup", 1))}), "ValidationException",
           "Provided list of item keys contains duplicates"},
          {Batch("items", {PutOf(R"j({"sk":{"N":"1"}})j")}), "ValidationException",
           "The provided key element does not match the schema"},
          {Batch("items", {PutOf(R"j({"pk":{"N":"5"},"sk":{"N":"1"}})j")}), "ValidationException",
           "The provided key element does not match the schema"},
          {Batch("items", {PutOf(R"j({"pk":{"S":""},"sk":{"N":"1"}})j")}), "ValidationException",
           "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
           "string value. Key: pk"},
          {Batch("items", {DeleteOf(R"j({"pk":{"S":"a"}})j")}), "ValidationException",
           "The provided key element does not match the schema"},
          // The older value wording (no envelope, set members in request order).
          {Batch("items", {PutOf(R"j({"pk":{"S":"x"},"sk":{"N":"1"},"s":{"SS":["b","a","b"]}})j")}),
           "ValidationException",
           "One or more parameter values were invalid: Input collection [b, a, b] contains duplicates."},
      });

  // 26 requests for one table: the echo of the requests is approximate, its frame is not.
  std::vector<std::string> many;
  for (int i = 0; i < 26; ++i) many.push_back(PutOf(Key("many", i)));
  const auto o = f.Call("BatchWriteItem", Batch("items", many));
  REQUIRE(o.error);
  CHECK(o.error->name() == "ValidationException");
  CHECK_THAT(o.error->message(),
             Catch::StartsWith("1 validation error detected: Value '{items=") &&
                 Catch::EndsWith("' at 'requestItems' failed to satisfy constraint: Map value must "
                                 "satisfy constraint: [Member must have length less than or equal to "
                                 "25, Member must have length greater than or equal to 1]"));
  // A bad request in a batch writes nothing, not even the good requests before it.
  f.CheckErrors("BatchWriteItem", {{Batch("items", {PutOf(Key("atomic", 1)), PutOf(R"j({"pk":{"S":"atomic"}})j")}),
                                    "ValidationException", "The provided key element does not match the schema"}});
  CHECK(f.Get("items", Key("atomic", 1)).empty());
  CHECK(f.Ok("Scan", R"j({"TableName":"items","Select":"COUNT"})j")["Count"].GetInt() == 0);
  CHECK(f.Ok("Scan", R"j({"TableName":"other","Select":"COUNT"})j")["Count"].GetInt() == 0);
}
