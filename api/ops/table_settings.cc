#include "api/ops/table_settings.h"

#include "api/catalog/describe.h"
#include "api/input/request.h"
#include "api/ops/schema_change.h"
#include "api/ops/table_lookup.h"

namespace localddb::api {

void ReadTableSettings(const TableSchema& table, json::Document& doc) {
  if (json::Parse(doc, table.settings_json) != json::ParseStatus::kOk || !doc.IsObject()) doc.SetObject();
}

json::Value& SettingsObject(json::Document& doc, const char* key) {
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd()) {
    doc.AddMember(json::Value(key, doc.GetAllocator()), json::Value(rapidjson::kObjectType), doc.GetAllocator());
    it = doc.FindMember(key);
  }
  if (!it->value.IsObject()) it->value.SetObject();
  return it->value;
}

json::Value& SettingsArray(json::Document& doc, const char* key) {
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd()) {
    doc.AddMember(json::Value(key, doc.GetAllocator()), json::Value(rapidjson::kArrayType), doc.GetAllocator());
    it = doc.FindMember(key);
  }
  if (!it->value.IsArray()) it->value.SetArray();
  return it->value;
}

void ChangeTableSettings(Context& ctx, Respond respond, TableSchemaPtr table,
                         const std::function<bool(json::Document&)>& edit, std::function<std::string()> output) {
  json::Document doc;
  ReadTableSettings(*table, doc);
  if (!edit(doc)) return respond(Outcome::Ok(output()));
  auto next = std::make_shared<TableSchema>(*table);
  next->settings_json = json::Dump(doc);
  SubmitSchemaChange(ctx, std::move(respond), table, next, std::move(output));
}

TableSchemaPtr RequireTableOfArn(Context& ctx, std::string_view arn) {
  const std::string prefix = TableArn(ctx.settings, "");
  if ((IsTableArn(arn) || IsStreamArn(arn)) && arn.starts_with(prefix)) {
    std::string_view rest = arn.substr(prefix.size());
    if (auto slash = rest.find('/'); slash != std::string_view::npos) rest = rest.substr(0, slash);
    if (auto t = ctx.catalog.Find(rest)) return t;
  }
  throw ApiError::ResourceNotFound("Requested resource not found: ResourceArn: " + std::string(arn) + " not found");
}

TableSchemaPtr RequireNamedTable(Context& ctx, const json::Value& input,
                                 const std::function<void(input::Violations&)>& more) {
  input::RequireObject(input);
  auto name = input::String(input, "TableName");
  input::Violations v;
  input::CheckTableNameOrArn(name, "tableName", v);
  if (more) more(v);
  v.ThrowIfAny();
  return RequireTableForTableOp(ctx, TableNameOf(*name));
}

}  // namespace localddb::api
