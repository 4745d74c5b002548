// The one way into RapidJSON for the whole project.
//
// RapidJSON's default RAPIDJSON_ASSERT aborts the process. Malformed or oddly shaped client input
// must never do that, so every assert becomes a thrown std::logic_error, which the router turns
// into a 500 InternalServerError while the server keeps serving. Include this header, never
// <rapidjson/...> directly, so the definition is always in force.
#pragma once

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

// Serialises a value to compact JSON text.
inline std::string Dump(const Value& v) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  v.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace localddb::json
