// DescribeEndpoints and DescribeLimits: fixed answers in DynamoDB's shape.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

TEST_CASE("DescribeEndpoints names the regional endpoint from the settings") {
  HandlerFixture f;
  CHECK(Canon(f.Ok("DescribeEndpoints", "{}")) ==
        Canon(R"j({"Endpoints":[{"Address":"dynamodb.us-east-1.amazonaws.com","CachePeriodInMinutes":1440}]})j"));
  f.ctx().settings.region = "eu-west-2";
  CHECK(Str(f.Ok("DescribeEndpoints", "{}")["Endpoints"][0]["Address"]) == "dynamodb.eu-west-2.amazonaws.com");
}

TEST_CASE("DescribeLimits answers DynamoDB's default account quotas") {
  HandlerFixture f;
  CHECK(Canon(f.Ok("DescribeLimits", "{}")) ==
        Canon(R"j({"AccountMaxReadCapacityUnits":80000,"AccountMaxWriteCapacityUnits":80000,
                   "TableMaxReadCapacityUnits":40000,"TableMaxWriteCapacityUnits":40000})j"));
  f.CheckErrors("DescribeLimits", {{"[]", "SerializationException", "Start of list found where not expected"}});
}
