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

TableSchemaPtr RequireTableForTableOp(Context& ctx, std::string_view name) {
  TableSchemaPtr t = ctx.catalog.Find(name);
  if (!t) throw ApiError::ResourceNotFound("Requested resource not found: Table: " + std::string(name) + " not found");
  return t;
}

}  // namespace localddb::api
