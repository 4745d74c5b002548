#include "api/input/request.h"

#include "api/error.h"
#include "api/value/wire_types.h"

namespace localddb::api::input {

using value::RequireWireType;
using value::WireType;

void Violations::Add(std::string path, std::string value_repr, std::string constraint) {
  // DynamoDB's newer validation framework names no value ("Value at 'X' ..."): an empty repr.
  items_.push_back((value_repr.empty() ? "Value" : "Value " + value_repr) + " at '" + path +
                   "' failed to satisfy constraint: " + constraint);
}

void Violations::Missing(std::string path) { Add(std::move(path), "null", "Member must not be null"); }

void Violations::ThrowIfAny() const {
  if (items_.empty()) return;
  std::string msg = std::to_string(items_.size()) +
                    (items_.size() == 1 ? " validation error detected: " : " validation errors detected: ");
  for (size_t i = 0; i < items_.size(); ++i) {
    if (i) msg += "; ";
    msg += items_[i];
  }
  throw ApiError::Validation(msg);
}

namespace {
const json::Value* Find(const json::Value& obj, std::string_view name) {
  auto it = obj.FindMember(rapidjson::StringRef(name.data(), name.size()));
  if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}
}  // namespace

std::optional<std::string_view> String(const json::Value& obj, std::string_view name) {
  const json::Value* v = Find(obj, name);
  if (!v) return std::nullopt;
  RequireWireType(*v, WireType::kString);
  return json::View(*v);
}

std::optional<int64_t> Integer(const json::Value& obj, std::string_view name) {
  const json::Value* v = Find(obj, name);
  if (!v) return std::nullopt;
  RequireWireType(*v, WireType::kLong);
  return v->IsInt64() ? v->GetInt64() : INT64_MAX;
}

std::optional<bool> Bool(const json::Value& obj, std::string_view name) {
  const json::Value* v = Find(obj, name);
  if (!v) return std::nullopt;
  RequireWireType(*v, WireType::kBoolean);
  return v->GetBool();
}

const json::Value* Object(const json::Value& obj, std::string_view name) {
  const json::Value* v = Find(obj, name);
  if (v) RequireWireType(*v, WireType::kStructure);
  return v;
}

const json::Value* Array(const json::Value& obj, std::string_view name) {
  const json::Value* v = Find(obj, name);
  if (v) RequireWireType(*v, WireType::kList);
  return v;
}

void RequireObject(const json::Value& body) {
  if (!body.IsObject()) throw ApiError::Serialization("Start of list found where not expected");
}

ApiError RequiredParameterMissing(std::string_view name) {
  return ApiError::Validation("The parameter '" + std::string(name) +
                              "' is required but was not present in the request");
}

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

void CheckTableName(std::optional<std::string_view> name, const std::string& path, Violations& v, bool required,
                    size_t min_length) {
  if (!name) {
    if (required) v.Missing(path);
    return;
  }
  if (name->size() < min_length)
    v.Add(path, Quote(*name), "Member must have length greater than or equal to " + std::to_string(min_length));
  if (name->size() > 255) v.Add(path, Quote(*name), "Member must have length less than or equal to 255");
  for (char c : *name) {
    if (name->empty()) break;
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!ok) {
      v.Add(path, Quote(*name), "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
      break;
    }
  }
}

void CheckTableNameOrArn(std::optional<std::string_view> name, const std::string& path, Violations& v) {
  if (name && name->starts_with("arn:"))
    CheckLength(name, path, 1, 1024, v);
  else
    CheckTableName(name, path, v, true, 1);
}

void CheckLength(std::optional<std::string_view> s, const std::string& path, size_t min, size_t max, Violations& v) {
  if (!s) return;
  if (s->size() < min)
    v.Add(path, Quote(*s), "Member must have length greater than or equal to " + std::to_string(min));
  if (s->size() > max) v.Add(path, Quote(*s), "Member must have length less than or equal to " + std::to_string(max));
}

void CheckRange(std::optional<int64_t> n, const std::string& path, int64_t min, int64_t max, Violations& v) {
  if (!n) return;
  if (*n < min)
    v.Add(path, Quote(std::to_string(*n)), "Member must have value greater than or equal to " + std::to_string(min));
  if (*n > max)
    v.Add(path, Quote(std::to_string(*n)), "Member must have value less than or equal to " + std::to_string(max));
}

void CheckListLength(const json::Value* list, const std::string& path, size_t min, size_t max, Violations& v) {
  if (!list || !list->IsArray()) return;
  const size_t n = list->Size();
  if (n < min)
    v.Add(path, n == 0 ? "'[]'" : "", "Member must have length greater than or equal to " + std::to_string(min));
  if (n > max) v.Add(path, "", "Member must have length less than or equal to " + std::to_string(max));
}

void CheckEnum(std::optional<std::string_view> value, const std::string& path,
               const std::vector<std::string_view>& allowed, Violations& v) {
  if (!value) return;
  for (auto a : allowed)
    if (a == *value) return;
  std::string set = "[";
  for (size_t i = 0; i < allowed.size(); ++i) {
    if (i) set += ", ";
    set += allowed[i];
  }
  set += "]";
  v.Add(path, Quote(*value), "Member must satisfy enum value set: " + set);
}

}  // namespace localddb::api::input
