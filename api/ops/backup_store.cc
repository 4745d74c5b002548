#include "api/ops/backup_store.h"

#include <cinttypes>
#include <cstdio>
#include <map>
#include <random>

#include "api/catalog/describe.h"

namespace localddb::api {
namespace {

double Num(const json::Value& d, const char* key) {
  auto it = d.FindMember(key);
  return it != d.MemberEnd() && it->value.IsNumber() ? it->value.GetDouble() : 0;
}

}  // namespace

std::string Backup::ToJson() const {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  json::StringMember(w, "name", name);
  json::StringMember(w, "type", type);
  json::StringMember(w, "table_name", table_name);
  json::StringMember(w, "table_id", table_id);
  json::StringMember(w, "table_arn", table_arn);
  w.Key("created");
  w.Double(created);
  w.Key("table_created");
  w.Double(table_created);
  w.Key("items");
  w.Int64(items);
  w.Key("bytes");
  w.Int64(bytes);
  json::StringMember(w, "schema", schema_json);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

Backup Backup::FromRow(const storage::BackupRow& row) {
  Backup b;
  b.arn = row.arn;
  b.space = row.space;
  json::Document d;
  if (json::Parse(d, row.description) != json::ParseStatus::kOk || !d.IsObject()) return b;
  b.name = json::StringOr(d, "name");
  b.type = json::StringOr(d, "type", "USER");
  b.table_name = json::StringOr(d, "table_name");
  b.table_id = json::StringOr(d, "table_id");
  b.table_arn = json::StringOr(d, "table_arn");
  b.created = Num(d, "created");
  b.table_created = Num(d, "table_created");
  b.items = static_cast<int64_t>(Num(d, "items"));
  b.bytes = static_cast<int64_t>(Num(d, "bytes"));
  b.schema_json = json::StringOr(d, "schema");
  return b;
}

std::string NewBackupArn(const std::string& table_arn, double now) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, "%013" PRId64 "-%08x", static_cast<int64_t>(now * 1000),
                static_cast<unsigned>(random() & 0xffffffffu));
  return table_arn + "/backup/" + suffix;
}

void CopyIntoBackup(storage::WriteTxn& txn, const TableSchema& table, Backup& b) {
  b.schema_json = table.ToJson();
  b.space = txn.AllocateId();
  ForEachChunk(txn, table.space, [&](std::vector<StoredEntry>& chunk) {
    for (const auto& c : chunk) {
      txn.Put(b.space, c.key, c.item, c.size);
      b.bytes += c.size;
    }
    b.items += static_cast<int64_t>(chunk.size());
  });
  txn.PutBackup({b.arn, b.space, b.ToJson()});
}

ApiError BackupNotFound(std::string_view arn) {
  return ApiError(ErrorKind::kBackupNotFound, "Backup not found: " + std::string(arn));
}

std::vector<Backup> LoadBackups(Context& ctx) {
  std::vector<Backup> out;
  for (const auto& row : ctx.db.reader().LoadBackups()) out.push_back(Backup::FromRow(row));
  return out;
}

Backup RequireBackup(Context& ctx, std::string_view arn) {
  for (auto& b : LoadBackups(ctx))
    if (b.arn == arn) return b;
  throw BackupNotFound(arn);
}

void ForEachChunk(storage::WriteTxn& txn, int64_t space, const std::function<void(std::vector<StoredEntry>&)>& visit) {
  constexpr size_t kChunk = 1000;
  storage::Range range = storage::Range::Whole(space);
  std::vector<StoredEntry> chunk;
  for (;;) {
    chunk.clear();
    txn.Scan(range, [&](const storage::EntryView& e) {
      chunk.push_back({{e.h, std::string(e.hk), std::string(e.rk), {}}, std::string(e.item), e.size});
      return chunk.size() < kChunk;
    });
    if (chunk.empty()) return;
    range.after = chunk.back().key;
    const bool last = chunk.size() < kChunk;
    visit(chunk);
    if (last) return;
  }
}

void ForEachItemAt(storage::WriteTxn& txn, int64_t space, double at,
                   const std::function<void(const storage::EntryKey&, const std::string&, uint32_t)>& visit) {
  // Changes are read newest first, so the last one kept for a key is its first after `at`.
  std::map<std::pair<std::string, std::string>, storage::PitrChange> undo;
  txn.ReadPitrAfter(space, at, [&](const storage::PitrChange& c) { undo[{c.key.hk, c.key.rk}] = c; });
  ForEachChunk(txn, space, [&](std::vector<StoredEntry>& chunk) {
    for (const auto& e : chunk)
      if (!undo.count({e.key.hk, e.key.rk})) visit(e.key, e.item, e.size);
  });
  for (const auto& entry : undo) {
    const storage::PitrChange& c = entry.second;
    if (!c.old_item.empty()) visit(c.key, c.old_item, c.old_size);
  }
}

void WriteBackupDetails(json::Writer& w, const Backup& b, std::string_view status) {
  w.StartObject();
  json::StringMember(w, "BackupArn", b.arn);
  json::StringMember(w, "BackupName", b.name);
  w.Key("BackupSizeBytes");
  w.Int64(b.bytes);
  json::StringMember(w, "BackupStatus", status);
  json::StringMember(w, "BackupType", b.type);
  w.Key("BackupCreationDateTime");
  w.Double(b.created);
  if (b.type == "SYSTEM") {
    w.Key("BackupExpiryDateTime");
    w.Double(b.created + 35 * 86400.0);
  }
  w.EndObject();
}

void WriteBackupDescription(json::Writer& w, const Backup& b, std::string_view status) {
  const TableSchema t = TableSchema::FromJson(b.schema_json);
  w.StartObject();
  w.Key("BackupDetails");
  WriteBackupDetails(w, b, status);
  w.Key("SourceTableDetails");
  w.StartObject();
  json::StringMember(w, "TableName", b.table_name);
  json::StringMember(w, "TableId", b.table_id);
  json::StringMember(w, "TableArn", b.table_arn);
  w.Key("TableSizeBytes");
  w.Int64(b.bytes);
  w.Key("KeySchema");
  WriteKeySchema(w, t.key);
  w.Key("TableCreationDateTime");
  w.Double(b.table_created);
  w.Key("ProvisionedThroughput");
  w.StartObject();
  w.Key("ReadCapacityUnits");
  w.Int64(t.throughput.read);
  w.Key("WriteCapacityUnits");
  w.Int64(t.throughput.write);
  w.EndObject();
  w.Key("ItemCount");
  w.Int64(b.items);
  json::StringMember(w, "BillingMode", t.billing_mode);
  w.EndObject();
  w.Key("SourceTableFeatureDetails");
  w.StartObject();
  for (const bool global : {false, true}) {
    bool any = false;
    for (const auto& i : t.indexes) any = any || i.global == global;
    if (!any) continue;
    w.Key(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
    w.StartArray();
    for (const auto& i : t.indexes) {
      if (i.global != global) continue;
      w.StartObject();
      json::StringMember(w, "IndexName", i.name);
      w.Key("KeySchema");
      WriteKeySchema(w, i.key);
      w.Key("Projection");
      w.StartObject();
      json::StringMember(w, "ProjectionType",
                         i.projection.type == ProjectionType::kAll        ? "ALL"
                         : i.projection.type == ProjectionType::kKeysOnly ? "KEYS_ONLY"
                                                                          : "INCLUDE");
      if (i.projection.type == ProjectionType::kInclude) {
        w.Key("NonKeyAttributes");
        w.StartArray();
        for (const auto& a : i.projection.non_key_attributes) w.String(a.c_str());
        w.EndArray();
      }
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  if (t.stream.enabled) {
    w.Key("StreamDescription");
    w.StartObject();
    w.Key("StreamEnabled");
    w.Bool(true);
    json::StringMember(w, "StreamViewType", t.stream.view_type);
    w.EndObject();
  }
  if (!t.ttl_attribute.empty()) {
    w.Key("TimeToLiveDescription");
    w.StartObject();
    json::StringMember(w, "TimeToLiveStatus", "ENABLED");
    json::StringMember(w, "AttributeName", t.ttl_attribute);
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
}

}  // namespace localddb::api
