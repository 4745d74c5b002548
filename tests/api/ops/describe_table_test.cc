// DescribeTable: ACTIVE description with live counts; table-name validation and not-found wording.
// Expected messages: conformance/python/test_tables.py.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

TEST_CASE("DescribeTable reports ACTIVE with live item counts and sizes, table and index") {
  HandlerFixture f;
  f.Ok("CreateTable", R"j({"TableName":"described","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
                                 "Projection":{"ProjectionType":"KEYS_ONLY"}}]})j");
  auto empty = f.Ok("DescribeTable", R"j({"TableName":"described"})j");
  CHECK(empty["Table"]["ItemCount"].GetInt() == 0);
  CHECK(empty["Table"]["TableSizeBytes"].GetInt() == 0);

  f.Put("described", R"j({"pk":{"S":"a"},"g":{"S":"x"},"v":{"S":"0123456789"}})j");
  f.Put("described", R"j({"pk":{"S":"b"}})j");
  auto out = f.Ok("DescribeTable", R"j({"TableName":"described"})j");
  const auto& t = out["Table"];
  CHECK(Str(t["TableName"]) == "described");
  CHECK(Str(t["TableStatus"]) == "ACTIVE");
  CHECK(t["CreationDateTime"].GetDouble() == kNow);
  CHECK(Str(t["TableArn"]) == ArnOf("described"));
  CHECK(t["ItemCount"].GetInt() == 2);
  // Item sizes are names plus values: (2 + 1) + (1 + 1) + (1 + 10) for "a", 2 + 1 for "b".
  CHECK(t["TableSizeBytes"].GetInt() == 19);
  const auto& gsi = t["GlobalSecondaryIndexes"][0];
  CHECK(gsi["ItemCount"].GetInt() == 1);       // sparse: only the item with g
  CHECK(gsi["IndexSizeBytes"].GetInt() == 5);  // KEYS_ONLY: pk "a" and g "x"
  CHECK(Canon(t["BillingModeSummary"]) ==
        Canon(R"j({"BillingMode":"PAY_PER_REQUEST","LastUpdateToPayPerRequestDateTime":1767225600.0})j"));
}

TEST_CASE("DescribeTable validation and not found") {
  HandlerFixture f;
  f.CheckErrors("DescribeTable", {
                                     {"[]", "SerializationException", "Start of list found where not expected"},
                                     {"{}", "ValidationException",
                                      "The parameter 'TableName' is required but was not present in the request"},
                                     {R"j({"TableName":"abc$def"})j", "ValidationException",
                                      "1 validation error detected: Value 'abc$def' at 'tableName' failed to satisfy "
                                      "constraint: Member must satisfy "
                                      "regular expression pattern: [a-zA-Z0-9_.-]+"},
                                     {R"j({"TableName":"ab"})j", "ValidationException",
                                      "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy "
                                      "constraint: Member must have length "
                                      "greater than or equal to 3"},
                                     {R"j({"TableName":"a!"})j", "ValidationException",
                                      "2 validation errors detected: Value 'a!' at 'tableName' failed to satisfy "
                                      "constraint: Member must have length "
                                      "greater than or equal to 3; Value 'a!' at 'tableName' failed to satisfy "
                                      "constraint: Member must satisfy regular "
                                      "expression pattern: [a-zA-Z0-9_.-]+"},
                                     {R"j({"TableName":"no-such-table-here"})j", "ResourceNotFoundException",
                                      "Requested resource not found: Table: no-such-table-here not found"},
                                 });
}
