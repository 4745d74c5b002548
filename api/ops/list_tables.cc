// ListTables: table names in order, paged by Limit / ExclusiveStartTableName.
#include "api/input/request.h"
#include "api/ops/handlers.h"

namespace localddb::api {

void ListTables(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  auto start = input::String(input, "ExclusiveStartTableName");
  input::CheckTableName(start, "exclusiveStartTableName", v, false);
  auto limit = input::Integer(input, "Limit");
  input::CheckRange(limit, "limit", 1, 100, v);
  v.ThrowIfAny();

  const int64_t max = limit.value_or(100);
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("TableNames");
  w.StartArray();
  int64_t n = 0;
  std::string last;
  bool more = false;
  for (const auto& t : ctx.catalog.List()) {
    if (start && t->name <= *start) continue;
    if (n == max) {
      more = true;
      break;
    }
    w.String(t->name);
    last = t->name;
    ++n;
  }
  w.EndArray();
  if (more) {
    w.Key("LastEvaluatedTableName");
    w.String(last);
  }
  w.EndObject();
  respond(Outcome::Ok({buf.GetString(), buf.GetSize()}));
}

}  // namespace localddb::api
