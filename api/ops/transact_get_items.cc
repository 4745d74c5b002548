// TransactGetItems: up to 100 point reads, answered together (each read is the item's latest
// committed state; the writer applies transactions atomically, so no read sees half of one).
#include <set>
#include <tuple>

#include "api/expr/expression.h"
#include "api/ops/expression_input.h"
#include "api/ops/handlers.h"
#include "api/ops/return_options.h"
#include "api/ops/transactions.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"
#include "api/write/capacity.h"
#include "api/write/item_key.h"

namespace localddb::api {
namespace {

struct Get {
  TableSchemaPtr table;
  storage::EntryKey key;
  std::optional<std::vector<expr::Path>> projection;
  std::string invalid;  // a ValidationError found while reading the request
};

Get ReadGet(Context& ctx, const json::Value& element) {
  if (!element.IsObject()) throw ApiError::Serialization("Unexpected value type in payload");
  const json::Value* body = input::Object(element, "Get");
  input::Violations v;
  if (!body) {
    v.Missing("get");
    v.ThrowIfAny();
  }
  auto table_name = input::String(*body, "TableName");
  input::CheckTableNameOrArn(table_name, "tableName", v);
  const json::Value* key_json = input::Object(*body, "Key");
  if (!key_json) v.Missing("key");
  v.ThrowIfAny();
  RequestExpressions expressions(*body, true);
  Get g;
  g.projection = expressions.Projection();
  expressions.Finish();
  value::Item key_item = value::ParseItem(*key_json);
  g.table = ctx.catalog.Require(*table_name);
  try {
    g.key = KeyFromKeyMap(*g.table, key_item);
  } catch (const ApiError& e) {
    g.invalid = KeyErrorReason(e);
  }
  return g;
}

}  // namespace

void TransactGetItems(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  const CapacityMode capacity = ReadCapacityMode(input, v);
  v.ThrowIfAny();
  const json::Value& items = RequireTransactItems(input);
  std::vector<Get> gets;
  gets.reserve(items.Size());
  std::vector<std::string> invalid;
  std::set<std::tuple<int64_t, std::string, std::string>> targets;
  for (const auto& element : items.GetArray()) {
    gets.push_back(ReadGet(ctx, element));
    const Get& g = gets.back();
    // As in TransactWriteItems: no two actions may name the same item.
    if (g.invalid.empty() && !targets.emplace(g.table->space, g.key.hk, g.key.rk).second)
      throw ApiError::Validation("Transaction request cannot include multiple operations on one item");
    invalid.push_back(g.invalid);
  }
  ThrowIfAnyInvalid(invalid);

  storage::Reader& reader = ctx.db.reader();
  ConsumedByTable consumed(UnitKind::kRead);
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  // All items as of one moment: a transaction committing between two reads must not show half.
  std::vector<std::optional<std::string>> stored_items(gets.size());
  reader.InSnapshot([&] {
    for (size_t i = 0; i < gets.size(); ++i) stored_items[i] = reader.Get(gets[i].table->space, gets[i].key);
  });
  w.Key("Responses");
  w.StartArray();
  for (size_t i = 0; i < gets.size(); ++i) {
    const Get& g = gets[i];
    const std::optional<std::string>& stored = stored_items[i];
    w.StartObject();
    size_t size = 0;
    if (stored) {
      value::Item item = value::ItemFromJson(*stored);
      size = value::ItemSize(item);
      if (!g.projection) {
        w.Key("Item");
        json::WriteRaw(w, buf, *stored);
      } else if (value::Item projected = expr::Project(item, *g.projection); !projected.empty()) {
        // A projection that matches nothing answers as a missing item does: no Item at all.
        w.Key("Item");
        value::WriteItem(w, projected);
      }
    }
    w.EndObject();
    Consumed c;
    c.table = g.table->name;
    c.table_units = ReadUnits(size, true);
    g.table->usage->AddRead(2 * c.table_units);
    consumed.Add(c, 2);  // a transactional read costs two strongly consistent ones
  }
  w.EndArray();
  if (capacity != CapacityMode::kNone) consumed.Write(w, capacity);
  w.EndObject();
  respond(Outcome::Ok({buf.GetString(), buf.GetSize()}));
}

}  // namespace localddb::api
