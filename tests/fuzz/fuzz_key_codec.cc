// fuzz_key_codec: the key encodings of api/value/key_codec.h (the bytes storage orders with memcmp).
//
// Feeds: two key values of one type (S, N or B, picked by the first byte) built from the input
// (FuzzedDataProvider): S and B from raw bytes; N either from number text (Decimal::Parse) or
// from a sign, digits and an exponent taken from the bytes.
//
// Checks, for each value: DecodeKey(EncodeKey(x)) == x and re-encodes to the same bytes; a
// number's canonical text (Decimal::ToString) parses back to the same number. For the pair: the
// memcmp order of the two encodings is DynamoDB's order of the values (strings and binaries by
// unsigned bytes; numbers by value, judged independently from their canonical decimal text), and
// Decimal's operator<=> agrees; exact arithmetic is consistent ((a + b) - b == a, a + b == b + a,
// the sign of a - b is the order of a and b) whenever it stays within 38 digits.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "api/value/key_codec.h"
#include "fuzz_check.h"

using namespace localddb;
using value::AttributeValue;
using value::Decimal;
using value::Type;

namespace {

int Sign(int c) { return (c > 0) - (c < 0); }

int CompareBytes(const std::string& a, const std::string& b) {
  const int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (c != 0) return Sign(c);
  return Sign(int(a.size() > b.size()) - int(a.size() < b.size()));
}

// Order of two numbers from their canonical text ("-12.5", "0.001", "300"), independent of
// Decimal's own representation.
int CompareDecimalText(const std::string& x, const std::string& y) {
  struct Parts {
    int sign;
    std::string integer, fraction;
  };
  auto split = [](std::string s) {
    Parts p{1, "", ""};
    if (!s.empty() && s[0] == '-') {
      p.sign = -1;
      s.erase(0, 1);
    }
    size_t dot = s.find('.');
    p.integer = s.substr(0, dot);
    p.fraction = dot == std::string::npos ? "" : s.substr(dot + 1);
    p.integer.erase(0, std::min(p.integer.find_first_not_of('0'), p.integer.size()));
    while (!p.fraction.empty() && p.fraction.back() == '0') p.fraction.pop_back();
    if (p.integer.empty() && p.fraction.empty()) p.sign = 0;
    return p;
  };
  Parts a = split(x), b = split(y);
  if (a.sign != b.sign) return Sign(a.sign - b.sign);
  if (a.sign == 0) return 0;
  int mag;
  if (a.integer.size() != b.integer.size()) {
    mag = a.integer.size() < b.integer.size() ? -1 : 1;
  } else {
    mag = Sign(a.integer.compare(b.integer));
    if (mag == 0) {
      const size_t w = std::max(a.fraction.size(), b.fraction.size());
      a.fraction.resize(w, '0');
      b.fraction.resize(w, '0');
      mag = Sign(a.fraction.compare(b.fraction));
    }
  }
  return a.sign * mag;
}

std::optional<AttributeValue> MakeValue(Type type, FuzzedDataProvider& in) {
  if (type != Type::kN) {
    std::string bytes = in.ConsumeRandomLengthString(256);
    return type == Type::kS ? AttributeValue::S(std::move(bytes)) : AttributeValue::B(std::move(bytes));
  }
  std::string text;
  if (in.ConsumeBool()) {
    text = in.ConsumeRandomLengthString(64);  // number text as a client sends it
  } else {
    // sign, up to 40 digits, exponent: mostly valid numbers, near the 38-digit and range limits.
    const bool negative = in.ConsumeBool();
    const size_t n = in.ConsumeIntegralInRange<size_t>(1, 40);
    std::string digits;
    for (size_t i = 0; i < n; ++i) digits.push_back(static_cast<char>('0' + in.ConsumeIntegralInRange<int>(0, 9)));
    const int exponent = in.ConsumeIntegralInRange<int>(-170, 170);
    text = (negative ? "-" : "") + digits + "E" + std::to_string(exponent);
  }
  std::string error;
  auto d = Decimal::Parse(text, &error);
  if (!d) {
    FUZZ_CHECK(!error.empty(), "Decimal::Parse failed without a message for " + fuzz::Quote(text));
    return std::nullopt;
  }
  const std::string canonical = d->ToString();
  auto again = Decimal::Parse(canonical, &error);
  FUZZ_CHECK(again && *again == *d,
             "canonical text does not parse back: " + fuzz::Quote(text) + " -> " + fuzz::Quote(canonical));
  FUZZ_CHECK(again->ToString() == canonical, "ToString not stable for " + fuzz::Quote(canonical));
  // Plain decimal text ("-12.50", "007") keeps its value: judged by the text comparison alone.
  const std::string_view body = std::string_view(text).substr(!text.empty() && text[0] == '-');
  const size_t dot = body.find('.');
  auto digits_only = [](std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (digits_only(body.substr(0, dot)) && (dot == std::string_view::npos || digits_only(body.substr(dot + 1))))
    FUZZ_CHECK(CompareDecimalText(canonical, text) == 0,
               "value changed: " + fuzz::Quote(text) + " -> " + fuzz::Quote(canonical));
  return AttributeValue::N(*d);
}

std::string Describe(const AttributeValue& v) { return v.is(Type::kN) ? v.n().ToString() : fuzz::Quote(v.s()); }

std::string CheckRoundTrip(Type type, const AttributeValue& v) {
  const std::string encoded = value::EncodeKey(v);
  const AttributeValue decoded = value::DecodeKey(type, encoded);
  FUZZ_CHECK(decoded == v, "DecodeKey(EncodeKey(x)) != x for " + Describe(v) + ", encoded " + fuzz::Quote(encoded) +
                               ", decoded " + Describe(decoded));
  FUZZ_CHECK(value::EncodeKey(decoded) == encoded, "re-encoding differs for " + Describe(v));
  (void)value::PartitionHash(encoded);
  return encoded;
}

void CheckArithmetic(const Decimal& a, const Decimal& b, int order) {
  std::string error;
  auto sum = Decimal::Add(a, b, &error);
  auto sum2 = Decimal::Add(b, a, &error);
  FUZZ_CHECK(sum.has_value() == sum2.has_value() && (!sum || *sum == *sum2),
             "a + b != b + a for " + a.ToString() + ", " + b.ToString());
  if (sum) {
    auto back = Decimal::Subtract(*sum, b, &error);
    if (back)
      FUZZ_CHECK(*back == a, "(a + b) - b != a for a=" + a.ToString() + " b=" + b.ToString() + ": got " +
                                 back->ToString() + " via a+b=" + sum->ToString());
  }
  auto diff = Decimal::Subtract(a, b, &error);
  if (diff) {
    const int sign = diff->IsZero() ? 0 : (diff->negative() ? -1 : 1);
    FUZZ_CHECK(sign == order, "sign of a - b (" + diff->ToString() + ") disagrees with the order of a=" + a.ToString() +
                                  " b=" + b.ToString());
  }
  auto self = Decimal::Subtract(a, a, &error);
  FUZZ_CHECK(self && self->IsZero(), "a - a != 0 for " + a.ToString());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  static constexpr Type kTypes[] = {Type::kS, Type::kN, Type::kB};
  const Type type = kTypes[in.ConsumeIntegralInRange<int>(0, 2)];
  auto a = MakeValue(type, in);
  auto b = MakeValue(type, in);
  if (!a || !b) return 0;

  const std::string ea = CheckRoundTrip(type, *a);
  const std::string eb = CheckRoundTrip(type, *b);
  const int by_encoding = CompareBytes(ea, eb);
  int expected;
  if (type == Type::kN) {
    expected = CompareDecimalText(a->n().ToString(), b->n().ToString());
    const auto cmp = a->n() <=> b->n();
    const int by_decimal = cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
    FUZZ_CHECK(by_decimal == expected, "Decimal <=> says " + std::to_string(by_decimal) + ", value order " +
                                           std::to_string(expected) + ": " + Describe(*a) + " vs " + Describe(*b));
    FUZZ_CHECK((expected == 0) == (*a == *b),
               "equality disagrees with order for " + Describe(*a) + ", " + Describe(*b));
    CheckArithmetic(a->n(), b->n(), expected);
  } else {
    expected = CompareBytes(a->s(), b->s());
  }
  FUZZ_CHECK(by_encoding == expected, "memcmp order of encodings " + std::to_string(by_encoding) +
                                          " != DynamoDB order " + std::to_string(expected) + ": " + Describe(*a) +
                                          " vs " + Describe(*b) + "; encodings " + fuzz::Quote(ea) + " vs " +
                                          fuzz::Quote(eb));
  return 0;
}
