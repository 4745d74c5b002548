#include "api/write/item_key.h"

#include "api/error.h"
#include "api/value/item_size.h"
#include "api/value/key_codec.h"

namespace localddb::api {
namespace {

using value::AttributeValue;
using value::Type;

constexpr std::string_view kInvalid = "One or more parameter values were invalid: ";
// The phrase every empty-key-value refusal carries (see IsEmptyKeyValueError).
constexpr std::string_view kEmptyKeyValue = "The AttributeValue for a key attribute cannot contain an empty ";

bool IsEmptyKeyValue(const AttributeValue& v) { return (v.is(Type::kS) || v.is(Type::kB)) && v.s().empty(); }

void CheckKeySize(const KeyAttribute& k, const AttributeValue& v, bool is_hash) {
  const size_t size = value::ValueSize(v);
  if (is_hash && size > value::kMaxHashKeySize)
    throw ApiError::Validation(std::string(kInvalid) +
                               "Size of hashkey has exceeded the maximum size limit of2048 bytes");
  if (!is_hash && size > value::kMaxRangeKeySize)
    throw ApiError::Validation(std::string(kInvalid) +
                               "Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
}

const AttributeValue& RequireItemKey(const KeyAttribute& k, const value::Item& item, bool is_hash, bool batch_wording) {
  auto it = item.find(k.name);
  if (batch_wording && (it == item.end() || it->second.type() != k.type))
    throw ApiError::Validation("The provided key element does not match the schema");
  if (it == item.end())
    throw ApiError::Validation(std::string(kInvalid) + "Missing the key " + k.name + " in the item");
  if (it->second.type() != k.type)
    throw ApiError::Validation(std::string(kInvalid) + "Type mismatch for key " + k.name +
                               " expected: " + std::string(value::TypeName(k.type)) +
                               " actual: " + std::string(value::TypeName(it->second.type())));
  if (IsEmptyKeyValue(it->second))
    throw ApiError::Validation("One or more parameter values are not valid. " + std::string(kEmptyKeyValue) +
                               (k.type == Type::kS ? "string" : "binary") + " value. Key: " + k.name);
  CheckKeySize(k, it->second, is_hash);
  return it->second;
}

storage::EntryKey MakeKey(const AttributeValue& hash, const AttributeValue* range) {
  storage::EntryKey key;
  key.hk = value::EncodeKey(hash);
  key.h = value::PartitionHash(key.hk);
  if (range) key.rk = value::EncodeKey(*range);
  return key;
}

}  // namespace

bool IsEmptyKeyValueError(const ApiError& e) {
  return e.kind() == ErrorKind::kValidation && e.message().find(kEmptyKeyValue) != std::string::npos;
}

storage::EntryKey KeyOfNewItem(const TableSchema& t, const value::Item& item, bool batch_wording) {
  const AttributeValue& hash = RequireItemKey(t.key.hash, item, true, batch_wording);
  const AttributeValue* range = t.key.range ? &RequireItemKey(*t.key.range, item, false, batch_wording) : nullptr;
  for (const auto& index : t.indexes) {
    for (const KeyAttribute* k : index.key.All()) {
      auto it = item.find(k->name);
      if (it == item.end()) continue;
      if (it->second.type() != k->type)
        throw ApiError::Validation(std::string(kInvalid) + "Type mismatch for Index Key " + k->name +
                                   " Expected: " + std::string(value::TypeName(k->type)) + " Actual: " +
                                   std::string(value::TypeName(it->second.type())) + " IndexName: " + index.name);
      if (IsEmptyKeyValue(it->second))
        throw ApiError::Validation(
            "One or more parameter values are not valid. A value specified for a secondary index key is "
            "not supported. " +
            std::string(kEmptyKeyValue) + std::string(k->type == Type::kS ? "string" : "binary") +
            " value. IndexName: " + index.name + ", IndexKey: " + k->name);
    }
  }
  return MakeKey(hash, range);
}

storage::EntryKey KeyFromKeyMap(const TableSchema& t, const value::Item& key) {
  const size_t expected = t.key.range ? 2 : 1;
  auto mismatch = [] { return ApiError::Validation("The provided key element does not match the schema"); };
  if (key.size() != expected) throw mismatch();
  auto hash = key.find(t.key.hash.name);
  if (hash == key.end() || hash->second.type() != t.key.hash.type) throw mismatch();
  const AttributeValue* range = nullptr;
  if (t.key.range) {
    auto r = key.find(t.key.range->name);
    if (r == key.end() || r->second.type() != t.key.range->type) throw mismatch();
    range = &r->second;
  }
  for (const auto* v : {&hash->second, range}) {
    if (v && IsEmptyKeyValue(*v)) {
      const auto& name = v == range ? t.key.range->name : t.key.hash.name;
      throw ApiError::Validation("One or more parameter values are not valid. " + std::string(kEmptyKeyValue) +
                                 std::string(v->is(Type::kS) ? "string" : "binary") + " value. Key: " + name);
    }
  }
  CheckKeySize(t.key.hash, hash->second, true);
  if (range) CheckKeySize(*t.key.range, *range, false);
  return MakeKey(hash->second, range);
}

namespace {

// One key part's bytes in an item: the attribute's encoding, or the tuple of several (see
// key_codec.h); false if the item lacks or mistypes one of them.
bool EncodePart(const KeyParts& parts, const value::Item& item, std::string& out) {
  if (parts.size() == 1) {
    auto it = item.find(parts[0]->name);
    if (it == item.end() || it->second.type() != parts[0]->type) return false;
    out = value::EncodeKey(it->second);
    return true;
  }
  for (const KeyAttribute* k : parts) {
    auto it = item.find(k->name);
    if (it == item.end() || it->second.type() != k->type) return false;
    value::AppendTupleComponent(out, value::EncodeKey(it->second));
  }
  return true;
}

}  // namespace

std::optional<storage::EntryKey> IndexEntryKey(const SecondaryIndex& index, const value::Item& item,
                                               const storage::EntryKey& table_key) {
  storage::EntryKey key;
  if (!EncodePart(index.key.HashParts(), item, key.hk)) return std::nullopt;
  if (index.key.range && !EncodePart(index.key.RangeParts(), item, key.rk)) return std::nullopt;
  key.h = value::PartitionHash(key.hk);
  key.tk = EncodeTableKey(table_key.hk, table_key.rk);
  return key;
}

std::vector<value::AttributeValue> DecodeKeyPart(const KeyParts& parts, std::string_view bytes) {
  std::vector<value::AttributeValue> out;
  if (parts.size() == 1) {
    out.push_back(value::DecodeKey(parts[0]->type, bytes));
    return out;
  }
  const std::vector<std::string> components = value::SplitTuple(bytes);
  for (size_t i = 0; i < parts.size() && i < components.size(); ++i)
    out.push_back(value::DecodeKey(parts[i]->type, components[i]));
  return out;
}

std::string EncodeTableKey(std::string_view hk, std::string_view rk) {
  // 2-byte big-endian length of hk (hash keys are at most 2048 bytes), then hk, then rk.
  std::string tk;
  tk.reserve(2 + hk.size() + rk.size());
  tk.push_back(static_cast<char>(hk.size() >> 8));
  tk.push_back(static_cast<char>(hk.size() & 0xFF));
  tk.append(hk);
  tk.append(rk);
  return tk;
}

std::pair<std::string_view, std::string_view> DecodeTableKey(std::string_view tk) {
  const size_t n = (static_cast<uint8_t>(tk[0]) << 8) | static_cast<uint8_t>(tk[1]);
  return {tk.substr(2, n), tk.substr(2 + n)};
}

}  // namespace localddb::api
