// BatchGetItem: up to 100 keys over several tables, read on the calling thread.
// UnprocessedKeys is always empty.
#include <set>

#include "api/expr/expression.h"
#include "api/ops/expression_input.h"
#include "api/ops/handlers.h"
#include "api/ops/return_options.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"
#include "api/write/capacity.h"
#include "api/write/item_key.h"

namespace localddb::api {
namespace {
constexpr size_t kMaxKeys = 100;
}  // namespace

void BatchGetItem(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  const json::Value* request_items = input::Object(input, "RequestItems");
  if (!request_items) v.Missing("requestItems");
  size_t total = 0;
  bool expression_projection = false, legacy_projection = false;
  bool bad_table_name = false;
  if (request_items) {
    if (request_items->MemberCount() == 0)
      v.Add("RequestItems", "", "Member must have length greater than or equal to 1");
    for (auto it = request_items->MemberBegin(); it != request_items->MemberEnd(); ++it) {
      const std::string name(json::View(it->name));
      input::RequireObject(it->value);
      input::Violations names;
      input::CheckTableNameOrArn(name, "requestItems", names);
      // The constraint is on the map's keys: one violation however many keys break it (each
      // echoing the whole map made the answer quadratic in the request: 640 MB for 64 KB).
      if (!names.empty() && !bad_table_name) {
        bad_table_name = true;
        v.Add("requestItems", "'" + json::Dump(*request_items) + "'",
              "Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have "
              "length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]");
      }
      const json::Value* keys = input::Array(it->value, "Keys");
      if (!keys) {
        v.Missing("requestItems." + name + ".member.keys");
        continue;
      }
      if (keys->Size() == 0)
        v.Add("RequestItems." + name + ".member.Keys", "", "Member must have length greater than or equal to 1");
      if (keys->Size() > kMaxKeys)
        v.Add("RequestItems." + name + ".member.Keys", "", "Member must have length less than or equal to 100");
      expression_projection |= it->value.HasMember("ProjectionExpression");
      legacy_projection |= it->value.HasMember("AttributesToGet");
      total += keys->Size();
    }
  }
  // DynamoDB lists RequestItems violations before the ReturnConsumedCapacity one.
  CapacityMode capacity = ReadCapacityMode(input, v);
  v.ThrowIfAny();
  if (total > kMaxKeys) throw ApiError::Validation("Too many items requested for the BatchGetItem call");
  if (expression_projection && legacy_projection)
    throw ApiError::Validation(
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");

  struct TableRead {
    std::string requested;  // the map key as sent (a name or an ARN): the answer is keyed by it
    TableSchemaPtr table;
    bool consistent;
    std::vector<storage::EntryKey> keys;
    std::optional<std::vector<expr::Path>> projection;
  };
  std::vector<TableRead> reads;
  for (auto it = request_items->MemberBegin(); it != request_items->MemberEnd(); ++it) {
    RequestExpressions expressions(it->value);
    TableRead r{std::string(json::View(it->name)),
                ctx.catalog.Require(json::View(it->name)),
                input::Bool(it->value, "ConsistentRead").value_or(false),
                {},
                expressions.Projection()};
    try {
      expressions.Finish();
    } catch (const ApiError& e) {
      // BatchGetItem words a table's unused substitutions bare, outside the validation envelope
      // the single-item operations put them in.
      constexpr std::string_view kEnvelope = "1 validation error detected: ";
      if (e.kind() != ErrorKind::kValidation || !std::string_view(e.message()).starts_with(kEnvelope)) throw;
      throw ApiError::Validation(e.message().substr(kEnvelope.size()));
    }
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& k : it->value["Keys"].GetArray()) {
      r.keys.push_back(KeyFromKeyMap(*r.table, value::ParseItem(k)));
      if (!seen.emplace(r.keys.back().hk, r.keys.back().rk).second)
        throw ApiError::Validation("Provided list of item keys contains duplicates");
    }
    reads.push_back(std::move(r));
  }

  storage::Reader& reader = ctx.db.reader();
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("Responses");
  w.StartObject();
  std::vector<Consumed> consumed;
  for (const auto& r : reads) {
    w.Key(r.requested.c_str(), static_cast<rapidjson::SizeType>(r.requested.size()));
    w.StartArray();
    Consumed c;
    c.table = r.requested;
    for (const auto& key : r.keys) {
      std::optional<std::string> stored = reader.Get(r.table->space, key);
      const size_t size = stored ? SizeForReadUnits(*stored) : 0;
      if (stored && r.projection)
        value::WriteItem(w, expr::Project(value::ItemFromJson(*stored), *r.projection));
      else if (stored)
        json::WriteRaw(w, buf, *stored);
      c.table_units += ReadUnits(size, r.consistent);
    }
    r.table->usage->AddRead(c.table_units);
    w.EndArray();
    consumed.push_back(std::move(c));
  }
  w.EndObject();
  w.Key("UnprocessedKeys");
  w.StartObject();
  w.EndObject();
  if (capacity != CapacityMode::kNone) {
    w.Key("ConsumedCapacity");
    w.StartArray();
    for (const auto& c : consumed) WriteConsumed(w, capacity, c);
    w.EndArray();
  }
  w.EndObject();
  respond(Outcome::Ok({buf.GetString(), buf.GetSize()}));
}

}  // namespace localddb::api
