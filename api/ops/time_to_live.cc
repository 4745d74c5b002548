// DescribeTimeToLive, UpdateTimeToLive: the TTL setting is stored and described; expiring items
// is not implemented yet (see the README).
#include "api/input/request.h"
#include "api/ops/handlers.h"
#include "api/ops/schema_change.h"
#include "api/ops/table_lookup.h"

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
  SubmitSchemaChange(ctx, std::move(respond), t, next, [out] { return out; });
}

}  // namespace localddb::api
