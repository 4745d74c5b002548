#include "api/value/key_codec.h"

#include <catch2/catch.hpp>
#include <random>

using namespace localddb::value;

namespace {
AttributeValue Num(const std::string& s) {
  std::string error;
  return AttributeValue::N(*Decimal::Parse(s, &error));
}
}  // namespace

TEST_CASE("encoded numbers sort like the numbers") {
  std::mt19937 rng(42);
  std::vector<std::string> samples = {"0",       "1",      "-1",      "0.1",       "-0.1",        "0.12",
                                      "0.123",   "-0.12",  "-0.123",  "10",        "9.99",        "1E+125",
                                      "-1E+125", "1E-130", "-1E-130", "123456789", "-123456789.5"};
  std::uniform_int_distribution<int> digits(0, 9), len(1, 12), exp(-20, 20), sign(0, 1);
  for (int i = 0; i < 300; ++i) {
    std::string s = sign(rng) ? "-" : "";
    int n = len(rng);
    for (int j = 0; j < n; ++j) s.push_back(static_cast<char>('0' + digits(rng)));
    s += "E" + std::to_string(exp(rng));
    samples.push_back(s);
  }
  for (const auto& a : samples)
    for (const auto& b : samples) {
      auto va = Num(a), vb = Num(b);
      auto ea = EncodeKey(va), eb = EncodeKey(vb);
      INFO(a << " vs " << b);
      CHECK(((va.n() <=> vb.n()) < 0) == (ea < eb));
      CHECK((va.n() == vb.n()) == (ea == eb));
    }
}

TEST_CASE("key encoding round-trips") {
  for (const char* s : {"0", "-1", "3.14159", "-0.000123", "1E+125", "99999999999999999999999999999999999999"}) {
    auto v = Num(s);
    CHECK(DecodeKey(Type::kN, EncodeKey(v)) == v);
  }
  auto str = AttributeValue::S("héllo");
  CHECK(DecodeKey(Type::kS, EncodeKey(str)) == str);
  auto bin = AttributeValue::B(std::string("\x00\xff\x10", 3));
  CHECK(DecodeKey(Type::kB, EncodeKey(bin)) == bin);
}

TEST_CASE("strings and binaries sort by unsigned bytes") {
  CHECK(EncodeKey(AttributeValue::S("a")) < EncodeKey(AttributeValue::S("b")));
  CHECK(EncodeKey(AttributeValue::S("a")) < EncodeKey(AttributeValue::S("ab")));
  CHECK(EncodeKey(AttributeValue::B("\x01")) < EncodeKey(AttributeValue::B("\xff")));
  CHECK(EncodeKey(AttributeValue::S("Z")) < EncodeKey(AttributeValue::S("a")));
}

TEST_CASE("tuples sort component by component and split back") {
  // Components with 0x00 bytes, prefixes of each other, and numbers whose encodings hold 0x00.
  const std::vector<std::vector<AttributeValue>> tuples = {
      {AttributeValue::B(std::string("\0", 1)), Num("1")},
      {AttributeValue::B(std::string("\0\0", 2)), Num("-1")},
      {AttributeValue::B(std::string("\0\x01", 2)), Num("0")},
      {AttributeValue::B("a"), Num("1E-129")},
      {AttributeValue::B("a"), Num("1E+125")},
      {AttributeValue::B(std::string("a\0", 2)), Num("-1E+125")},
      {AttributeValue::B("ab"), Num("2")},
      {AttributeValue::B("b"), Num("-3")},
  };
  auto encode = [](const std::vector<AttributeValue>& t) {
    std::string out;
    for (const auto& v : t) AppendTupleComponent(out, EncodeKey(v));
    return out;
  };
  for (size_t i = 0; i < tuples.size(); ++i) {
    const std::string e = encode(tuples[i]);
    const std::vector<std::string> parts = SplitTuple(e);
    REQUIRE(parts.size() == 2);
    CHECK(DecodeKey(Type::kB, parts[0]) == tuples[i][0]);
    CHECK(DecodeKey(Type::kN, parts[1]) == tuples[i][1]);
    for (size_t j = i + 1; j < tuples.size(); ++j) CHECK(e < encode(tuples[j]));
  }
  // A leading component's range: every tuple starting with it lies in [c + 00 01, c + 00 02).
  std::string low, high;
  AppendTupleComponent(low, "a");
  AppendTupleComponentPrefix(high, "a");
  high.append(kTupleAfterComponent);
  for (const auto& t : tuples) {
    const std::string e = encode(t);
    CHECK((e >= low && e < high) == (t[0] == AttributeValue::B("a")));
  }
  CHECK(SplitTuple(std::string("a\0", 2)).empty());  // truncated: no tuple
  CHECK(SplitTuple("a").empty());
}
