#include "api/ops/stream_lookup.h"

#include "api/catalog/describe.h"
#include "api/error.h"

namespace localddb::api {

TableSchemaPtr FindStream(const Context& ctx, std::string_view arn) {
  // A string that is no stream ARN is refused as such; only a well-formed ARN is looked up.
  if (!IsStreamArn(arn)) throw ApiError::Validation("Invalid StreamArn");
  for (const auto& t : ctx.catalog.List())
    if (!t->stream.label.empty() && t->stream.space != 0 && StreamArn(ctx.settings, *t) == arn) return t;
  throw ApiError::ResourceNotFound("Requested resource not found: Stream: " + std::string(arn) + " not found");
}

std::string_view RequireString(const json::Value& input, const char* name, const char* path, input::Violations& v) {
  auto s = input::String(input, name);
  if (!s) v.Missing(path);
  return s.value_or("");
}

}  // namespace localddb::api
