#include "api/value/key_codec.h"

#include <stdexcept>

namespace localddb::value {

// Number encoding (order-preserving under memcmp). A number is 0.D x 10^E (see decimal.h), with
// E in [-129, 126] and D having no leading or trailing zeros:
//
//   zero      := 0x02
//   positive  := 0x03  byte(E + 129)        D as ASCII digits
//   negative  := 0x01  byte(255 - (E+129))  (9 - d) for each digit d, as ASCII   0xFF
//
// Signs order the classes; within positives a bigger exponent is a bigger number, then the digit
// string decides (a prefix is smaller: 0.12 < 0.123). Negatives invert both, and the 0xFF
// terminator makes a prefix sort after its extensions (-0.12 > -0.123).
// Worked example: 100 = 0.1 x 10^3 -> 03 84 31;  -1 = -0.1 x 10^1 -> 01 7D 38 FF;  0 -> 02.
namespace {
constexpr char kNegative = 0x01, kZero = 0x02, kPositive = 0x03;
constexpr int kBias = 129;
}  // namespace

std::string EncodeKey(const AttributeValue& v) {
  if (v.type() != Type::kN) return v.s();  // S and B: the raw bytes
  const Decimal& d = v.n();
  std::string out;
  if (d.IsZero()) return std::string(1, kZero);
  out.reserve(d.digits().size() + 3);
  const int e = d.exponent() + kBias;
  if (!d.negative()) {
    out.push_back(kPositive);
    out.push_back(static_cast<char>(e));
    out += d.digits();
  } else {
    out.push_back(kNegative);
    out.push_back(static_cast<char>(255 - e));
    for (char c : d.digits()) out.push_back(static_cast<char>('9' - c + '0'));
    out.push_back(static_cast<char>(0xFF));
  }
  return out;
}

AttributeValue DecodeKey(Type type, std::string_view bytes) {
  if (type == Type::kS) return AttributeValue::S(std::string(bytes));
  if (type == Type::kB) return AttributeValue::B(std::string(bytes));
  if (bytes.empty() || bytes[0] == kZero) return AttributeValue::N(Decimal());
  const bool negative = bytes[0] == kNegative;
  int e = static_cast<uint8_t>(bytes[1]);
  std::string digits;
  if (!negative) {
    digits.assign(bytes.substr(2));
  } else {
    e = 255 - e;
    for (char c : bytes.substr(2, bytes.size() - 3)) digits.push_back(static_cast<char>('9' - c + '0'));
  }
  std::string text = (negative ? "-0." : "0.") + digits + "E" + std::to_string(e - kBias);
  std::string error;
  auto d = Decimal::Parse(text, &error);
  if (!d) throw std::runtime_error("corrupt number key");
  return AttributeValue::N(*d);
}

void AppendTupleComponentPrefix(std::string& out, std::string_view encoded) {
  for (char c : encoded) {
    out.push_back(c);
    if (c == '\0') out.push_back(static_cast<char>(0xFF));
  }
}

void AppendTupleComponent(std::string& out, std::string_view encoded) {
  AppendTupleComponentPrefix(out, encoded);
  out.append(kTupleTerminator);
}

std::vector<std::string> SplitTuple(std::string_view tuple) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < tuple.size(); ++i) {
    if (tuple[i] != '\0') {
      parts.back().push_back(tuple[i]);
      continue;
    }
    if (i + 1 >= tuple.size()) return {};
    const auto next = static_cast<uint8_t>(tuple[++i]);
    if (next == 0xFF) {
      parts.back().push_back('\0');
    } else if (next == 0x01) {
      parts.emplace_back();
    } else {
      return {};
    }
  }
  if (!parts.back().empty()) return {};  // no terminator after the last component
  parts.pop_back();
  return parts;
}

uint32_t PartitionHash(std::string_view key) {
  // FNV-1a, 32 bits. On disk: never change (items are stored in this order).
  uint32_t h = 2166136261u;
  for (unsigned char c : key) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

}  // namespace localddb::value
