// ListStreams: the streams of every table, or of one (DynamoDB Streams).
#include "api/catalog/describe.h"
#include "api/ops/handlers.h"
#include "api/ops/stream_lookup.h"

namespace localddb::api {

void ListStreams(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  auto table = input::String(input, "TableName");
  input::CheckTableName(table, "tableName", v, false);
  auto limit = input::Integer(input, "Limit");
  input::CheckRange(limit, "limit", 1, 100, v);
  auto start = input::String(input, "ExclusiveStartStreamArn");
  input::CheckLength(start, "exclusiveStartStreamArn", 37, 1024, v);
  v.ThrowIfAny();
  if (table && !ctx.catalog.Find(*table))
    throw ApiError::ResourceNotFound("Requested resource not found: Table: " + std::string(*table) + " not found");

  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("Streams");
  w.StartArray();
  // Streams are listed in table-name order, so a page starts after its start ARN's table even
  // when that stream has gone since (its table deleted or its stream replaced).
  std::string_view start_table;
  if (start) {
    const size_t at = start->find(":table/"), stream = start->rfind("/stream/");
    if (at != std::string_view::npos && stream != std::string_view::npos && stream > at + 7)
      start_table = start->substr(at + 7, stream - at - 7);
  }
  bool more = false;
  int64_t n = 0;
  std::string last;
  for (const auto& t : ctx.catalog.List()) {
    if (table && t->name != *table) continue;
    for (const StreamSettings* s : StreamsOf(*t)) {
      const std::string arn = StreamArn(ctx.settings, t->name, *s);
      if (start && (t->name < start_table || (t->name == start_table && arn <= *start))) continue;
      if (limit && n == *limit) {
        more = true;
        break;
      }
      w.StartObject();
      w.Key("StreamArn");
      w.String(arn);
      w.Key("TableName");
      w.String(t->name);
      w.Key("StreamLabel");
      w.String(s->label);
      w.EndObject();
      last = arn;
      ++n;
    }
    if (more) break;
  }
  w.EndArray();
  if (more) {
    w.Key("LastEvaluatedStreamArn");
    w.String(last);
  }
  w.EndObject();
  respond(Outcome::Ok({buf.GetString(), buf.GetSize()}));
}

}  // namespace localddb::api
