// Decimal: DynamoDB's Number, an exact decimal of up to 38 significant digits.
//
// Value = (negative ? -1 : 1) * 0.d1d2...dn * 10^exponent, with digits d1..dn having no leading
// or trailing zeros (zero is the empty digit string, never negative). Normalised on construction,
// so equal numbers have equal representations and operator== is value equality.
// Range, as DynamoDB: magnitude in [1E-130, 1E+126), or zero.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace localddb::value {

class Decimal {
 public:
  Decimal() = default;  // zero

  // Parses DynamoDB number text ("-12.5e3", "0.001", "1E+2"). On failure returns nullopt and sets
  // *error to DynamoDB's ValidationException message for it (invalid text, overflow, underflow,
  // more than 38 significant digits).
  static std::optional<Decimal> Parse(std::string_view text, std::string* error);
  static Decimal FromInt(int64_t v);

  // DynamoDB's canonical text, as it returns numbers: no exponent, no trailing fractional zeros,
  // no leading zeros ("1E+2" -> "100", "0.50" -> "0.5", "-0" -> "0").
  std::string ToString() const;

  bool IsZero() const { return digits_.empty(); }
  bool negative() const { return negative_; }
  const std::string& digits() const { return digits_; }
  int exponent() const { return exponent_; }

  // Exact arithmetic. On overflow, underflow or a result needing more than 38 significant digits,
  // returns nullopt and sets *error to DynamoDB's message.
  static std::optional<Decimal> Add(const Decimal& a, const Decimal& b, std::string* error);
  static std::optional<Decimal> Subtract(const Decimal& a, const Decimal& b, std::string* error);

  std::strong_ordering operator<=>(const Decimal& other) const;
  bool operator==(const Decimal& other) const = default;

 private:
  bool negative_ = false;
  std::string digits_;  // '1'..'9' first and last, or empty for zero
  int exponent_ = 0;
};

// How Java's BigDecimal, which some of DynamoDB's paths read numbers with (the older value layer,
// PartiQL), takes number text whose exponent is far out of DynamoDB's range:
//   kRefused  the exponent, or the scale it implies, is outside Java's int: no number at all
//   kWraps    the magnitude's exponent passes 2^31 - 1 and wraps negative: "too small"
//   kFine     neither (any other range error is reported as usual)
enum class BigDecimalExponent { kFine, kRefused, kWraps };
BigDecimalExponent ClassifyBigDecimalExponent(std::string_view text);

}  // namespace localddb::value
