// DescribeTimeToLive and UpdateTimeToLive: the TTL setting and its refusals.
// Expected messages: conformance/python/test_tables.py::test_time_to_live_setting.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

TEST_CASE("TimeToLive is DISABLED, then enabled on an attribute, then disabled again") {
  HandlerFixture f;
  f.CreateTable("ttl-table");
  CHECK(Canon(f.Ok("DescribeTimeToLive", R"j({"TableName":"ttl-table"})j")) ==
        Canon(R"j({"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}})j"));
  auto enabled =
      f.Ok("UpdateTimeToLive",
           R"j({"TableName":"ttl-table","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"expires"}})j");
  CHECK(Canon(enabled) == Canon(R"j({"TimeToLiveSpecification":{"Enabled":true,"AttributeName":"expires"}})j"));
  CHECK(Canon(f.Ok("DescribeTimeToLive", R"j({"TableName":"ttl-table"})j")) ==
        Canon(R"j({"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"expires"}})j"));
  f.CheckErrors("UpdateTimeToLive",
                {{R"j({"TableName":"ttl-table","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"other"}})j",
                  "ValidationException", "TimeToLive is already enabled"}});
  auto disabled =
      f.Ok("UpdateTimeToLive",
           R"j({"TableName":"ttl-table","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"expires"}})j");
  CHECK(Canon(disabled) == Canon(R"j({"TimeToLiveSpecification":{"Enabled":false,"AttributeName":"expires"}})j"));
  CHECK(Str(f.Ok("DescribeTimeToLive",
                 R"j({"TableName":"ttl-table"})j")["TimeToLiveDescription"]["TimeToLiveStatus"]) == "DISABLED");
  f.CheckErrors(
      "UpdateTimeToLive",
      {{R"j({"TableName":"ttl-table","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"expires"}})j",
        "ValidationException", "TimeToLive is already disabled"}});
}

TEST_CASE("TimeToLive validation and unknown tables") {
  HandlerFixture f;
  f.CreateTable("ttl-table");
  f.CheckErrors("DescribeTimeToLive", {
                                          {"[]", "SerializationException", "Start of list found where not expected"},
                                          {"{}", "ValidationException",
                                           "The parameter 'TableName' is required but was not present in the request"},
                                          {R"j({"TableName":"x"})j", "ValidationException",
                                           "1 validation error detected: Value 'x' at 'tableName' failed to satisfy "
                                           "constraint: Member must have length "
                                           "greater than or equal to 3"},
                                          {R"j({"TableName":"no-such-table"})j", "ResourceNotFoundException",
                                           "Requested resource not found: Table: no-such-table not found"},
                                      });
  f.CheckErrors(
      "UpdateTimeToLive",
      {
          {"[]", "SerializationException", "Start of list found where not expected"},
          {R"j({"TimeToLiveSpecification":{"Enabled":true,"AttributeName":"e"}})j", "ValidationException",
           "The parameter 'TableName' is required but was not present in the request"},
          {R"j({"TableName":"ttl-table"})j", "ValidationException",
           "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member "
           "must not be null"},
          {R"j({"TableName":"ttl-table","TimeToLiveSpecification":{}})j", "ValidationException",
           "2 validation errors detected: "
           "Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null; "
           "Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be "
           "null"},
          {R"j({"TableName":"ttl-table","TimeToLiveSpecification":{"Enabled":true,"AttributeName":""}})j",
           "ValidationException",
           "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy "
           "constraint: "
           "Member must have length greater than or equal to 1"},
          {R"j({"TableName":"ttl-table","TimeToLiveSpecification":{"Enabled":"yes","AttributeName":"e"}})j",
           "SerializationException", "STRING_VALUE can not be converted to a Boolean"},
          {R"j({"TableName":"no-such-table","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"e"}})j",
           "ResourceNotFoundException", "Requested resource not found: Table: no-such-table not found"},
      });
  CHECK(Str(f.Ok("DescribeTimeToLive",
                 R"j({"TableName":"ttl-table"})j")["TimeToLiveDescription"]["TimeToLiveStatus"]) == "DISABLED");
}
