#include "api/value/item_size.h"

#include <algorithm>

namespace localddb::value {
namespace {

int FloorHalf(int x) { return x >= 0 ? x / 2 : -((-x + 1) / 2); }

// A number costs one byte plus one per base-100 digit pair, pairs aligned on the decimal point,
// from the first significant pair to the last, plus one if negative. (The Developer Guide's "one
// byte per two significant digits" undercounts digits straddling the point: 3.14159 costs 5,
// 123456 costs 4, 1E125 costs 2, as measured on DynamoDB.)
size_t NumberSize(const Decimal& d) {
  if (d.IsZero()) return 1;
  // Value = 0.D x 10^E: digit i sits at decimal place E - 1 - i.
  const int first_place = d.exponent() - 1;
  const int last_place = d.exponent() - static_cast<int>(d.digits().size());
  const int pairs = FloorHalf(first_place) - FloorHalf(last_place) + 1;
  return 1 + static_cast<size_t>(pairs) + (d.negative() ? 1 : 0);
}

}  // namespace

// Sizes per the Developer Guide's "Item sizes and formats": strings and binaries by their byte
// length, numbers as NumberSize says, BOOL and NULL one byte, lists and maps three bytes of
// overhead plus their elements and one byte per element (a map element includes its name).
size_t ValueSize(const AttributeValue& v) {
  switch (v.type()) {
    case Type::kS:
    case Type::kB:
      return v.s().size();
    case Type::kN:
      return NumberSize(v.n());
    case Type::kBOOL:
    case Type::kNULL:
      return 1;
    case Type::kM: {
      size_t size = 3;
      for (const auto& [name, value] : v.m()) size += AttributeSize(name, value) + 1;
      return size;
    }
    case Type::kL: {
      size_t size = 3;
      for (const auto& e : v.l()) size += ValueSize(e) + 1;
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
      for (const auto& m : v.numbers()) size += NumberSize(m);
      return size;
    }
  }
  return 0;
}

size_t AttributeSize(std::string_view name, const AttributeValue& v) { return name.size() + ValueSize(v); }

size_t ItemSize(const Item& item) {
  size_t size = 0;
  for (const auto& [name, value] : item) size += AttributeSize(name, value);
  return size;
}

namespace {
int Depth(const AttributeValue& v) {
  int deepest = 0;
  if (v.type() == Type::kM)
    for (const auto& [name, e] : v.m()) deepest = std::max(deepest, Depth(e));
  else if (v.type() == Type::kL)
    for (const auto& e : v.l()) deepest = std::max(deepest, Depth(e));
  else
    return 1;
  return deepest + 1;
}
}  // namespace

int NestingDepth(const Item& item) {
  int deepest = 0;
  for (const auto& [name, v] : item) deepest = std::max(deepest, Depth(v));
  return deepest;
}

}  // namespace localddb::value
