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
  if (limit && *limit < 1)
    v.Add("limit", input::Quote(std::to_string(*limit)), "Member must have value greater than or equal to 1");
  if (limit && *limit > 100)
    v.Add("limit", input::Quote(std::to_string(*limit)), "Member must have value less than or equal to 100");
  auto start = input::String(input, "ExclusiveStartStreamArn");
  v.ThrowIfAny();
  if (table && !ctx.catalog.Find(*table))
    throw ApiError::ResourceNotFound("Requested resource not found: Table: " + std::string(*table) + " not found");

  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("Streams");
  w.StartArray();
  bool skipping = start.has_value(), more = false;
  int64_t n = 0;
  std::string last;
  for (const auto& t : ctx.catalog.List()) {
    if (t->stream.label.empty() || t->stream.space == 0 || (table && t->name != *table)) continue;
    const std::string arn = StreamArn(ctx.settings, *t);
    if (skipping) {
      if (arn == *start) skipping = false;
      continue;
    }
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
    w.String(t->stream.label);
    w.EndObject();
    last = arn;
    ++n;
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
