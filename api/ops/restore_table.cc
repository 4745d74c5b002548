// RestoreTableFromBackup and RestoreTableToPointInTime: a new table with the source's key schema,
// indexes (or those the override keeps), billing and encryption settings, holding the items of
// the backup or of the source table as they were at the chosen moment; written in one writer
// transaction like CreateTable plus its items. As in DynamoDB, streams, TTL, tags and
// point-in-time recovery are not carried over.
#include <set>

#include "api/catalog/describe.h"
#include "api/input/request.h"
#include "api/ops/backup_store.h"
#include "api/ops/handlers.h"
#include "api/ops/table_definition.h"
#include "api/ops/table_lookup.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"
#include "api/write/item_writer.h"
#include "api/write/submit_write.h"

namespace localddb::api {
namespace {

// The target's schema: the source's, renamed, with the request's overrides.
std::shared_ptr<TableSchema> TargetSchema(Context& ctx, const TableSchema& source, std::string_view target,
                                          const json::Value& input) {
  auto t = std::make_shared<TableSchema>(source);
  t->name = std::string(target);
  t->table_id = NewUuid();
  t->creation_time = ctx.now();
  t->usage = std::make_shared<TableUsage>();  // a new table: its own capacity counters
  t->stream = {};
  t->past_streams.clear();
  t->ttl_attribute.clear();
  t->tags.clear();
  t->pitr_since = 0;
  t->deletion_protection = false;
  if (auto billing = input::String(input, "BillingModeOverride")) {
    input::Violations v;
    input::CheckEnum(billing, "billingModeOverride", {"PROVISIONED", "PAY_PER_REQUEST"}, v);
    v.ThrowIfAny();
    t->billing_mode = std::string(*billing);
    if (t->billing_mode == "PAY_PER_REQUEST") {
      t->throughput = {};
      for (auto& i : t->indexes) i.throughput = {};
    }
  }
  if (const json::Value* p = input::Object(input, "ProvisionedThroughputOverride")) {
    auto r = input::Integer(*p, "ReadCapacityUnits");
    auto w = input::Integer(*p, "WriteCapacityUnits");
    if (!r || !w || *r < 1 || *w < 1)
      throw ApiError::Validation(
          "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
          "must both be specified and at least 1");
    t->throughput = {*r, *w};
  }
  if (t->billing_mode == "PROVISIONED" && (t->throughput.read == 0 || t->throughput.write == 0))
    throw ApiError::Validation(
        "One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is "
        "PROVISIONED");
  if (const json::Value* sse = input::Object(input, "SSESpecificationOverride")) {
    auto enabled = input::Bool(*sse, "Enabled");
    t->sse_enabled = enabled.value_or(false);
    t->sse_type = t->sse_enabled ? "KMS" : "";
  }
  // An index override names the indexes the new table keeps (their definitions are the backup's).
  for (const auto& [member, global] :
       {std::pair{"GlobalSecondaryIndexOverride", true}, std::pair{"LocalSecondaryIndexOverride", false}}) {
    const json::Value* list = input::Array(input, member);
    if (!list) continue;
    std::set<std::string> keep;
    for (const auto& e : list->GetArray()) {
      input::RequireObject(e);
      auto name = input::String(e, "IndexName");
      if (!name)
        throw ApiError::Validation(std::string("One or more parameter values were invalid: ") + member +
                                   " entries need an IndexName");
      const SecondaryIndex* index = source.FindIndex(*name);
      if (!index || index->global != global)
        throw ApiError::Validation("One or more parameter values were invalid: Index " + std::string(*name) +
                                   " is not an index of the source table (localddb's overrides keep or drop "
                                   "the source's indexes)");
      keep.insert(std::string(*name));
      if (const json::Value* p = input::Object(e, "ProvisionedThroughput"); p && global) {
        auto r = input::Integer(*p, "ReadCapacityUnits");
        auto w = input::Integer(*p, "WriteCapacityUnits");
        if (r && w && *r >= 1 && *w >= 1)
          for (auto& i : t->indexes)
            if (i.name == *name) i.throughput = {*r, *w};
      }
    }
    std::vector<SecondaryIndex> kept;
    for (auto& i : t->indexes)
      if (i.global != global || keep.count(i.name)) kept.push_back(i);
    t->indexes = std::move(kept);
  }
  // A provisioned table's global indexes need capacity of their own, which an on-demand source's
  // indexes do not have: the override must give it.
  if (t->billing_mode == "PROVISIONED")
    for (const auto& i : t->indexes)
      if (i.global && (i.throughput.read == 0 || i.throughput.write == 0))
        throw ApiError::Validation(
            "One or more parameter values were invalid: GlobalSecondaryIndexOverride must be "
            "specified for index: " +
            i.name + " when BillingModeOverride is PROVISIONED");
  return t;
}

// The answer: the new table's description, RestoreSummary included (the schema holds it).
std::string Answer(Context& ctx, const TableSchema& t) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("TableDescription");
  WriteTableDescription(w, ctx, t, "CREATING", false);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

// Writes one item into the new table through the write path (so its indexes are built).
void WriteRestored(ItemWriter& writer, const storage::EntryKey& key, const std::string& json) {
  ItemImage image;
  image.item = value::ItemFromJson(json);
  image.size = value::ItemSize(image.item);
  image.json = json;
  writer.Put(key, std::nullopt, image);
}

void CheckTarget(Context& ctx, std::optional<std::string_view> target) {
  if (ctx.catalog.Find(*target))
    throw ApiError(ErrorKind::kTableAlreadyExists, "Table already exists: " + std::string(*target));
}

// Checked with the other model constraints, before the backup or source table is looked up.
void CheckBillingOverride(const json::Value& input, input::Violations& v) {
  input::CheckEnum(input::String(input, "BillingModeOverride"), "billingModeOverride",
                   {"PROVISIONED", "PAY_PER_REQUEST"}, v);
}

}  // namespace

void RestoreTableFromBackup(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  auto target = input::String(input, "TargetTableName");
  auto arn = input::String(input, "BackupArn");
  input::Violations v;
  input::CheckTableName(target, "targetTableName", v);
  if (!arn) v.Missing("backupArn");
  input::CheckLength(arn, "backupArn", 37, 1024, v);
  CheckBillingOverride(input, v);
  v.ThrowIfAny();
  const Backup backup = RequireBackup(ctx, *arn);
  CheckTarget(ctx, target);
  auto schema = TargetSchema(ctx, TableSchema::FromJson(backup.schema_json), *target, input);
  // RestoreDateTime: the moment the table is restored to, here the backup's.
  schema->restore_source_backup = backup.arn;
  schema->restore_source_table = backup.table_arn;
  schema->restore_time = backup.created;
  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, schema, backup](storage::WriteTxn& txn) {
        if (!txn.HasBackup(backup.arn)) throw BackupNotFound(backup.arn);
        CreateTableInTxn(ctx, txn, schema);
        ItemWriter writer(txn, *schema, ctx);
        ForEachChunk(txn, backup.space, [&](std::vector<StoredEntry>& chunk) {
          for (const auto& e : chunk) WriteRestored(writer, e.key, e.item);
        });
      },
      [&ctx, schema] { return Answer(ctx, *schema); }, [&ctx, schema] { ctx.catalog.Remove(schema->name); });
}

void RestoreTableToPointInTime(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  auto source_name = input::String(input, "SourceTableName");
  auto source_arn = input::String(input, "SourceTableArn");
  auto target = input::String(input, "TargetTableName");
  auto latest = input::Bool(input, "UseLatestRestorableTime");
  std::optional<double> when;
  if (input.HasMember("RestoreDateTime") && input["RestoreDateTime"].IsNumber())
    when = input["RestoreDateTime"].GetDouble();
  input::Violations v;
  input::CheckTableName(target, "targetTableName", v);
  input::CheckTableName(source_name, "sourceTableName", v, false);
  input::CheckLength(source_arn, "sourceTableArn", 1, 1024, v);
  CheckBillingOverride(input, v);
  v.ThrowIfAny();
  std::string name = source_name ? std::string(*source_name) : std::string();
  if (!source_name && source_arn) name = TableNameOf(*source_arn);
  if (name.empty())
    throw ApiError::Validation(
        "One or more parameter values were invalid: SourceTableName or SourceTableArn must be "
        "specified");
  if (latest.value_or(false) && when)
    throw ApiError::Validation("Only one of UseLatestRestorableTime or RestoreDateTime may be specified");
  TableSchemaPtr source = ctx.catalog.Find(name);
  if (!source) throw ApiError(ErrorKind::kTableNotFound, "Table not found: " + name);
  if (source->pitr_since <= 0)
    throw ApiError(ErrorKind::kPointInTimeRecoveryUnavailable,
                   "Point in time recovery is not enabled for table '" + name + "'");
  CheckTarget(ctx, target);
  const double now = ctx.now();
  const double earliest = std::max(source->pitr_since, now - static_cast<double>(source->pitr_days) * 86400);
  const double at = when.value_or(now);
  if (at < earliest || at > now)
    throw ApiError(ErrorKind::kInvalidRestoreTime, "Invalid restore time: the restorable window of table " + name +
                                                       " is from " + std::to_string(earliest) + " to " +
                                                       std::to_string(now) + " (seconds since the epoch)");
  auto schema = TargetSchema(ctx, *source, *target, input);
  schema->restore_source_backup.clear();
  schema->restore_source_table = TableArn(ctx.settings, name);
  schema->restore_time = at;
  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, schema, source, at](storage::WriteTxn& txn) {
        TableSchemaPtr current = ctx.catalog.RequireCurrent(*source);
        CreateTableInTxn(ctx, txn, schema);
        ItemWriter writer(txn, *schema, ctx);
        ForEachItemAt(txn, current->space, at, [&](const storage::EntryKey& key, const std::string& item, uint32_t) {
          WriteRestored(writer, key, item);
        });
      },
      [&ctx, schema] { return Answer(ctx, *schema); }, [&ctx, schema] { ctx.catalog.Remove(schema->name); });
}

}  // namespace localddb::api
