// DescribeEndpoints and DescribeLimits: fixed answers in DynamoDB's shape.
#include "api/input/request.h"
#include "api/ops/handlers.h"

namespace localddb::api {

void DescribeEndpoints(Context& ctx, const json::Value& input, Respond respond) {
  respond(Outcome::Ok("{\"Endpoints\":[{\"Address\":\"dynamodb." + ctx.settings.region +
                      ".amazonaws.com\",\"CachePeriodInMinutes\":1440}]}"));
}

void DescribeLimits(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  // DynamoDB's default account quotas.
  respond(
      Outcome::Ok("{\"AccountMaxReadCapacityUnits\":80000,\"AccountMaxWriteCapacityUnits\":80000,"
                  "\"TableMaxReadCapacityUnits\":40000,\"TableMaxWriteCapacityUnits\":40000}"));
}

}  // namespace localddb::api
