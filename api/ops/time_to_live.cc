// DescribeTimeToLive, UpdateTimeToLive. Enabling TTL indexes every item by its expiry time (in
// the same transaction as the setting); the sweeps that delete expired items are in
// api/admin/ttl_sweep.
#include "api/input/request.h"
#include "api/ops/handlers.h"
#include "api/ops/schema_change.h"
#include "api/ops/table_lookup.h"
#include "api/value/json_codec.h"
#include "api/write/item_writer.h"

namespace localddb::api {

void DescribeTimeToLive(Context& ctx, const json::Value& input, Respond respond) {
  TableSchemaPtr t = RequireTableForTableOp(ctx, RequireTableName(input));
  if (t->ttl_attribute.empty()) {
    respond(Outcome::Ok("{\"TimeToLiveDescription\":{\"TimeToLiveStatus\":\"DISABLED\"}}"));
    return;
  }
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("TimeToLiveDescription");
  w.StartObject();
  w.Key("TimeToLiveStatus");
  w.String("ENABLED");
  w.Key("AttributeName");
  w.String(t->ttl_attribute);
  w.EndObject();
  w.EndObject();
  respond(Outcome::Ok({buf.GetString(), buf.GetSize()}));
}

void UpdateTimeToLive(Context& ctx, const json::Value& input, Respond respond) {
  std::string_view name = RequireTableName(input);
  input::Violations v;
  const json::Value* spec = input::Object(input, "TimeToLiveSpecification");
  if (!spec) v.Missing("timeToLiveSpecification");
  std::optional<bool> enabled;
  std::optional<std::string_view> attribute;
  if (spec) {
    enabled = input::Bool(*spec, "Enabled");
    attribute = input::String(*spec, "AttributeName");
    if (!enabled) v.Missing("timeToLiveSpecification.enabled");
    if (!attribute)
      v.Missing("timeToLiveSpecification.attributeName");
    else if (attribute->empty())
      v.Add("timeToLiveSpecification.attributeName", "''", "Member must have length greater than or equal to 1");
  }
  v.ThrowIfAny();
  TableSchemaPtr t = RequireTableForTableOp(ctx, name);
  if (*enabled && !t->ttl_attribute.empty()) throw ApiError::Validation("TimeToLive is already enabled");
  if (!*enabled && t->ttl_attribute.empty()) throw ApiError::Validation("TimeToLive is already disabled");
  auto next = std::make_shared<TableSchema>(*t);
  next->ttl_attribute = *enabled ? std::string(*attribute) : std::string();
  std::string out =
      std::string("{\"TimeToLiveSpecification\":{\"Enabled\":") + (*enabled ? "true" : "false") +
      ",\"AttributeName\":" + json::Dump(rapidjson::Value(rapidjson::StringRef(attribute->data(), attribute->size()))) +
      "}}";
  SubmitSchemaChange(
      ctx, std::move(respond), t, next, [out] { return out; },
      [](storage::WriteTxn& txn, const TableSchema& table) {
        if (table.ttl_attribute.empty()) return txn.DropExpiries(table.space);
        // Every item already there gets its place in the TTL index.
        std::vector<std::pair<int64_t, storage::EntryKey>> expiries;
        txn.Scan(storage::Range::Whole(table.space), [&](const storage::EntryView& e) {
          if (auto at = ExpiryOf(table, value::ItemFromJson(e.item)))
            expiries.emplace_back(*at, storage::EntryKey{e.h, std::string(e.hk), std::string(e.rk), {}});
          return true;
        });
        for (const auto& [at, key] : expiries) txn.PutExpiry(table.space, at, key);
      });
}

}  // namespace localddb::api
