#include "api/value/decimal.h"

#include <catch2/catch.hpp>
#include <random>

using localddb::value::Decimal;

namespace {
Decimal D(const char* s) {
  std::string error;
  auto d = Decimal::Parse(s, &error);
  INFO(s << ": " << error);
  REQUIRE(d);
  return *d;
}
std::string ParseError(const char* s) {
  std::string error;
  CHECK_FALSE(Decimal::Parse(s, &error));
  return error;
}
}  // namespace

TEST_CASE("numbers print in DynamoDB's canonical form") {
  const std::pair<const char*, const char*> cases[] = {
      {"0", "0"},
      {"-0", "0"},
      {"0.000", "0"},
      {"1E+2", "100"},
      {"1e2", "100"},
      {"0.50", "0.5"},
      {"000123", "123"},
      {"-12.50", "-12.5"},
      {"1.23e-5", "0.0000123"},
      {".5", "0.5"},
      {"5.", "5"},
      {"+7", "7"},
      {"12345678901234567890123456789012345678", "12345678901234567890123456789012345678"},
      {"9.9999999999999999999999999999999999999E+125",
       "999999999999999999999999999999999999990000000000000000000000000000000000000000000000000000000000000000000000000"
       "000000000000000"},
      {"1E-130",
       "0."
       "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000001"},
      {"100.0e-2", "1"},
  };
  for (auto [in, out] : cases) {
    INFO(in);
    CHECK(D(in).ToString() == out);
  }
}

TEST_CASE("invalid numbers get DynamoDB's messages") {
  CHECK(ParseError("abc") == "The parameter cannot be converted to a numeric value: abc");
  CHECK(ParseError("") == "The parameter cannot be converted to a numeric value: ");
  CHECK(ParseError("1e") == "The parameter cannot be converted to a numeric value: 1e");
  CHECK(ParseError("1.2.3") == "The parameter cannot be converted to a numeric value: 1.2.3");
  CHECK(ParseError("NaN") == "The parameter cannot be converted to a numeric value: NaN");
  CHECK(ParseError("1E+126") ==
        "Number overflow. Attempting to store a number with magnitude larger than supported range");
  CHECK(ParseError("-1E+126") ==
        "Number overflow. Attempting to store a number with magnitude larger than supported range");
  CHECK(ParseError("1E-131") ==
        "Number underflow. Attempting to store a number with magnitude smaller than supported range");
  CHECK(ParseError("123456789012345678901234567890123456789") ==
        "Attempting to store more than 38 significant digits in a Number");
}

TEST_CASE("comparison is by value") {
  const char* ordered[] = {"-1E+125", "-100", "-1.5", "-1", "-0.001", "0", "0.001", "0.1", "1", "1.5", "10", "1E+125"};
  for (size_t i = 0; i < std::size(ordered); ++i)
    for (size_t j = 0; j < std::size(ordered); ++j) {
      INFO(ordered[i] << " vs " << ordered[j]);
      CHECK(((D(ordered[i]) <=> D(ordered[j])) < 0) == (i < j));
      CHECK((D(ordered[i]) == D(ordered[j])) == (i == j));
    }
  CHECK(D("1.0") == D("1"));
}

TEST_CASE("exact addition and subtraction") {
  struct Case {
    const char *a, *b, *sum, *difference;
  };
  const Case cases[] = {
      {"1", "2", "3", "-1"},
      {"0.1", "0.2", "0.3", "-0.1"},
      {"-5", "3", "-2", "-8"},
      {"99999999999999999999999999999999999999", "-1", "99999999999999999999999999999999999998",
       "100000000000000000000000000000000000000"},
      {"1E+20", "1E-10", "100000000000000000000.0000000001", "99999999999999999999.9999999999"},
      {"0", "-7.25", "-7.25", "7.25"},
  };
  std::string error;
  for (const auto& c : cases) {
    INFO(c.a << " , " << c.b);
    auto sum = Decimal::Add(D(c.a), D(c.b), &error);
    REQUIRE(sum);
    CHECK(sum->ToString() == c.sum);
    auto diff = Decimal::Subtract(D(c.a), D(c.b), &error);
    REQUIRE(diff);
    CHECK(diff->ToString() == c.difference);
  }
  // 38 nines + 1 needs 39 digits of precision only if it does not round to a power of ten.
  CHECK_FALSE(Decimal::Add(D("1E+125"), D("9E+125"), &error));
  CHECK(error == "Number overflow. Attempting to store a number with magnitude larger than supported range");
  CHECK_FALSE(Decimal::Add(D("1E+20"), D("1E-20"), &error));
  CHECK(error == "Attempting to store more than 38 significant digits in a Number");
  // Too large and too precise at once: the overflow is what DynamoDB reports.
  const std::string max = std::string(38, '9') + "E+88";
  CHECK_FALSE(Decimal::Add(D(max.c_str()), D(max.c_str()), &error));
  CHECK(error == "Number overflow. Attempting to store a number with magnitude larger than supported range");
  CHECK_FALSE(Decimal::Subtract(D(("-" + max).c_str()), D(max.c_str()), &error));
  CHECK(error == "Number overflow. Attempting to store a number with magnitude larger than supported range");
}

TEST_CASE("a zero's written exponent is range-checked; an exponent past 64 bits is no number") {
  std::string error;
  CHECK_FALSE(Decimal::Parse("0e126", &error));
  CHECK(error == "Number overflow. Attempting to store a number with magnitude larger than supported range");
  CHECK_FALSE(Decimal::Parse("0e-131", &error));
  CHECK(error == "Number underflow. Attempting to store a number with magnitude smaller than supported range");
  CHECK(Decimal::Parse("0e125", &error));
  CHECK(Decimal::Parse("0.0e126", &error));  // the fraction's digit brings it back in range
  CHECK(Decimal::Parse("-0e-130", &error));
  CHECK_FALSE(Decimal::Parse("1e9223372036854775808", &error));
  CHECK(error.starts_with("The parameter cannot be converted to a numeric value"));
}
