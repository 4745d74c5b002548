#include "api/value/item_size.h"

namespace localddb::value {

// Sizes per the Developer Guide's "Item sizes and formats": strings and binaries by their byte
// length, numbers by significant digits (two per byte, plus one), BOOL and NULL one byte, lists and
// maps three bytes of overhead plus their elements (a map element includes its name).
size_t ValueSize(const AttributeValue& v) {
  switch (v.type()) {
    case Type::kS:
    case Type::kB:
      return v.s().size();
    case Type::kN: {
      const Decimal& d = v.n();
      return (d.digits().size() + 1) / 2 + 1 + (d.negative() ? 1 : 0);
    }
    case Type::kBOOL:
    case Type::kNULL:
      return 1;
    case Type::kM: {
      size_t size = 3;
      for (const auto& [name, value] : v.m()) size += AttributeSize(name, value);
      return size;
    }
    case Type::kL: {
      size_t size = 3;
      for (const auto& e : v.l()) size += ValueSize(e);
      return size;
    }
    case Type::kSS:
    case Type::kBS: {
      size_t size = 0;
      for (const auto& m : v.strings()) size += m.size();
      return size;
    }
    case Type::kNS: {
      size_t size = 0;
      for (const auto& m : v.numbers()) size += (m.digits().size() + 1) / 2 + 1 + (m.negative() ? 1 : 0);
      return size;
    }
  }
  return 0;
}

size_t AttributeSize(std::string_view name, const AttributeValue& v) {
  return name.size() + ValueSize(v);
}

size_t ItemSize(const Item& item) {
  size_t size = 0;
  for (const auto& [name, value] : item) size += AttributeSize(name, value);
  return size;
}

}  // namespace localddb::value
