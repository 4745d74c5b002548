// DeleteTable: DELETING description with the last counts, removal of the table and its items,
// deletion protection, and validation.
// Expected messages: conformance/python/test_tables.py.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

TEST_CASE("DeleteTable answers DELETING with the last counts and removes table and items") {
  HandlerFixture f;
  f.CreateTable("doomed");
  f.CreateTable("kept");
  f.Put("doomed", R"j({"pk":{"S":"a"}})j");
  f.Put("doomed", R"j({"pk":{"S":"b"}})j");
  auto out = f.Ok("DeleteTable", R"j({"TableName":"doomed"})j");
  const auto& d = out["TableDescription"];
  CHECK(Str(d["TableName"]) == "doomed");
  CHECK(Str(d["TableStatus"]) == "DELETING");
  CHECK(d["ItemCount"].GetInt() == 2);
  CHECK(Canon(f.Ok("ListTables", "{}")) == Canon(R"j({"TableNames":["kept"]})j"));
  f.CheckErrors("DescribeTable", {{R"j({"TableName":"doomed"})j", "ResourceNotFoundException",
                                   "Requested resource not found: Table: doomed not found"}});
  // A table created again under the name starts empty.
  f.CreateTable("doomed");
  CHECK(f.Get("doomed", R"j({"pk":{"S":"a"}})j").empty());
  CHECK(f.Ok("DescribeTable", R"j({"TableName":"doomed"})j")["Table"]["ItemCount"].GetInt() == 0);
}

TEST_CASE("DeleteTable refuses a protected table until protection is off") {
  HandlerFixture f;
  f.Ok("CreateTable", R"j({"TableName":"guarded","BillingMode":"PAY_PER_REQUEST","DeletionProtectionEnabled":true,
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]})j");
  f.CheckErrors("DeleteTable", {{R"j({"TableName":"guarded"})j", "ValidationException",
                                 "Resource cannot be deleted as it is currently protected against deletion. Disable "
                                 "deletion protection first."}});
  f.Ok("UpdateTable", R"j({"TableName":"guarded","DeletionProtectionEnabled":false})j");
  CHECK(Str(f.Ok("DeleteTable", R"j({"TableName":"guarded"})j")["TableDescription"]["TableStatus"]) == "DELETING");
}

TEST_CASE("DeleteTable validation and not found") {
  HandlerFixture f;
  f.CheckErrors("DeleteTable", {
                                   {"[]", "SerializationException", "Start of list found where not expected"},
                                   {"{}", "ValidationException",
                                    "The parameter 'TableName' is required but was not present in the request"},
                                   {R"j({"TableName":"bad name"})j", "ValidationException",
                                    "1 validation error detected: Value 'bad name' at 'tableName' failed to satisfy "
                                    "constraint: Member must satisfy "
                                    "regular expression pattern: [a-zA-Z0-9_.-]+"},
                                   {R"j({"TableName":"no-such-table-here"})j", "ResourceNotFoundException",
                                    "Requested resource not found: Table: no-such-table-here not found"},
                               });
}
