#include "api/ops/stream_lookup.h"

#include "api/catalog/describe.h"
#include "api/error.h"

namespace localddb::api {

std::vector<const StreamSettings*> StreamsOf(const TableSchema& t) {
  std::vector<const StreamSettings*> out;
  for (const auto& s : t.past_streams) out.push_back(&s);
  if (!t.stream.label.empty() && t.stream.space != 0) out.push_back(&t.stream);
  return out;
}

FoundStream FindStream(const Context& ctx, std::string_view arn) {
  // A string that is no stream ARN is refused as such; only a well-formed ARN is looked up.
  if (!IsStreamArn(arn)) throw ApiError::Validation("Invalid StreamArn");
  // ...:table/<name>/stream/<label>: only that table can have it.
  const size_t at = arn.find(":table/"), label = arn.rfind("/stream/");
  if (TableSchemaPtr t = ctx.catalog.Find(arn.substr(at + 7, label - at - 7)))
    for (const StreamSettings* s : StreamsOf(*t))
      if (StreamArn(ctx.settings, t->name, *s) == arn) return {t, s};
  throw ApiError::ResourceNotFound("Requested resource not found: Stream: " + std::string(arn) + " not found");
}

std::string_view RequireString(const json::Value& input, const char* name, const char* path, input::Violations& v) {
  auto s = input::String(input, name);
  if (!s) v.Missing(path);
  return s.value_or("");
}

}  // namespace localddb::api
