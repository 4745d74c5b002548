#include "api/value/json_codec.h"

#include <algorithm>
#include <array>
#include <unordered_set>

#include "api/error.h"
#include "api/value/item_size.h"
#include "api/value/wire_types.h"

namespace localddb::value {
namespace {

using api::ApiError;

constexpr std::string_view kInvalidPrefix = "One or more parameter values were invalid: ";

thread_local ValueLayer t_layer = ValueLayer::kBare;

// A value error in the wording of this request's layer.
ApiError ValueError(std::string message) {
  if (t_layer == ValueLayer::kEnveloped) message = "1 validation error detected: " + message;
  return ApiError::Validation(std::move(message));
}

// The type keys of an AttributeValue, as the wire names them.
struct TypeKey {
  std::string_view name;
  Type type;
};
constexpr std::array kTypeKeys = {
    TypeKey{"S", Type::kS},       TypeKey{"N", Type::kN},       TypeKey{"B", Type::kB}, TypeKey{"SS", Type::kSS},
    TypeKey{"NS", Type::kNS},     TypeKey{"BS", Type::kBS},     TypeKey{"M", Type::kM}, TypeKey{"L", Type::kL},
    TypeKey{"NULL", Type::kNULL}, TypeKey{"BOOL", Type::kBOOL},
};

const TypeKey* FindTypeKey(std::string_view name) {
  for (const auto& k : kTypeKeys)
    if (k.name == name) return &k;
  return nullptr;
}

Decimal ParseNumber(const json::Value& v) {
  RequireWireType(v, WireType::kString);
  std::string error;
  auto d = Decimal::Parse(json::View(v), &error);
  if (!d) {
    // The older layer drops the colon when the text is empty.
    if (t_layer == ValueLayer::kOlder && v.GetStringLength() == 0)
      error = "The parameter cannot be converted to a numeric value";
    if (t_layer == ValueLayer::kOlder &&
        (error.starts_with("Number overflow") || error.starts_with("Number underflow"))) {
      // The older layer reads numbers as Java's BigDecimal does (see ClassifyBigDecimalExponent).
      switch (ClassifyBigDecimalExponent(json::View(v))) {
        case BigDecimalExponent::kRefused:
          error = "The parameter cannot be converted to a numeric value: " + std::string(json::View(v));
          break;
        case BigDecimalExponent::kWraps:
          error = "Number underflow. Attempting to store a number with magnitude smaller than supported range";
          break;
        case BigDecimalExponent::kFine:
          break;
      }
    }
    throw ValueError(error);
  }
  return *d;
}

std::string ParseBinary(const json::Value& v) {
  RequireWireType(v, WireType::kBlob);
  std::string out;
  if (!Base64Decode(json::View(v), &out))
    throw ApiError::Serialization("Base64 encoded length is expected a multiple of 4 bytes but found: " +
                                  std::to_string(v.GetStringLength()));
  return out;
}

// A duplicate set member. The current layer quotes the members, sorted up to the first repeat,
// then the repeat, then the rest as sent, and names no number-set members; the older layer lists
// them as sent, unquoted. Binary sets add "of type BS" (with no space before it).
[[noreturn]] void ThrowDuplicates(Type type, const json::Value& arr) {
  const bool older = t_layer == ValueLayer::kOlder;
  if (type == Type::kNS) {
    if (older) throw ApiError::Validation("Input collection contains duplicates");
    throw ValueError(std::string(kInvalidPrefix) + "Input collection contains duplicates.");
  }
  std::vector<std::string> shown;  // members as they are printed (base64 for BS)
  if (older) {
    for (const auto& m : arr.GetArray()) shown.emplace_back(json::View(m));
  } else {
    std::vector<std::pair<std::string, std::string>> seen;  // (raw bytes, printed)
    size_t i = 0;
    for (; i < arr.Size(); ++i) {
      std::string printed(json::View(arr[i])), raw = printed;
      if (type == Type::kBS) Base64Decode(printed, &raw);
      bool repeat = false;
      for (const auto& [r, p] : seen) repeat |= r == raw;
      if (repeat) {
        std::sort(seen.begin(), seen.end());
        for (const auto& [r, p] : seen) shown.push_back(p);
        shown.push_back(printed);
        break;
      }
      seen.emplace_back(std::move(raw), std::move(printed));
    }
    for (++i; i < arr.Size(); ++i) shown.emplace_back(json::View(arr[i]));
  }
  std::string listing = "[";
  for (size_t i = 0; i < shown.size(); ++i) {
    if (i) listing += older ? ", " : (type == Type::kBS ? "," : ", ");
    listing += older ? shown[i] : "\"" + shown[i] + "\"";
  }
  listing += "]";
  throw ValueError(std::string(kInvalidPrefix) + "Input collection " + listing +
                   (type == Type::kBS ? "of type BS contains duplicates." : " contains duplicates."));
}

AttributeValue Parse(const json::Value& v, int depth, int max_depth);

Item ParseMapMembers(const json::Value& v, int depth, int max_depth) {
  RequireWireType(v, WireType::kMap);
  Item item;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it)
    item.insert_or_assign(std::string(json::View(it->name)), Parse(it->value, depth + 1, max_depth));
  return item;
}

AttributeValue ParseSet(Type type, const json::Value& v) {
  RequireWireType(v, WireType::kList);
  if (v.Empty()) {
    // DynamoDB's wording, double space included.
    std::string_view what = type == Type::kSS   ? "An string set  may not be empty"
                            : type == Type::kNS ? "An number set  may not be empty"
                                                : "Binary sets should not be empty";
    throw ValueError(std::string(kInvalidPrefix) + std::string(what));
  }
  // A null member is a validation error, not a wire-type one. DynamoDB words it for string sets
  // ("An string set" is its wording); for number and binary sets this is the empty-value error.
  for (const auto& m : v.GetArray()) {
    if (!m.IsNull()) continue;
    if (type == Type::kSS)
      throw ValueError(std::string(kInvalidPrefix) + "An string set may not have a null string as a member");
    throw ApiError::Validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
  if (type == Type::kNS) {
    std::vector<Decimal> members;
    members.reserve(v.Size());
    for (const auto& m : v.GetArray()) members.push_back(ParseNumber(m));
    // Sorted first, so a repeat is a neighbour (comparing every pair took 11 s for 100,000).
    SortSetMembers(members);
    if (std::adjacent_find(members.begin(), members.end()) != members.end()) ThrowDuplicates(Type::kNS, v);
    return AttributeValue::NS(std::move(members));
  }
  std::vector<std::string> members;
  members.reserve(v.Size());
  for (const auto& m : v.GetArray()) {
    if (type == Type::kSS) {
      RequireWireType(m, WireType::kString);
      members.emplace_back(json::View(m));
    } else {
      members.push_back(ParseBinary(m));
    }
  }
  std::unordered_set<std::string_view> seen;
  for (const auto& m : members)
    if (!seen.insert(m).second) ThrowDuplicates(type, v);
  SortSetMembers(members);
  return type == Type::kSS ? AttributeValue::SS(std::move(members)) : AttributeValue::BS(std::move(members));
}

AttributeValue Parse(const json::Value& v, int depth, int max_depth) {
  // Depth counts containers from the attribute itself; DynamoDB allows 32 levels.
  if (depth > max_depth) throw NestingLimitExceeded();
  RequireWireType(v, WireType::kStructure);
  const TypeKey* found = nullptr;
  const json::Value* data = nullptr;
  int set_members = 0;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    const TypeKey* k = FindTypeKey(json::View(it->name));
    if (k == nullptr || it->value.IsNull()) continue;  // unknown members are ignored, as Coral does
    ++set_members;
    found = k;
    data = &it->value;
  }
  if (set_members == 0)
    throw ApiError::Validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  if (set_members > 1)
    throw ApiError::Validation(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
        "the supported datatypes");
  switch (found->type) {
    case Type::kS:
      RequireWireType(*data, WireType::kString);
      return AttributeValue::S(std::string(json::View(*data)));
    case Type::kN:
      return AttributeValue::N(ParseNumber(*data));
    case Type::kB:
      return AttributeValue::B(ParseBinary(*data));
    case Type::kBOOL:
      RequireWireType(*data, WireType::kBoolean);
      return AttributeValue::Bool(data->GetBool());
    case Type::kNULL:
      RequireWireType(*data, WireType::kBoolean);
      if (!data->GetBool())
        throw ValueError(std::string(kInvalidPrefix) + "Null attribute value types must have the value of true");
      return AttributeValue::Null();
    case Type::kM:
      return AttributeValue::M(ParseMapMembers(*data, depth, max_depth));
    case Type::kL: {
      RequireWireType(*data, WireType::kList);
      List list;
      list.reserve(data->Size());
      for (const auto& e : data->GetArray()) list.push_back(Parse(e, depth + 1, max_depth));
      return AttributeValue::L(std::move(list));
    }
    case Type::kSS:
    case Type::kNS:
    case Type::kBS:
      return ParseSet(found->type, *data);
  }
  throw ApiError::Internal();
}

// Stored items were validated on the way in: a lean parse without checks.
AttributeValue ParseTrusted(const json::Value& v) {
  auto it = v.MemberBegin();
  const TypeKey* k = FindTypeKey(json::View(it->name));
  const json::Value& d = it->value;
  std::string unused;
  switch (k->type) {
    case Type::kS:
      return AttributeValue::S(std::string(json::View(d)));
    case Type::kN:
      return AttributeValue::N(*Decimal::Parse(json::View(d), &unused));
    case Type::kB: {
      std::string bytes;
      Base64Decode(json::View(d), &bytes);
      return AttributeValue::B(std::move(bytes));
    }
    case Type::kBOOL:
      return AttributeValue::Bool(d.GetBool());
    case Type::kNULL:
      return AttributeValue::Null();
    case Type::kM: {
      Item m;
      for (auto i = d.MemberBegin(); i != d.MemberEnd(); ++i)
        m.emplace(std::string(json::View(i->name)), ParseTrusted(i->value));
      return AttributeValue::M(std::move(m));
    }
    case Type::kL: {
      List l;
      l.reserve(d.Size());
      for (const auto& e : d.GetArray()) l.push_back(ParseTrusted(e));
      return AttributeValue::L(std::move(l));
    }
    case Type::kSS:
    case Type::kBS: {
      std::vector<std::string> members;
      for (const auto& e : d.GetArray()) {
        if (k->type == Type::kSS) {
          members.emplace_back(json::View(e));
        } else {
          std::string bytes;
          Base64Decode(json::View(e), &bytes);
          members.push_back(std::move(bytes));
        }
      }
      return k->type == Type::kSS ? AttributeValue::SS(std::move(members)) : AttributeValue::BS(std::move(members));
    }
    case Type::kNS: {
      std::vector<Decimal> members;
      for (const auto& e : d.GetArray()) members.push_back(*Decimal::Parse(json::View(e), &unused));
      return AttributeValue::NS(std::move(members));
    }
  }
  return {};
}

void WriteString(json::Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace

void SortSetMembers(std::vector<std::string>& members) { std::sort(members.begin(), members.end()); }
void SortSetMembers(std::vector<Decimal>& members) { std::sort(members.begin(), members.end()); }

ValueLayer CurrentValueLayer() { return t_layer; }
ScopedValueLayer::ScopedValueLayer(ValueLayer layer) : saved_(t_layer) { t_layer = layer; }
ScopedValueLayer::~ScopedValueLayer() { t_layer = saved_; }

ApiError NestingLimitExceeded() {
  return ValueError(
      "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported "
      "limit");
}

AttributeValue ParseAttributeValue(const json::Value& v) { return Parse(v, 1, kMaxNestingDepth); }

// The JSON parser's own depth limit (two JSON levels per attribute level) bounds the recursion.
AttributeValue ParseExpressionValue(const json::Value& v) { return Parse(v, 1, json::kMaxDepth); }

Item ParseItem(const json::Value& v) {
  RequireWireType(v, WireType::kMap);
  Item item;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    if (it->name.GetStringLength() == 0) throw ApiError::Validation("Empty attribute name");
    item.insert_or_assign(std::string(json::View(it->name)), Parse(it->value, 1, kMaxNestingDepth));
  }
  return item;
}

void WriteAttributeValue(json::Writer& w, const AttributeValue& v) {
  w.StartObject();
  WriteString(w, TypeName(v.type()));
  switch (v.type()) {
    case Type::kS:
      WriteString(w, v.s());
      break;
    case Type::kN:
      WriteString(w, v.n().ToString());
      break;
    case Type::kB:
      WriteString(w, Base64Encode(v.s()));
      break;
    case Type::kBOOL:
      w.Bool(v.boolean());
      break;
    case Type::kNULL:
      w.Bool(true);
      break;
    case Type::kM:
      WriteItem(w, v.m());
      break;
    case Type::kL:
      w.StartArray();
      for (const auto& e : v.l()) WriteAttributeValue(w, e);
      w.EndArray();
      break;
    case Type::kSS:
      w.StartArray();
      for (const auto& m : v.strings()) WriteString(w, m);
      w.EndArray();
      break;
    case Type::kBS:
      w.StartArray();
      for (const auto& m : v.strings()) WriteString(w, Base64Encode(m));
      w.EndArray();
      break;
    case Type::kNS:
      w.StartArray();
      for (const auto& m : v.numbers()) WriteString(w, m.ToString());
      w.EndArray();
      break;
  }
  w.EndObject();
}

void WriteItem(json::Writer& w, const Item& item) {
  w.StartObject();
  for (const auto& [name, value] : item) {
    WriteString(w, name);
    WriteAttributeValue(w, value);
  }
  w.EndObject();
}

std::string ItemToJson(const Item& item) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  WriteItem(w, item);
  return {buf.GetString(), buf.GetSize()};
}

std::string AttributeValueToJson(const AttributeValue& v) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  WriteAttributeValue(w, v);
  return {buf.GetString(), buf.GetSize()};
}

Item ItemFromJson(std::string_view text) {
  json::Document doc;
  doc.Parse(text.data(), text.size());
  Item item;
  if (doc.HasParseError() || !doc.IsObject()) return item;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it)
    item.emplace(std::string(json::View(it->name)), ParseTrusted(it->value));
  return item;
}

// --- base64 ---------------------------------------------------------------------------------

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  if (i < bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= uint8_t(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

bool Base64Decode(std::string_view text, std::string* out) {
  out->clear();
  if (text.size() % 4 != 0) return false;
  out->reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    int s[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      char c = text[i + j];
      if (c == '=' && i + 4 == text.size() && j >= 2) {
        s[j] = 0;
        ++pad;
      } else {
        if (pad) return false;  // data after padding
        s[j] = Sextet(c);
        if (s[j] < 0) return false;
      }
    }
    uint32_t n = (s[0] << 18) | (s[1] << 12) | (s[2] << 6) | s[3];
    out->push_back(static_cast<char>((n >> 16) & 0xFF));
    if (pad < 2) out->push_back(static_cast<char>((n >> 8) & 0xFF));
    if (pad < 1) out->push_back(static_cast<char>(n & 0xFF));
  }
  return true;
}

// --- AttributeValue -------------------------------------------------------------------------

std::string_view TypeName(Type t) {
  for (const auto& k : kTypeKeys)
    if (k.type == t) return k.name;
  return "NULL";
}

bool AttributeValue::operator==(const AttributeValue& o) const {
  if (type_ != o.type_) return false;
  switch (type_) {
    case Type::kSS:
    case Type::kBS: {
      const auto& a = strings();
      const auto& b = o.strings();
      if (a.size() != b.size()) return false;
      for (const auto& m : a)
        if (std::find(b.begin(), b.end(), m) == b.end()) return false;
      return true;
    }
    case Type::kNS: {
      const auto& a = numbers();
      const auto& b = o.numbers();
      if (a.size() != b.size()) return false;
      for (const auto& m : a)
        if (std::find(b.begin(), b.end(), m) == b.end()) return false;
      return true;
    }
    default:
      return data_ == o.data_;
  }
}

}  // namespace localddb::value
