// TagResource, UntagResource, ListTagsOfResource: a table's tags, addressed by its ARN.
#include "api/input/request.h"
#include "api/ops/handlers.h"
#include "api/ops/schema_change.h"
#include "api/value/wire_types.h"

namespace localddb::api {
namespace {

std::string_view RequireArn(const json::Value& input, input::Violations& v) {
  auto arn = input::String(input, "ResourceArn");
  if (!arn) v.Missing("resourceArn");
  input::CheckLength(arn, "resourceArn", 1, 1283, v);
  return arn.value_or("");
}

}  // namespace

void TagResource(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  std::string_view arn = RequireArn(input, v);
  const json::Value* tags = input::Array(input, "Tags");
  if (!tags) v.Missing("tags");
  v.ThrowIfAny();
  TableSchemaPtr t = RequireTableByArn(ctx, arn);
  auto next = std::make_shared<TableSchema>(*t);
  for (const auto& tag : tags->GetArray()) {
    input::RequireObject(tag);
    auto key = input::String(tag, "Key");
    auto value = input::String(tag, "Value");
    if (!key || !value)
      throw ApiError::Validation("1 validation error detected: Value null at 'tags.1.member." +
                                 std::string(!key ? "key" : "value") +
                                 "' failed to satisfy constraint: Member must not be null");
    bool replaced = false;
    for (auto& [k, val] : next->tags)
      if (k == *key) {
        val = std::string(*value);
        replaced = true;
      }
    if (!replaced) next->tags.emplace_back(std::string(*key), std::string(*value));
  }
  if (next->tags.size() > 50) throw ApiError::Validation("One or more parameter values were invalid: Too many tags");
  SubmitSchemaChange(ctx, std::move(respond), t, next, [] { return std::string("{}"); });
}

void UntagResource(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  std::string_view arn = RequireArn(input, v);
  const json::Value* keys = input::Array(input, "TagKeys");
  if (!keys) v.Missing("tagKeys");
  v.ThrowIfAny();
  TableSchemaPtr t = RequireTableByArn(ctx, arn);
  auto next = std::make_shared<TableSchema>(*t);
  for (const auto& k : keys->GetArray()) {
    value::RequireWireType(k, value::WireType::kString);
    std::string_view key = json::View(k);
    std::erase_if(next->tags, [&](const auto& tag) { return tag.first == key; });
  }
  SubmitSchemaChange(ctx, std::move(respond), t, next, [] { return std::string("{}"); });
}

void ListTagsOfResource(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  std::string_view arn = RequireArn(input, v);
  v.ThrowIfAny();
  TableSchemaPtr t = RequireTableByArn(ctx, arn, "ListTagsOfResource");
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("Tags");
  w.StartArray();
  for (const auto& [k, val] : t->tags) {
    w.StartObject();
    w.Key("Key");
    w.String(k);
    w.Key("Value");
    w.String(val);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  respond(Outcome::Ok({buf.GetString(), buf.GetSize()}));
}

}  // namespace localddb::api
