#include "api/ops/table_definition.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <random>
#include <set>
#include <tuple>

#include "api/error.h"
#include "api/value/wire_types.h"

namespace localddb::api {

using input::Quote;

namespace {
constexpr std::string_view kInvalid = "One or more parameter values were invalid: ";

std::string Listing(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + "]";
}

std::string Member(const std::string& path, size_t i, const char* name) {
  return path + "." + std::to_string(i + 1) + ".member." + name;
}
}  // namespace

std::vector<RawKeyElement> ReadKeySchema(const json::Value* arr, const std::string& path, input::Violations& v,
                                         bool required, size_t max_elements) {
  std::vector<RawKeyElement> out;
  if (!arr) {
    if (required) v.Missing(path);
    return out;
  }
  for (rapidjson::SizeType i = 0; i < arr->Size(); ++i) {
    const json::Value& e = (*arr)[i];
    input::RequireObject(e);
    auto name = input::String(e, "AttributeName");
    auto type = input::String(e, "KeyType");
    if (!type) v.Missing(Member(path, i, "keyType"));
    input::CheckEnum(type, Member(path, i, "keyType"), {"HASH", "RANGE"}, v);
    if (!name)
      v.Missing(Member(path, i, "attributeName"));
    else if (name->empty())
      v.Add(Member(path, i, "attributeName"), Quote(*name), "Member must have length greater than or equal to 1");
    else if (name->size() > 255)
      v.Add(Member(path, i, "attributeName"), Quote(*name), "Member must have length less than or equal to 255");
    out.push_back({std::string(name.value_or("")), std::string(type.value_or(""))});
  }
  if (arr->Size() > max_elements) {
    // DynamoDB prints the list as its model's toString: '[KeySchemaElement(attributeName=pk,
    // keyType=HASH), ...]'.
    std::string dump = "[";
    for (size_t i = 0; i < out.size(); ++i) {
      if (i) dump += ", ";
      dump += "KeySchemaElement(attributeName=" + (out[i].name.empty() ? "null" : out[i].name) +
              ", keyType=" + (out[i].key_type.empty() ? "null" : out[i].key_type) + ")";
    }
    v.Add(path, Quote(dump + "]"), "Member must have length less than or equal to " + std::to_string(max_elements));
  }
  if (arr->Size() == 0) v.Add(path, "'[]'", "Member must have length greater than or equal to 1");
  return out;
}

namespace {

// A multi-attribute GSI key: HASH elements first, then RANGE elements, at most 4 of each, no
// attribute twice. (DynamoDB's wording for these refusals is unconfirmed.)
void CheckMultiAttributeKey(const std::vector<RawKeyElement>& raw) {
  size_t hashes = 0, ranges = 0;
  std::set<std::string> names;
  for (const auto& e : raw) {
    if (e.key_type == "HASH" && ranges > 0)
      throw ApiError::Validation(std::string(kInvalid) +
                                 "Invalid KeySchema: every HASH KeySchemaElement must come before the RANGE ones");
    ++(e.key_type == "HASH" ? hashes : ranges);
    if (!names.insert(e.name).second)
      throw ApiError::Validation(std::string(kInvalid) + "Invalid KeySchema: the attribute " + e.name +
                                 " appears more than once in the KeySchema");
  }
  if (hashes > kMaxKeyPartAttributes || ranges > kMaxKeyPartAttributes)
    throw ApiError::Validation(std::string(kInvalid) +
                               "Invalid KeySchema: a global secondary index key may have at most " +
                               std::to_string(kMaxKeyPartAttributes) + " HASH and " +
                               std::to_string(kMaxKeyPartAttributes) + " RANGE KeySchemaElements");
}

}  // namespace

KeySchema ResolveKeySchema(const std::vector<RawKeyElement>& raw, const std::vector<KeyAttribute>& definitions,
                           const std::string& index_name, bool multi_attribute) {
  const std::string prefix = index_name.empty() ? "Invalid KeySchema: " : std::string(kInvalid);
  const bool multi = multi_attribute && !raw.empty() && raw[0].key_type == "HASH" &&
                     (raw.size() > 2 || (raw.size() == 2 && raw[1].key_type == "HASH"));
  if (multi) CheckMultiAttributeKey(raw);
  if (raw.empty() || raw[0].key_type != "HASH")
    throw ApiError::Validation(index_name.empty()
                                   ? "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"
                                   : std::string(kInvalid) +
                                         "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (!multi && raw.size() == 2 && raw[1].key_type != "RANGE")
    throw ApiError::Validation(index_name.empty()
                                   ? "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"
                                   : std::string(kInvalid) +
                                         "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  // The same attribute as hash and range key: with one attribute defined DynamoDB says the range
  // key has no definition (conformance: test_fidelity_gaps.py).
  if (index_name.empty() && raw.size() == 2 && raw[0].name == raw[1].name && definitions.size() == 1)
    throw ApiError::Validation("Invalid KeySchema: Some index key attribute have no definition");
  if (raw.size() == 2 && raw[0].name == raw[1].name)
    throw ApiError::Validation(
        "Invalid KeySchema: Both the Hash Key and the Range Key element in the KeySchema have the same name");
  std::vector<std::string> missing;
  for (const auto& e : raw) {
    bool found = false;
    for (const auto& d : definitions) found |= d.name == e.name;
    if (!found) missing.push_back(e.name);
  }
  if (!missing.empty()) {
    std::vector<std::string> keys, defs;
    for (const auto& e : raw) keys.push_back(e.name);
    for (const auto& d : definitions) defs.push_back(d.name);
    throw ApiError::Validation(std::string(kInvalid) +
                               "Some index key attributes are not defined in AttributeDefinitions. Keys: " +
                               Listing(keys) + ", AttributeDefinitions: " + Listing(defs));
  }
  auto typed = [&](const std::string& name) {
    for (const auto& d : definitions)
      if (d.name == name) return d;
    return KeyAttribute{name, value::Type::kS};
  };
  KeySchema k{typed(raw[0].name), std::nullopt, {}, {}};
  for (size_t i = 1; i < raw.size(); ++i) {
    if (raw[i].key_type == "HASH")
      k.more_hash.push_back(typed(raw[i].name));
    else if (!k.range)
      k.range = typed(raw[i].name);
    else
      k.more_range.push_back(typed(raw[i].name));
  }
  return k;
}

std::vector<KeyAttribute> ReadAttributeDefinitions(const json::Value* arr, const std::string& path,
                                                   input::Violations& v) {
  std::vector<KeyAttribute> out;
  if (!arr) {
    v.Missing(path);
    return out;
  }
  for (rapidjson::SizeType i = 0; i < arr->Size(); ++i) {
    const json::Value& e = (*arr)[i];
    input::RequireObject(e);
    auto name = input::String(e, "AttributeName");
    auto type = input::String(e, "AttributeType");
    if (!type) v.Missing(Member(path, i, "attributeType"));
    input::CheckEnum(type, Member(path, i, "attributeType"), {"B", "N", "S"}, v);
    if (!name) v.Missing(Member(path, i, "attributeName"));
    value::Type t = type == "N" ? value::Type::kN : type == "B" ? value::Type::kB : value::Type::kS;
    out.push_back({std::string(name.value_or("")), t});
  }
  return out;
}

Projection ReadProjection(const json::Value* obj, const std::string& path, input::Violations& v) {
  Projection p;
  if (!obj) {
    v.Missing(path);
    return p;
  }
  auto type = input::String(*obj, "ProjectionType");
  input::CheckEnum(type, path + ".projectionType", {"ALL", "INCLUDE", "KEYS_ONLY"}, v);
  p.type = type == "KEYS_ONLY" ? ProjectionType::kKeysOnly
           : type == "INCLUDE" ? ProjectionType::kInclude
                               : ProjectionType::kAll;
  if (const json::Value* attrs = input::Array(*obj, "NonKeyAttributes")) {
    for (const auto& a : attrs->GetArray()) {
      value::RequireWireType(a, value::WireType::kString);
      p.non_key_attributes.emplace_back(json::View(a));
    }
  }
  return p;
}

std::optional<Throughput> ReadThroughput(const json::Value* obj, const std::string& path, input::Violations& v) {
  if (!obj) return std::nullopt;
  auto r = input::Integer(*obj, "ReadCapacityUnits");
  auto w = input::Integer(*obj, "WriteCapacityUnits");
  if (!w)
    v.Missing(path + ".writeCapacityUnits");
  else if (*w < 1)
    v.Add(path + ".writeCapacityUnits", input::Quote(std::to_string(*w)),
          "Member must have value greater than or equal to 1");
  if (!r)
    v.Missing(path + ".readCapacityUnits");
  else if (*r < 1)
    v.Add(path + ".readCapacityUnits", input::Quote(std::to_string(*r)),
          "Member must have value greater than or equal to 1");
  return Throughput{r.value_or(0), w.value_or(0)};
}

std::optional<WarmThroughput> ReadWarmThroughput(const json::Value* obj, const std::string& path,
                                                 input::Violations& v) {
  if (!obj) return std::nullopt;
  WarmThroughput warm;
  for (auto [member, field, out] : {std::tuple{"ReadUnitsPerSecond", ".readUnitsPerSecond", &warm.read},
                                    std::tuple{"WriteUnitsPerSecond", ".writeUnitsPerSecond", &warm.write}}) {
    auto n = input::Integer(*obj, member);
    if (n && *n < 1)
      v.Add(path + field, input::Quote(std::to_string(*n)), "Member must have value greater than or equal to 1");
    else if (n)
      *out = *n;
  }
  return warm;
}

WarmThroughput Raised(const WarmThroughput& current, const WarmThroughput& asked) {
  return {std::max(current.read, asked.read), std::max(current.write, asked.write)};
}

std::optional<StreamRequest> ReadStreamSpecification(const json::Value* obj, const std::string& path,
                                                     input::Violations& v) {
  if (!obj) return std::nullopt;
  StreamRequest s;
  auto enabled = input::Bool(*obj, "StreamEnabled");
  auto view = input::String(*obj, "StreamViewType");
  if (!enabled) v.Missing(path + ".streamEnabled");
  input::CheckEnum(view, path + ".streamViewType", {"NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"}, v);
  s.enabled = enabled.value_or(false);
  if (view) s.view_type = std::string(*view);
  return s;
}

void ReadOnDemandThroughput(const json::Value& input, TableSchema& t) {
  const json::Value* o = input::Object(input, "OnDemandThroughput");
  if (!o) return;
  if (auto r = input::Integer(*o, "MaxReadRequestUnits")) t.on_demand_max_read = *r;
  if (auto w = input::Integer(*o, "MaxWriteRequestUnits")) t.on_demand_max_write = *w;
}

std::string NewStreamLabel(double now) {
  // Whole milliseconds, with a little slack for binary fractions (0.001 is not exact in a double).
  const auto ms = static_cast<int64_t>(std::floor(now * 1000 + 1e-3));
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  int millis = static_cast<int>(ms % 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03d", buf, millis);
  return out;
}

std::string NewUuid() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t a = rng(), b = rng();
  a = (a & 0xFFFFFFFFFFFF0FFFull) | 0x4000ull;
  b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
  char out[40];
  std::snprintf(out, sizeof out, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xFFFF), static_cast<unsigned>(a & 0xFFFF),
                static_cast<unsigned>(b >> 48), static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFull));
  return out;
}

}  // namespace localddb::api
