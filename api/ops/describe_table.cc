// DescribeTable: the table's current description, with live item counts.
#include "api/catalog/describe.h"
#include "api/ops/handlers.h"
#include "api/ops/table_lookup.h"

namespace localddb::api {

void DescribeTable(Context& ctx, const json::Value& input, Respond respond) {
  TableSchemaPtr t = RequireTableForTableOp(ctx, RequireTableName(input));
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("Table");
  WriteTableDescription(w, ctx, *t, "ACTIVE");
  w.EndObject();
  respond(Outcome::Ok({buf.GetString(), buf.GetSize()}));
}

}  // namespace localddb::api
