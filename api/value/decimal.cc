#include "api/value/decimal.h"

#include <algorithm>
#include <limits>

namespace localddb::value {
namespace {

constexpr int kMaxDigits = 38;
// Value = 0.D * 10^E, so magnitude < 1E+126 means E <= 126 and magnitude >= 1E-130 means
// E >= -129.
constexpr int kMaxExponent = 126;
constexpr int kMinExponent = -129;

constexpr const char* kOverflow =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
constexpr const char* kUnderflow =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";
constexpr const char* kPrecision = "Attempting to store more than 38 significant digits in a Number";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// DynamoDB's message for a magnitude exponent (0.D * 10^E) outside its range; nullptr within it.
const char* ExponentRangeError(long long e) {
  if (e > kMaxExponent) return kOverflow;
  if (e < kMinExponent) return kUnderflow;
  return nullptr;
}

// Unsigned magnitude arithmetic on digit strings that share one scale (value = int(digits)).
std::string AddMagnitudes(const std::string& a, const std::string& b) {
  std::string out;
  out.reserve(std::max(a.size(), b.size()) + 1);
  int carry = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int d = carry;
    if (i < a.size()) d += a[a.size() - 1 - i] - '0';
    if (i < b.size()) d += b[b.size() - 1 - i] - '0';
    out.push_back(static_cast<char>('0' + d % 10));
    carry = d / 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// REQUIRES: a >= b as integers of equal length.
std::string SubtractMagnitudes(const std::string& a, const std::string& b) {
  std::string out(a.size(), '0');
  int borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int d = (a[a.size() - 1 - i] - '0') - borrow - (b[b.size() - 1 - i] - '0');
    borrow = d < 0;
    if (d < 0) d += 10;
    out[a.size() - 1 - i] = static_cast<char>('0' + d);
  }
  return out;
}

}  // namespace

std::optional<Decimal> Decimal::Parse(std::string_view text, std::string* error) {
  auto fail = [&](std::string message) -> std::optional<Decimal> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  auto invalid = [&] { return fail("The parameter cannot be converted to a numeric value: " + std::string(text)); };
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string mantissa;  // every digit, in order
  int point = -1;        // number of digits before the decimal point
  bool any_digit = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (IsDigit(c)) {
      mantissa.push_back(c);
      any_digit = true;
    } else if (c == '.' && point < 0) {
      point = static_cast<int>(mantissa.size());
    } else {
      break;
    }
  }
  if (!any_digit) return invalid();
  if (point < 0) point = static_cast<int>(mantissa.size());
  long long exp = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    if (i >= text.size()) return invalid();
    // An exponent a 64-bit integer cannot hold is no number at all to DynamoDB.
    unsigned long long magnitude = 0;
    for (; i < text.size(); ++i) {
      if (!IsDigit(text[i])) return invalid();
      const unsigned digit = static_cast<unsigned>(text[i] - '0');
      if (magnitude > (9223372036854775807ULL - digit) / 10) return invalid();
      magnitude = magnitude * 10 + digit;
    }
    // Saturate: anything this large is out of range either way.
    exp = static_cast<long long>(std::min<unsigned long long>(magnitude, 100000000ULL));
    if (exp_negative) exp = -exp;
  }
  if (i != text.size()) return invalid();

  size_t first = mantissa.find_first_not_of('0');
  Decimal d;
  if (first == std::string::npos) {
    // Zero, whatever its sign, but its exponent as written (less the fraction's digits) is still
    // range-checked, as DynamoDB does: 0e126 is an overflow, 0e-131 an underflow.
    const long long written = exp - (static_cast<long long>(mantissa.size()) - point) + 1;
    if (const char* range = ExponentRangeError(written)) return fail(range);
    return d;
  }
  size_t last = mantissa.find_last_not_of('0');
  d.digits_ = mantissa.substr(first, last - first + 1);
  d.negative_ = negative;
  long long e = static_cast<long long>(point) - static_cast<long long>(first) + exp;
  if (d.digits_.size() > kMaxDigits) return fail(kPrecision);
  if (const char* range = ExponentRangeError(e)) return fail(range);
  d.exponent_ = static_cast<int>(e);
  return d;
}

Decimal Decimal::FromInt(int64_t v) {
  std::string error;
  return *Parse(std::to_string(v), &error);
}

std::string Decimal::ToString() const {
  if (digits_.empty()) return "0";
  std::string out;
  const int n = static_cast<int>(digits_.size());
  out.reserve(n + std::abs(exponent_) + 3);
  if (negative_) out.push_back('-');
  if (exponent_ <= 0) {
    out += "0.";
    out.append(-exponent_, '0');
    out += digits_;
  } else if (exponent_ < n) {
    out.append(digits_, 0, exponent_);
    out.push_back('.');
    out.append(digits_, exponent_);
  } else {
    out += digits_;
    out.append(exponent_ - n, '0');
  }
  return out;
}

std::strong_ordering Decimal::operator<=>(const Decimal& o) const {
  auto sign = [](const Decimal& d) { return d.IsZero() ? 0 : (d.negative_ ? -1 : 1); };
  const int sa = sign(*this), sb = sign(o);
  if (sa != sb) return sa <=> sb;
  if (sa == 0) return std::strong_ordering::equal;
  // Same sign: compare magnitudes, then flip for negatives.
  std::strong_ordering mag = exponent_ <=> o.exponent_;
  if (mag == 0) {
    // No trailing zeros, so plain string order is value order of 0.D.
    int c = digits_.compare(o.digits_);
    mag = c <=> 0;
  }
  if (sa < 0) return 0 <=> mag;
  return mag;
}

namespace {

// value = int(digits) * 10^scale
struct Scaled {
  std::string digits;
  long long scale;
};

Scaled ToScaled(const Decimal& d) {
  return {d.digits(), static_cast<long long>(d.exponent()) - static_cast<long long>(d.digits().size())};
}

std::optional<Decimal> FromParts(bool negative, std::string digits, long long scale, std::string* error) {
  // An arithmetic result too large is an overflow, whatever its digits: DynamoDB says so before it
  // counts them (Parse, for a number as written, counts digits first).
  if (const size_t first = digits.find_first_not_of('0');
      first != std::string::npos && static_cast<long long>(digits.size() - first) + scale > kMaxExponent) {
    if (error) *error = kOverflow;
    return std::nullopt;
  }
  // Build "digits e scale" text and reuse Parse's normalisation and range checks.
  std::string text;
  text.reserve(digits.size() + 24);
  if (negative) text.push_back('-');
  text += digits;
  text.push_back('E');
  text += std::to_string(scale);
  // Significant digits are counted after trimming, so a long carry chain of zeros is fine.
  return Decimal::Parse(text, error);
}

std::optional<Decimal> AddSigned(const Decimal& a, bool b_negative, const Decimal& b_abs, std::string* error) {
  if (b_abs.IsZero()) return a;
  Scaled x = ToScaled(a), y = ToScaled(b_abs);
  if (a.IsZero()) {
    return FromParts(b_negative, y.digits, y.scale, error);
  }
  // Align to the smaller scale. Exponents are bounded (|E| <= 130, <= 38 digits), so the padded
  // strings stay a few hundred characters at most.
  long long scale = std::min(x.scale, y.scale);
  x.digits.append(static_cast<size_t>(x.scale - scale), '0');
  y.digits.append(static_cast<size_t>(y.scale - scale), '0');
  size_t width = std::max(x.digits.size(), y.digits.size());
  x.digits.insert(0, width - x.digits.size(), '0');
  y.digits.insert(0, width - y.digits.size(), '0');
  if (a.negative() == b_negative) {
    return FromParts(b_negative, AddMagnitudes(x.digits, y.digits), scale, error);
  }
  int c = x.digits.compare(y.digits);
  if (c == 0) return Decimal();
  if (c > 0) return FromParts(a.negative(), SubtractMagnitudes(x.digits, y.digits), scale, error);
  return FromParts(b_negative, SubtractMagnitudes(y.digits, x.digits), scale, error);
}

}  // namespace

std::optional<Decimal> Decimal::Add(const Decimal& a, const Decimal& b, std::string* error) {
  Decimal b_abs = b;
  b_abs.negative_ = false;
  return AddSigned(a, b.negative_, b_abs, error);
}

std::optional<Decimal> Decimal::Subtract(const Decimal& a, const Decimal& b, std::string* error) {
  Decimal b_abs = b;
  b_abs.negative_ = false;
  return AddSigned(a, !b.negative_ && !b.IsZero(), b_abs, error);
}

BigDecimalExponent ClassifyBigDecimalExponent(std::string_view text) {
  const size_t e = text.find_first_of("eE");
  if (e == std::string_view::npos) return BigDecimalExponent::kFine;
  std::string_view mantissa = text.substr(0, e);
  if (!mantissa.empty() && (mantissa[0] == '-' || mantissa[0] == '+')) mantissa.remove_prefix(1);
  long long exponent = 0;
  size_t i = e + 1;
  const bool negative = i < text.size() && text[i] == '-';
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  if (i == text.size()) return BigDecimalExponent::kFine;
  for (; i < text.size(); ++i) {
    if (!IsDigit(text[i])) return BigDecimalExponent::kFine;  // not a number: reported elsewhere
    if (exponent < (1LL << 40)) exponent = exponent * 10 + (text[i] - '0');
  }
  if (negative) exponent = -exponent;
  constexpr long long kIntMax = 2147483647LL, kIntMin = -2147483648LL;
  if (exponent > kIntMax || exponent < kIntMin) return BigDecimalExponent::kRefused;
  const size_t point = mantissa.find('.');
  const long long fraction = point == std::string_view::npos ? 0 : static_cast<long long>(mantissa.size() - point - 1);
  const long long scale = fraction - exponent;
  if (scale > kIntMax || scale < kIntMin) return BigDecimalExponent::kRefused;
  const size_t whole_end = point == std::string_view::npos ? mantissa.size() : point;
  const size_t first = mantissa.find_first_not_of("0.");
  if (first == std::string_view::npos) return BigDecimalExponent::kFine;  // zero
  const long long leading = first < whole_end ? static_cast<long long>(whole_end - first) : 0;
  return exponent + leading > kIntMax ? BigDecimalExponent::kWraps : BigDecimalExponent::kFine;
}

}  // namespace localddb::value
