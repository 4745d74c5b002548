// On-demand backups: CreateBackup copies the table's items (in one writer transaction, so the
// copy is consistent), DescribeBackup, ListBackups (filters and paging) and DeleteBackup.
// RestoreTableFromBackup is in restore_table.cc.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <random>

#include "api/catalog/describe.h"
#include "api/input/request.h"
#include "api/ops/backup_store.h"
#include "api/ops/handlers.h"
#include "api/ops/table_lookup.h"
#include "api/write/submit_write.h"

namespace localddb::api {
namespace {

std::string Details(const Backup& b, const char* member, std::string_view status, bool description) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key(member);
  if (description) {
    WriteBackupDescription(w, b, status);
  } else {
    WriteBackupDetails(w, b, status);
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string_view RequireArn(const json::Value& input) {
  input::RequireObject(input);
  auto arn = input::String(input, "BackupArn");
  input::Violations v;
  if (!arn) v.Missing("backupArn");
  input::CheckLength(arn, "backupArn", 37, 1024, v);
  v.ThrowIfAny();
  return *arn;
}

}  // namespace

void CreateBackup(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  auto table_name = input::String(input, "TableName");
  auto backup_name = input::String(input, "BackupName");
  input::Violations v;
  input::CheckTableNameOrArn(table_name, "tableName", v);
  input::CheckTableName(backup_name, "backupName", v);
  v.ThrowIfAny();
  const std::string name = TableNameOf(*table_name);
  TableSchemaPtr table = ctx.catalog.Find(name);
  if (!table) throw ApiError(ErrorKind::kTableNotFound, "Table not found: " + name);
  auto backup = std::make_shared<Backup>();
  backup->name = std::string(*backup_name);
  backup->table_name = table->name;
  backup->table_id = table->table_id;
  backup->table_arn = TableArn(ctx.settings, table->name);
  backup->table_created = table->creation_time;
  backup->created = ctx.now();
  backup->arn = NewBackupArn(backup->table_arn, backup->created);
  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, table, backup](storage::WriteTxn& txn) {
        CopyIntoBackup(txn, *ctx.catalog.RequireCurrent(*table), *backup);
      },
      [backup] { return Details(*backup, "BackupDetails", "AVAILABLE", false); });
}

void DescribeBackup(Context& ctx, const json::Value& input, Respond respond) {
  Backup b = RequireBackup(ctx, RequireArn(input));
  respond(Outcome::Ok(Details(b, "BackupDescription", "AVAILABLE", true)));
}

void DeleteBackup(Context& ctx, const json::Value& input, Respond respond) {
  auto b = std::make_shared<Backup>(RequireBackup(ctx, RequireArn(input)));
  SubmitWrite(
      ctx, std::move(respond),
      [b](storage::WriteTxn& txn) {
        txn.DeleteBackup(b->arn);
        txn.DropSpace(b->space);
      },
      [b] { return Details(*b, "BackupDescription", "DELETED", true); });
}

void ListBackups(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  auto table_name = input::String(input, "TableName");
  auto limit = input::Integer(input, "Limit");
  auto start = input::String(input, "ExclusiveStartBackupArn");
  auto type = input::String(input, "BackupType");
  // Time bounds as plain numbers (absent: unbounded).
  double lower = -1e300, upper = 1e300;
  if (auto it = input.FindMember("TimeRangeLowerBound"); it != input.MemberEnd() && it->value.IsNumber())
    lower = it->value.GetDouble();
  if (auto it = input.FindMember("TimeRangeUpperBound"); it != input.MemberEnd() && it->value.IsNumber())
    upper = it->value.GetDouble();
  input::Violations v;
  input::CheckTableName(table_name, "tableName", v, false);
  input::CheckRange(limit, "limit", 1, 100, v);
  input::CheckLength(start, "exclusiveStartBackupArn", 37, 1024, v);
  input::CheckEnum(type, "backupType", {"USER", "SYSTEM", "AWS_BACKUP", "ALL"}, v);
  v.ThrowIfAny();

  std::vector<Backup> all = LoadBackups(ctx);
  std::stable_sort(all.begin(), all.end(), [](const Backup& a, const Backup& b) { return a.created < b.created; });
  std::vector<const Backup*> matching;
  for (const auto& b : all) {
    if (table_name && b.table_name != *table_name) continue;
    // USER unless asked otherwise; ALL is USER and SYSTEM; no AWS Backup backups are kept here.
    const std::string_view wanted = type.value_or("USER");
    if (wanted != "ALL" && wanted != b.type) continue;
    if (b.created < lower || b.created > upper) continue;
    matching.push_back(&b);
  }
  size_t first = 0;
  if (start) {
    auto it = std::find_if(matching.begin(), matching.end(), [&](const Backup* b) { return b->arn == *start; });
    first = it == matching.end() ? matching.size() : static_cast<size_t>(it - matching.begin()) + 1;
  }
  const size_t count = limit ? static_cast<size_t>(*limit) : matching.size();
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("BackupSummaries");
  w.StartArray();
  size_t i = first;
  for (; i < matching.size() && i < first + count; ++i) {
    const Backup& b = *matching[i];
    w.StartObject();
    w.Key("TableName");
    w.String(b.table_name.c_str());
    w.Key("TableId");
    w.String(b.table_id.c_str());
    w.Key("TableArn");
    w.String(b.table_arn.c_str());
    w.Key("BackupArn");
    w.String(b.arn.c_str());
    w.Key("BackupName");
    w.String(b.name.c_str());
    w.Key("BackupCreationDateTime");
    w.Double(b.created);
    w.Key("BackupStatus");
    w.String("AVAILABLE");
    w.Key("BackupType");
    w.String(b.type.c_str());
    if (b.type == "SYSTEM") {
      w.Key("BackupExpiryDateTime");
      w.Double(b.created + 35 * 86400.0);
    }
    w.Key("BackupSizeBytes");
    w.Int64(b.bytes);
    w.EndObject();
  }
  w.EndArray();
  if (i < matching.size() && i > first) {
    w.Key("LastEvaluatedBackupArn");
    w.String(matching[i - 1]->arn.c_str());
  }
  w.EndObject();
  respond(Outcome::Ok({buf.GetString(), buf.GetSize()}));
}

}  // namespace localddb::api
