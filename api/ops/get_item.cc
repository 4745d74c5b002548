// GetItem: one point read on the calling thread's reader; the stored JSON is spliced into the
// response as is (no re-serialisation on the hot path).
#include "api/expr/expression.h"
#include "api/ops/expression_input.h"
#include "api/ops/handlers.h"
#include "api/ops/return_options.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"
#include "api/write/capacity.h"
#include "api/write/item_key.h"

namespace localddb::api {

void GetItem(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  auto table_name = input::String(input, "TableName");
  input::CheckTableNameOrArn(table_name, "tableName", v);
  const json::Value* key_json = input::Object(input, "Key");
  if (!key_json) v.Missing("key");
  const bool consistent = input::Bool(input, "ConsistentRead").value_or(false);
  CapacityMode capacity = ReadCapacityMode(input, v);
  v.ThrowIfAny();
  RequestExpressions expressions(input);
  auto projection = expressions.Projection();
  expressions.Finish();

  value::Item key_item = value::ParseItem(*key_json);
  TableSchemaPtr t = ctx.catalog.Require(*table_name);
  storage::EntryKey key = KeyFromKeyMap(*t, key_item);
  std::optional<std::string> stored = ctx.db.reader().Get(t->space, key);

  std::string body;
  body.reserve(stored ? stored->size() + 96 : 64);
  body += '{';
  if (stored && projection) {
    body += "\"Item\":";
    body += value::ItemToJson(expr::Project(value::ItemFromJson(*stored), *projection));
  } else if (stored) {
    body += "\"Item\":";
    body += *stored;
  }
  const double units = ReadUnits(stored ? SizeForReadUnits(*stored) : 0, consistent);
  t->usage->AddRead(units);
  if (capacity != CapacityMode::kNone) {
    Consumed c;
    c.table = t->name;
    c.table_units = units;
    rapidjson::StringBuffer buf;
    json::Writer w(buf);
    WriteConsumed(w, capacity, c);
    if (stored) body += ',';
    body += "\"ConsumedCapacity\":";
    body.append(buf.GetString(), buf.GetSize());
  }
  body += '}';
  respond(Outcome::Ok(std::move(body)));
}

}  // namespace localddb::api
