// DescribeContinuousBackups and UpdateContinuousBackups: point-in-time recovery on or off for a
// table. While it is on, the write path keeps each item's state before every change
// (ItemWriter::RecordForRecovery), which RestoreTableToPointInTime steps back through.
#include <algorithm>
#include <functional>

#include "api/input/request.h"
#include "api/ops/handlers.h"
#include "api/ops/schema_change.h"
#include "api/ops/table_lookup.h"

namespace localddb::api {
namespace {

std::string Description(const TableSchema& t, double now) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("ContinuousBackupsDescription");
  w.StartObject();
  w.Key("ContinuousBackupsStatus");
  w.String("ENABLED");
  w.Key("PointInTimeRecoveryDescription");
  w.StartObject();
  w.Key("PointInTimeRecoveryStatus");
  w.String(t.pitr_since > 0 ? "ENABLED" : "DISABLED");
  if (t.pitr_since > 0) {
    w.Key("RecoveryPeriodInDays");
    w.Int64(t.pitr_days);
    w.Key("EarliestRestorableDateTime");
    w.Double(std::max(t.pitr_since, now - static_cast<double>(t.pitr_days) * 86400));
    w.Key("LatestRestorableDateTime");
    w.Double(now);
  }
  w.EndObject();
  w.EndObject();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

// more: the operation's other constraints, reported with the name's before the table is looked up.
TableSchemaPtr RequireTable(Context& ctx, const json::Value& input,
                            const std::function<void(input::Violations&)>& more = {}) {
  input::RequireObject(input);
  auto name = input::String(input, "TableName");
  input::Violations v;
  input::CheckTableNameOrArn(name, "tableName", v);
  if (more) more(v);
  v.ThrowIfAny();
  const std::string table = TableNameOf(*name);
  TableSchemaPtr t = ctx.catalog.Find(table);
  if (!t) throw ApiError(ErrorKind::kTableNotFound, "Table not found: " + table);
  return t;
}

}  // namespace

void DescribeContinuousBackups(Context& ctx, const json::Value& input, Respond respond) {
  TableSchemaPtr t = RequireTable(ctx, input);
  respond(Outcome::Ok(Description(*t, ctx.now())));
}

void UpdateContinuousBackups(Context& ctx, const json::Value& input, Respond respond) {
  const json::Value* spec = input::Object(input, "PointInTimeRecoverySpecification");
  std::optional<bool> enabled;
  std::optional<int64_t> days;
  TableSchemaPtr t = RequireTable(ctx, input, [&](input::Violations& v) {
    if (!spec) {
      v.Missing("pointInTimeRecoverySpecification");
      return;
    }
    enabled = input::Bool(*spec, "PointInTimeRecoveryEnabled");
    days = input::Integer(*spec, "RecoveryPeriodInDays");
    if (!enabled) v.Missing("pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled");
    input::CheckRange(days, "pointInTimeRecoverySpecification.recoveryPeriodInDays", 1, 35, v);
  });
  auto next = std::make_shared<TableSchema>(*t);
  const double now = ctx.now();
  if (*enabled) {
    if (next->pitr_since <= 0) next->pitr_since = now;
    next->pitr_days = days.value_or(35);
  } else {
    next->pitr_since = 0;
  }
  const std::string out = Description(*next, now);
  SubmitSchemaChange(
      ctx, std::move(respond), t, next, [out] { return out; },
      [](storage::WriteTxn& txn, const TableSchema& table) {
        if (table.pitr_since <= 0) txn.DropPitr(table.space);  // off: the history is gone
      });
}

}  // namespace localddb::api
