#include "api/error.h"
#include "api/expr/expression.h"
#include "api/value/json_codec.h"
#include "api/value/wire_types.h"

namespace localddb::expr {

using api::ApiError;

namespace {

constexpr size_t kMaxPlaceholderBytes = 255;

// A placeholder key is its sigil then letters, digits or underscores. Its length is checked first;
// only the names' message gives the size.
void CheckPlaceholderKey(const std::string& key, char sigil, const char* member) {
  if (key.size() > kMaxPlaceholderBytes)
    throw ApiError::Validation(std::string(member) +
                               " contains invalid key: The expression attribute map contains a key that is too long;" +
                               (sigil == '#' ? " size of key: " + std::to_string(key.size()) : std::string()));
  bool ok = key.size() >= 2 && key[0] == sigil;
  for (size_t i = 1; ok && i < key.size(); ++i) {
    const char c = key[i];
    ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  if (!ok)
    throw ApiError::Validation(std::string(member) + " contains invalid key: Syntax error; key: \"" + key + "\"");
}

}  // namespace

Substitutions::Substitutions(const json::Value* names, const json::Value* values) {
  if (names) {
    value::RequireWireType(*names, value::WireType::kMap);
    has_names_ = true;
    if (names->MemberCount() == 0) throw ApiError::Validation("ExpressionAttributeNames must not be empty");
    for (auto it = names->MemberBegin(); it != names->MemberEnd(); ++it) {
      value::RequireWireType(it->value, value::WireType::kString);
      std::string key(json::View(it->name));
      CheckPlaceholderKey(key, '#', "ExpressionAttributeNames");
      if (it->value.GetStringLength() == 0)
        throw ApiError::Validation("ExpressionAttributeNames contains invalid value: Empty attribute name for key " +
                                   key);
      names_.emplace_back(std::move(key), std::string(json::View(it->value)));
    }
  }
  if (values) {
    value::RequireWireType(*values, value::WireType::kMap);
    has_values_ = true;
    if (values->MemberCount() == 0) throw ApiError::Validation("ExpressionAttributeValues must not be empty");
    for (auto it = values->MemberBegin(); it != values->MemberEnd(); ++it) {
      std::string key(json::View(it->name));
      CheckPlaceholderKey(key, ':', "ExpressionAttributeValues");
      try {
        values_.emplace_back(key, value::ParseExpressionValue(it->value));
      } catch (const ApiError& e) {
        // Only the older value layer wraps a bad expression value (see json_codec.h).
        if (e.kind() != api::ErrorKind::kValidation || value::CurrentValueLayer() != value::ValueLayer::kOlder) throw;
        throw ApiError::Validation("ExpressionAttributeValues contains invalid value: " + e.message() + " for key " +
                                   key);
      }
    }
  }
}

const std::string& Substitutions::Name(const std::string& ref, Kind kind) {
  for (const auto& [k, v] : names_)
    if (k == ref) {
      used_names_.insert(k);
      return v;
    }
  throw ApiError::Validation(
      "Invalid " + std::string(KindName(kind)) +
      ": An expression attribute name used in the document path is not defined; attribute name: " + ref);
}

const value::AttributeValue& Substitutions::Value(const std::string& ref, Kind kind) {
  for (const auto& [k, v] : values_)
    if (k == ref) {
      used_values_.insert(k);
      return v;
    }
  throw ApiError::Validation(
      "Invalid " + std::string(KindName(kind)) +
      ": An expression attribute value used in expression is not defined; attribute value: " + ref);
}

void Substitutions::CheckAllUsed(bool any_expression) const {
  if (!any_expression) {
    // DynamoDB reports these inside the validation envelope.
    if (has_names_)
      throw ApiError::Validation(
          "1 validation error detected: ExpressionAttributeNames can only be specified when using expressions");
    if (has_values_)
      throw ApiError::Validation(
          "1 validation error detected: ExpressionAttributeValues can only be specified when using expressions");
    return;
  }
  auto unused = [](const auto& all, const std::set<std::string>& used) {
    std::string keys;
    for (const auto& [k, v] : all)
      if (!used.count(k)) keys += (keys.empty() ? "" : ", ") + k;
    return keys;
  };
  if (auto keys = unused(names_, used_names_); !keys.empty())
    throw ApiError::Validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + keys +
                               "}");
  if (auto keys = unused(values_, used_values_); !keys.empty())
    throw ApiError::Validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + keys +
                               "}");
}

}  // namespace localddb::expr
