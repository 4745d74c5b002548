// The one way into RapidJSON for the whole project.
//
// RapidJSON's default RAPIDJSON_ASSERT aborts the process. Malformed or oddly shaped client input
// must never do that, so every assert becomes a thrown std::logic_error, which the router turns
// into a 500 InternalServerError while the server keeps serving. Include this header, never
// <rapidjson/...> directly, so the definition is always in force.
#pragma once

#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

#ifndef RAPIDJSON_ASSERT
#define RAPIDJSON_ASSERT(x) ((x) ? static_cast<void>(0) : throw std::logic_error("rapidjson assertion: " #x))
#endif
#define RAPIDJSON_HAS_STDSTRING 1
#define RAPIDJSON_NOEXCEPT_ASSERT(x)

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace localddb::json {

using Value = rapidjson::Value;
using Document = rapidjson::Document;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

inline std::string_view View(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Writes "key": "value" (value as given: it must already be valid UTF-8).
inline void StringMember(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// An object's string member, or fallback when it is absent or not a string.
inline std::string StringOr(const Value& obj, const char* key, std::string fallback = {}) {
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsString() ? std::string(View(it->value)) : fallback;
}

// The deepest JSON any request may nest. The deepest legitimate DynamoDB request (a
// TransactWriteItems Put whose item nests maps and lists to DynamoDB's 32 levels) needs about 75;
// deeper input is refused while it is read, before anything recurses over it: RapidJSON's
// parser, and every walker of the document after it, recurse once per level, and 200,000 levels
// overflowed the stack.
constexpr int kMaxDepth = 100;

enum class ParseStatus {
  kOk,
  kSyntax,       // not JSON
  kTooDeep,      // nested deeper than the limit
  kInvalidUtf8,  // a string or member name that is not valid UTF-8 (a raw byte or a lone
                 // surrogate escape): never stored, never echoed back
};

// Parses untrusted text (a request body, a hook's answer) into doc. Checks nesting depth and
// UTF-8 as it reads; on any status but kOk, doc holds nothing useful.
ParseStatus Parse(Document& doc, std::string_view text, int max_depth = kMaxDepth);
// The same for the first JSON value of text, which more may follow (concatenated values, as
// DynamoDB's table import reads them); *consumed: the bytes that value took.
ParseStatus ParseFirst(Document& doc, std::string_view text, size_t* consumed, int max_depth = kMaxDepth);

// Text from outside that a message quotes back (a header, a path): at most max_bytes, cut on a
// character boundary, every byte that is not part of valid UTF-8 replaced by '?', so the answer
// stays valid JSON text whatever came in.
std::string Excerpt(std::string_view text, size_t max_bytes = 200);

// Whether text is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Writes already-serialised JSON (a stored item, a record) as the writer's next value. The bytes are
// copied in one block: Writer::RawValue copies them one at a time, checking each, which made it the
// hottest loop of a Query returning 20 stored items. buf must be the buffer w writes to.
inline void WriteRaw(Writer& w, rapidjson::StringBuffer& buf, std::string_view json) {
  w.RawValue("", 0, rapidjson::kObjectType);  // the separator and the writer's own bookkeeping
  std::memcpy(buf.Push(json.size()), json.data(), json.size());
}

// Serialises a value to compact JSON text.
inline std::string Dump(const Value& v) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  v.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace localddb::json
