#include "api/json.h"

#include <catch2/catch.hpp>

using namespace localddb;

namespace {
json::ParseStatus StatusOf(const std::string& text, int max_depth = json::kMaxDepth) {
  json::Document doc;
  return json::Parse(doc, text, max_depth);
}
std::string Nested(char open, char close, int levels) { return std::string(levels, open) + std::string(levels, close); }
}  // namespace

TEST_CASE("json::Parse reads what Document::Parse reads") {
  json::Document doc;
  REQUIRE(json::Parse(doc, R"( {"a": [1, "x", {"b": null}], "c": true} )") == json::ParseStatus::kOk);
  CHECK(json::Dump(doc) == R"({"a":[1,"x",{"b":null}],"c":true})");
  // A body may hold NUL bytes: the length, not a terminator, bounds the text.
  REQUIRE(json::Parse(doc, std::string_view("{\"a\":\"x\\u0000y\"}")) == json::ParseStatus::kOk);
  CHECK(doc["a"].GetStringLength() == 3);
}

TEST_CASE("json::Parse refuses what is not one JSON value") {
  const char* cases[] = {"", " ", "{", "{\"a\":}", "[1,]", "{} {}", "{}x", "nul", "\"abc", "{\"a\" 1}"};
  for (const char* text : cases) {
    INFO(text);
    CHECK(StatusOf(text) == json::ParseStatus::kSyntax);
  }
}

TEST_CASE("json::Parse stops at the depth limit, before recursing") {
  CHECK(StatusOf(Nested('[', ']', json::kMaxDepth)) == json::ParseStatus::kOk);
  CHECK(StatusOf(Nested('[', ']', json::kMaxDepth + 1)) == json::ParseStatus::kTooDeep);
  // The reproducer of the crash: 200,000 levels of arrays, and of objects, complete or not.
  CHECK(StatusOf(std::string(200000, '[')) == json::ParseStatus::kTooDeep);
  std::string objects;
  for (int i = 0; i < 200000; ++i) objects += "{\"a\":";
  CHECK(StatusOf(objects) == json::ParseStatus::kTooDeep);
  CHECK(StatusOf(Nested('[', ']', 3), 2) == json::ParseStatus::kTooDeep);
}

TEST_CASE("json::Parse refuses strings and names that are not UTF-8") {
  const std::pair<std::string, json::ParseStatus> cases[] = {
      {"{\"a\":\"\xff\"}", json::ParseStatus::kInvalidUtf8},
      {"{\"\xc3\":1}", json::ParseStatus::kInvalidUtf8},                  // truncated sequence in a name
      {"{\"a\":\"\xc0\xaf\"}", json::ParseStatus::kInvalidUtf8},          // overlong '/'
      {"{\"a\":\"\xed\xa0\x80\"}", json::ParseStatus::kInvalidUtf8},      // an encoded surrogate
      {"{\"a\":\"\xf4\x90\x80\x80\"}", json::ParseStatus::kInvalidUtf8},  // beyond U+10FFFF
      {"{\"a\":\"\\udc00\"}", json::ParseStatus::kInvalidUtf8},           // a lone low surrogate escape
      {"{\"a\":\"\\ud800\"}", json::ParseStatus::kSyntax},                // a lone high surrogate escape
      {"{\"a\":\"\\ud83d\\ude00\"}", json::ParseStatus::kOk},             // a pair is one character
      {"{\"a\":\"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80\"}", json::ParseStatus::kOk},
  };
  for (const auto& [text, status] : cases) {
    INFO(text);
    CHECK(StatusOf(text) == status);
  }
}

TEST_CASE("IsValidUtf8 checks every byte, also past the ASCII fast path") {
  CHECK(json::IsValidUtf8(""));
  CHECK(json::IsValidUtf8("plain ascii text, longer than eight bytes"));
  CHECK_FALSE(json::IsValidUtf8("plain ascii text, then \x80"));
  CHECK_FALSE(json::IsValidUtf8("\xe2\x82"));
  CHECK(json::IsValidUtf8("\xe2\x82\xac"));
  CHECK_FALSE(json::IsValidUtf8("\xe0\x80\x80"));  // overlong NUL
}

TEST_CASE("Excerpt keeps quoted text valid UTF-8 and short") {
  CHECK(json::Excerpt("plain") == "plain");
  CHECK(json::Excerpt("a\xff"
                      "b\xc4") == "a?b?");
  CHECK(json::Excerpt("\xc3\xa9\xc3\xa9\xc3\xa9", 5) == "\xc3\xa9\xc3\xa9");  // never half a character
  CHECK(json::Excerpt(std::string(1000, 'x')).size() == 200);
  CHECK(json::IsValidUtf8(json::Excerpt("\xed\xa0\x80 \xf0\x9f\x98\x80 \xe2\x82", 100)));
}
