#include "api/value/json_codec.h"

#include <catch2/catch.hpp>

#include "api/error.h"
#include "api/value/item_size.h"

using namespace localddb;
using namespace localddb::value;

namespace {
std::pair<std::string, std::string> ErrorOf(const std::string& json) {
  json::Document d;
  d.Parse(json.c_str());
  REQUIRE_FALSE(d.HasParseError());
  try {
    ParseAttributeValue(d);
  } catch (const api::ApiError& e) {
    return {std::string(e.name()), e.message()};
  }
  return {"", ""};
}
std::string RoundTrip(const std::string& json) {
  json::Document d;
  d.Parse(json.c_str());
  return AttributeValueToJson(ParseAttributeValue(d));
}
}  // namespace

TEST_CASE("attribute values round-trip canonically") {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"S":"x"})", R"({"S":"x"})"},
      {R"({"N":"1E+2"})", R"({"N":"100"})"},
      {R"({"B":"aGVsbG8="})", R"({"B":"aGVsbG8="})"},
      {R"({"BOOL":false})", R"({"BOOL":false})"},
      {R"({"NULL":true})", R"({"NULL":true})"},
      {R"({"L":[{"N":"01"},{"S":""}]})", R"({"L":[{"N":"1"},{"S":""}]})"},
      {R"({"M":{"b":{"S":"2"},"a":{"S":"1"}}})", R"({"M":{"a":{"S":"1"},"b":{"S":"2"}}})"},
      // Sets come back in DynamoDB's order: bytewise, numbers by value.
      {R"({"SS":["b","a",""]})", R"({"SS":["","a","b"]})"},
      {R"({"NS":["10","9","-1"]})", R"({"NS":["-1","9","10"]})"},
      {R"({"NS":["1.0","2"]})", R"({"NS":["1","2"]})"},
      {R"({"BS":["AA==","AQ=="]})", R"({"BS":["AA==","AQ=="]})"},
  };
  for (auto [in, out] : cases) {
    INFO(in);
    CHECK(RoundTrip(in) == out);
  }
}

TEST_CASE("invalid attribute values get DynamoDB's errors") {
  using P = std::pair<std::string, std::string>;
  CHECK(ErrorOf("{}") == P{"ValidationException",
                           "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"});
  CHECK(ErrorOf(R"({"S":"a","N":"1"})") == P{"ValidationException",
                                             "Supplied AttributeValue has more than one datatypes set, must contain "
                                             "exactly one of the supported datatypes"});
  CHECK(ErrorOf(R"({"SS":[]})") ==
        P{"ValidationException", "One or more parameter values were invalid: An string set  may not be empty"});
  CHECK(ErrorOf(R"({"NS":[]})") ==
        P{"ValidationException", "One or more parameter values were invalid: An number set  may not be empty"});
  CHECK(ErrorOf(R"({"BS":[]})") ==
        P{"ValidationException", "One or more parameter values were invalid: Binary sets should not be empty"});
  // Duplicate members: DynamoDB's wording depends on the operation's value layer.
  const std::string invalid = "One or more parameter values were invalid: ";
  CHECK(ErrorOf(R"({"SS":["b","a","b"]})") ==
        P{"ValidationException", invalid + R"(Input collection ["a", "b", "b"] contains duplicates.)"});
  CHECK(
      ErrorOf(R"({"BS":["/w==","AA==","AA=="]})") ==
      P{"ValidationException", invalid + R"(Input collection ["AA==","/w==","AA=="]of type BS contains duplicates.)"});
  CHECK(ErrorOf(R"({"NS":["2","1","2.0"]})") ==
        P{"ValidationException", invalid + "Input collection contains duplicates."});
  {
    ScopedValueLayer older(ValueLayer::kOlder);
    CHECK(ErrorOf(R"({"SS":["b","a","b"]})") ==
          P{"ValidationException", invalid + "Input collection [b, a, b] contains duplicates."});
    CHECK(ErrorOf(R"({"BS":["/w==","AA==","AA=="]})") ==
          P{"ValidationException", invalid + "Input collection [/w==, AA==, AA==]of type BS contains duplicates."});
    CHECK(ErrorOf(R"({"NS":["2","1","2"]})") == P{"ValidationException", "Input collection contains duplicates"});
    CHECK(ErrorOf(R"({"N":""})") == P{"ValidationException", "The parameter cannot be converted to a numeric value"});
  }
  {
    ScopedValueLayer enveloped(ValueLayer::kEnveloped);
    CHECK(ErrorOf(R"({"N":""})") ==
          P{"ValidationException",
            "1 validation error detected: The parameter cannot be converted to a numeric value: "});
    CHECK(ErrorOf(R"({"N":"1e126"})") == P{"ValidationException",
                                           "1 validation error detected: Number overflow. Attempting to store a number "
                                           "with magnitude larger than supported range"});
  }
  CHECK(ErrorOf(R"({"NULL":false})") ==
        P{"ValidationException",
          "One or more parameter values were invalid: Null attribute value types must have the value of true"});
  CHECK(ErrorOf(R"({"N":"x"})") == P{"ValidationException", "The parameter cannot be converted to a numeric value: x"});
  CHECK(ErrorOf(R"({"S":5})").first == "SerializationException");
  CHECK(ErrorOf(R"({"BOOL":"true"})").first == "SerializationException");
  CHECK(ErrorOf(R"({"M":[]})").first == "SerializationException");
  CHECK(ErrorOf(R"({"B":"abc"})").first == "SerializationException");
}

TEST_CASE("nesting deeper than 32 levels is refused") {
  auto nested = [](int depth) {
    std::string s;
    for (int i = 0; i < depth; ++i) s += R"({"L":[)";
    s += R"({"S":"x"})";
    for (int i = 0; i < depth; ++i) s += "]}";
    return s;
  };
  CHECK(ErrorOf(nested(31)).first.empty());
  CHECK(ErrorOf(nested(32)) ==
        std::pair<std::string, std::string>{"ValidationException",
                                            "Nesting Levels have exceeded supported limits: Attributes in the item "
                                            "have nested levels beyond supported limit"});
}

TEST_CASE("base64 is strict") {
  std::string out;
  CHECK(Base64Decode("aGVsbG8=", &out));
  CHECK(out == "hello");
  CHECK(Base64Encode("hello") == "aGVsbG8=");
  CHECK(Base64Encode("") == "");
  CHECK_FALSE(Base64Decode("aGVsbG8", &out));
  CHECK_FALSE(Base64Decode("a=GV", &out));
  CHECK_FALSE(Base64Decode("aGV*bG8=", &out));
}

TEST_CASE("numbers cost one byte per base-100 digit pair plus one, as measured on DynamoDB") {
  const std::pair<const char*, size_t> cases[] = {
      {"0", 1},       {"1", 2},     {"123456", 4},
      {"3.14159", 5}, {"1E125", 2}, {"42.12", 3},
      {"-1", 3},      {"0.001", 2}, {"12345678901234567890123456789012345678", 20},
      {"100", 2},     {"1.5", 3},
  };
  for (auto [text, bytes] : cases) {
    json::Document d;
    const std::string json = std::string(R"({"N":")") + text + R"("})";
    d.Parse(json.c_str());
    INFO(text);
    CHECK(ValueSize(ParseAttributeValue(d)) == bytes);
  }
}

TEST_CASE("item sizes follow the documented rules") {
  json::Document d;
  d.Parse(R"({"ab":{"S":"xyz"},"n":{"N":"123"},"t":{"BOOL":true},"l":{"L":[{"S":"a"}]},"m":{"M":{"k":{"S":"v"}}}})");
  Item item = ParseItem(d);
  // ab+xyz = 5; n + 123 (pairs 1|23 -> 1+2) = 4; t + 1 = 2; l + 3 + (1 + 1 per element) = 6;
  // m + 3 + (k+v + 1 per element) = 7
  CHECK(ItemSize(item) == 5 + 4 + 2 + 6 + 7);
}
