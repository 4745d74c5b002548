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
#define RAPIDJSON_ASSERT(x) \
  ((x) ? static_cast<void>(0) : throw std::logic_error("rapidjson assertion: " #x))
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
