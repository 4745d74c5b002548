#include "api/catalog/describe.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace localddb::api {
namespace {

std::string_view ProjectionName(ProjectionType p) {
  switch (p) {
    case ProjectionType::kAll:
      return "ALL";
    case ProjectionType::kKeysOnly:
      return "KEYS_ONLY";
    case ProjectionType::kInclude:
      return "INCLUDE";
  }
  return "ALL";
}

void Str(json::Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

void WriteThroughput(json::Writer& w, const Throughput& t) {
  w.StartObject();
  w.Key("NumberOfDecreasesToday");
  w.Int(0);
  w.Key("ReadCapacityUnits");
  w.Int64(t.read);
  w.Key("WriteCapacityUnits");
  w.Int64(t.write);
  w.EndObject();
}

}  // namespace

std::string TableArn(const Settings& s, std::string_view table) {
  return "arn:aws:dynamodb:" + s.region + ":" + s.account_id + ":table/" + std::string(table);
}

std::string StreamArn(const Settings& s, const TableSchema& t) { return StreamArn(s, t.name, t.stream); }

std::string StreamArn(const Settings& s, std::string_view table, const StreamSettings& stream) {
  return TableArn(s, table) + "/stream/" + stream.label;
}

bool IsTableArn(std::string_view arn) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return false;
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  const std::string_view resource = arn.substr(start);
  if (parts[0] != "arn" || parts[1].empty() || parts[2] != "dynamodb" || parts[3].empty() || parts[4].empty())
    return false;
  for (char c : parts[4])
    if (c < '0' || c > '9') return false;
  if (!resource.starts_with("table/")) return false;
  const std::string_view name = resource.substr(6);
  if (name.size() < 3 || name.size() > 255) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
          c == '.'))
      return false;
  return true;
}

bool IsStreamArn(std::string_view arn) {
  const size_t stream = arn.rfind("/stream/");
  return stream != std::string_view::npos && stream + 8 < arn.size() && IsTableArn(arn.substr(0, stream));
}

std::string ShardId(const TableSchema& t) { return ShardId(t.stream); }

std::string ShardId(const StreamSettings& stream) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "shardId-%020lld-%08llx", static_cast<long long>(stream.created * 1000),
                static_cast<unsigned long long>(stream.space) & 0xFFFFFFFFull);
  return buf;
}

void WriteKeySchema(json::Writer& w, const KeySchema& k) {
  w.StartArray();
  auto write = [&](const KeyParts& parts, const char* type) {
    for (const KeyAttribute* a : parts) {
      w.StartObject();
      w.Key("AttributeName");
      Str(w, a->name);
      w.Key("KeyType");
      w.String(type);
      w.EndObject();
    }
  };
  write(k.HashParts(), "HASH");
  write(k.RangeParts(), "RANGE");
  w.EndArray();
}

namespace {

// DynamoDB's starting warm throughput for a new table or GSI, in either billing mode; a table
// reports the larger of it, what was asked for and its provisioned throughput.
constexpr int64_t kWarmReadUnits = 12000, kWarmWriteUnits = 4000;

void WriteWarmThroughput(json::Writer& w, const WarmThroughput& warm, const Throughput& provisioned,
                         std::string_view status) {
  w.Key("WarmThroughput");
  w.StartObject();
  w.Key("ReadUnitsPerSecond");
  w.Int64(std::max({kWarmReadUnits, warm.read, provisioned.read}));
  w.Key("WriteUnitsPerSecond");
  w.Int64(std::max({kWarmWriteUnits, warm.write, provisioned.write}));
  w.Key("Status");
  w.String(status.data(), static_cast<rapidjson::SizeType>(status.size()));
  w.EndObject();
}

}  // namespace

void WriteTableDescription(json::Writer& w, Context& ctx, const TableSchema& t, std::string_view status, bool counts) {
  auto count = [&](int64_t space) -> std::pair<int64_t, int64_t> {
    return counts ? ctx.db.reader().CountSpace(space) : std::pair<int64_t, int64_t>{0, 0};
  };
  const std::string arn = TableArn(ctx.settings, t.name);
  const bool on_demand = t.billing_mode == "PAY_PER_REQUEST";
  w.StartObject();
  w.Key("AttributeDefinitions");
  w.StartArray();
  for (const auto& a : t.attribute_definitions) {
    w.StartObject();
    w.Key("AttributeName");
    Str(w, a.name);
    w.Key("AttributeType");
    Str(w, value::TypeName(a.type));
    w.EndObject();
  }
  w.EndArray();
  w.Key("TableName");
  Str(w, t.name);
  w.Key("KeySchema");
  WriteKeySchema(w, t.key);
  w.Key("TableStatus");
  Str(w, status);
  w.Key("CreationDateTime");
  w.Double(t.creation_time);
  w.Key("ProvisionedThroughput");
  WriteThroughput(w, on_demand ? Throughput{} : t.throughput);
  auto [items, bytes] = count(t.space);
  w.Key("TableSizeBytes");
  w.Int64(bytes);
  w.Key("ItemCount");
  w.Int64(items);
  w.Key("TableArn");
  Str(w, arn);
  w.Key("TableId");
  Str(w, t.table_id);
  if (on_demand || t.billing_mode_changed > 0) {
    w.Key("BillingModeSummary");
    w.StartObject();
    w.Key("BillingMode");
    Str(w, t.billing_mode);
    w.Key("LastUpdateToPayPerRequestDateTime");
    w.Double(t.billing_mode_changed > 0 ? t.billing_mode_changed : t.creation_time);
    w.EndObject();
  }
  for (bool global : {false, true}) {
    bool any = false;
    for (const auto& i : t.indexes) any |= i.global == global;
    if (!any) continue;
    w.Key(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
    w.StartArray();
    for (const auto& i : t.indexes) {
      if (i.global != global) continue;
      w.StartObject();
      w.Key("IndexName");
      Str(w, i.name);
      w.Key("KeySchema");
      WriteKeySchema(w, i.key);
      w.Key("Projection");
      w.StartObject();
      w.Key("ProjectionType");
      Str(w, ProjectionName(i.projection.type));
      if (!i.projection.non_key_attributes.empty()) {
        w.Key("NonKeyAttributes");
        w.StartArray();
        for (const auto& a : i.projection.non_key_attributes) Str(w, a);
        w.EndArray();
      }
      w.EndObject();
      if (global) {
        w.Key("IndexStatus");
        Str(w, i.status);
        w.Key("ProvisionedThroughput");
        WriteThroughput(w, on_demand ? Throughput{} : i.throughput);
        WriteWarmThroughput(w, i.warm, on_demand ? Throughput{} : i.throughput, i.status);
      }
      auto [icount, ibytes] = count(i.space);
      w.Key("IndexSizeBytes");
      w.Int64(ibytes);
      w.Key("ItemCount");
      w.Int64(icount);
      w.Key("IndexArn");
      Str(w, arn + "/index/" + i.name);
      w.EndObject();
    }
    w.EndArray();
  }
  WriteWarmThroughput(w, t.warm, on_demand ? Throughput{} : t.throughput, status);
  if (t.restore_time > 0) {
    w.Key("RestoreSummary");
    w.StartObject();
    if (!t.restore_source_backup.empty()) {
      w.Key("SourceBackupArn");
      Str(w, t.restore_source_backup);
    }
    w.Key("SourceTableArn");
    Str(w, t.restore_source_table);
    w.Key("RestoreDateTime");
    w.Double(t.restore_time);
    // The restore's own answer describes the table still CREATING, its restore in progress.
    w.Key("RestoreInProgress");
    w.Bool(status == "CREATING");
    w.EndObject();
  }
  if (t.stream.enabled) {
    w.Key("StreamSpecification");
    w.StartObject();
    w.Key("StreamEnabled");
    w.Bool(true);
    w.Key("StreamViewType");
    Str(w, t.stream.view_type);
    w.EndObject();
  }
  if (!t.stream.label.empty()) {
    w.Key("LatestStreamLabel");
    Str(w, t.stream.label);
    w.Key("LatestStreamArn");
    Str(w, StreamArn(ctx.settings, t));
  }
  if (t.sse_enabled) {
    w.Key("SSEDescription");
    w.StartObject();
    w.Key("Status");
    w.String("ENABLED");
    w.Key("SSEType");
    Str(w, t.sse_type.empty() ? "KMS" : t.sse_type);
    w.Key("KMSMasterKeyArn");
    Str(w, t.sse_kms_key_id.empty() ? "arn:aws:kms:" + ctx.settings.region + ":" + ctx.settings.account_id +
                                          ":key/00000000-0000-0000-0000-000000000000"
                                    : t.sse_kms_key_id);
    w.EndObject();
  }
  if (t.table_class != "STANDARD") {
    w.Key("TableClassSummary");
    w.StartObject();
    w.Key("TableClass");
    Str(w, t.table_class);
    w.EndObject();
  }
  if (t.on_demand_max_read != 0 || t.on_demand_max_write != 0) {
    w.Key("OnDemandThroughput");
    w.StartObject();
    w.Key("MaxReadRequestUnits");
    w.Int64(t.on_demand_max_read);
    w.Key("MaxWriteRequestUnits");
    w.Int64(t.on_demand_max_write);
    w.EndObject();
  }
  w.Key("DeletionProtectionEnabled");
  w.Bool(t.deletion_protection);
  w.EndObject();
}

}  // namespace localddb::api
