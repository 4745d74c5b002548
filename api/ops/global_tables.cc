// Global tables: localddb is one region with no replicas, so it answers as DynamoDB does for
// tables that have none: the 2017 global-table API finds no global table, and a table's replica
// auto scaling lists no replicas.
#include <functional>
#include <limits>

#include "api/input/request.h"
#include "api/ops/handlers.h"
#include "api/ops/table_settings.h"

namespace localddb::api {
namespace {

std::string RequireGlobalTableName(const json::Value& input, const std::function<void(input::Violations&)>& more = {}) {
  input::RequireObject(input);
  auto name = input::String(input, "GlobalTableName");
  input::Violations v;
  input::CheckTableName(name, "globalTableName", v);
  if (more) more(v);
  v.ThrowIfAny();
  return std::string(*name);
}

[[noreturn]] void NotFound(const std::string& name) {
  throw ApiError(ErrorKind::kGlobalTableNotFound, "Global table not found: " + name);
}

std::string AutoScaling(const TableSchema& t) {
  return "{\"TableAutoScalingDescription\":{\"TableName\":" +
         json::Dump(json::Value(t.name.c_str(), static_cast<rapidjson::SizeType>(t.name.size()))) +
         ",\"TableStatus\":\"ACTIVE\",\"Replicas\":[]}}";
}

}  // namespace

void DescribeGlobalTable(Context&, const json::Value& input, Respond) { NotFound(RequireGlobalTableName(input)); }
void DescribeGlobalTableSettings(Context&, const json::Value& input, Respond) {
  NotFound(RequireGlobalTableName(input));
}
void UpdateGlobalTable(Context&, const json::Value& input, Respond) { NotFound(RequireGlobalTableName(input)); }
void UpdateGlobalTableSettings(Context&, const json::Value& input, Respond) {
  NotFound(RequireGlobalTableName(input, [&](input::Violations& v) {
    input::CheckEnum(input::String(input, "GlobalTableBillingMode"), "globalTableBillingMode",
                     {"PROVISIONED", "PAY_PER_REQUEST"}, v);
    input::CheckRange(input::Integer(input, "GlobalTableProvisionedWriteCapacityUnits"),
                      "globalTableProvisionedWriteCapacityUnits", 1, std::numeric_limits<int64_t>::max(), v);
    input::CheckListLength(input::Array(input, "GlobalTableGlobalSecondaryIndexSettingsUpdate"),
                           "globalTableGlobalSecondaryIndexSettingsUpdate", 1, 20, v);
    input::CheckListLength(input::Array(input, "ReplicaSettingsUpdate"), "replicaSettingsUpdate", 1, 50, v);
  }));
}

void CreateGlobalTable(Context&, const json::Value& input, Respond) {
  RequireGlobalTableName(input);
  throw ApiError::Validation(
      "localddb serves one region: global tables with replicas in other regions cannot be created");
}

void ListGlobalTables(Context&, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  input::CheckTableName(input::String(input, "ExclusiveStartGlobalTableName"), "exclusiveStartGlobalTableName", v,
                        false);
  input::CheckRange(input::Integer(input, "Limit"), "limit", 1, std::numeric_limits<int64_t>::max(), v);
  v.ThrowIfAny();
  respond(Outcome::Ok("{\"GlobalTables\":[]}"));
}

void DescribeTableReplicaAutoScaling(Context& ctx, const json::Value& input, Respond respond) {
  respond(Outcome::Ok(AutoScaling(*RequireNamedTable(ctx, input))));
}

void UpdateTableReplicaAutoScaling(Context& ctx, const json::Value& input, Respond respond) {
  respond(Outcome::Ok(AutoScaling(*RequireNamedTable(ctx, input, [&](input::Violations& v) {
    input::CheckListLength(input::Array(input, "GlobalSecondaryIndexUpdates"), "globalSecondaryIndexUpdates", 1,
                           std::numeric_limits<size_t>::max(), v);
    input::CheckListLength(input::Array(input, "ReplicaUpdates"), "replicaUpdates", 1,
                           std::numeric_limits<size_t>::max(), v);
  }))));
}

}  // namespace localddb::api
