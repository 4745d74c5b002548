#include "api/ops/table_lookup.h"

namespace localddb::api {

std::string_view RequireTableName(const json::Value& input) {
  input::RequireObject(input);
  input::Violations v;
  auto name = input::String(input, "TableName");
  if (!name) throw input::RequiredParameterMissing("TableName");
  input::CheckTableName(name, "tableName", v);
  v.ThrowIfAny();
  return *name;
}

std::string TableNameOf(std::string_view name_or_arn) {
  const size_t slash = name_or_arn.rfind("table/");
  if (name_or_arn.starts_with("arn:") && slash != std::string_view::npos)
    return std::string(name_or_arn.substr(slash + 6));
  return std::string(name_or_arn);
}

TableSchemaPtr RequireTableForTableOp(Context& ctx, std::string_view name) {
  TableSchemaPtr t = ctx.catalog.Find(name);
  if (!t) throw ApiError::ResourceNotFound("Requested resource not found: Table: " + std::string(name) + " not found");
  return t;
}

}  // namespace localddb::api
