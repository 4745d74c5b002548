#include "api/json.h"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>

namespace localddb::json {
namespace {

// Forwards RapidJSON's parse events to the document being built, refusing (which stops the
// parser at once) a container nested beyond the limit and a string that is not valid UTF-8.
class Guard {
 public:
  Guard(Document& doc, int max_depth) : doc_(doc), max_depth_(max_depth) {}

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned i) { return doc_.Uint(i); }
  bool Int64(int64_t i) { return doc_.Int64(i); }
  bool Uint64(uint64_t i) { return doc_.Uint64(i); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) { return doc_.RawNumber(s, n, copy); }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return Utf8(s, n) && doc_.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return Utf8(s, n) && doc_.Key(s, n, copy); }
  bool StartObject() { return Enter() && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return doc_.EndObject(members);
  }
  bool StartArray() { return Enter() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return doc_.EndArray(elements);
  }

  ParseStatus refused() const { return refused_; }

 private:
  bool Enter() {
    if (++depth_ <= max_depth_) return true;
    refused_ = ParseStatus::kTooDeep;
    return false;
  }
  bool Utf8(const char* s, rapidjson::SizeType n) {
    if (IsValidUtf8({s, n})) return true;
    refused_ = ParseStatus::kInvalidUtf8;
    return false;
  }

  Document& doc_;
  const int max_depth_;
  int depth_ = 0;
  ParseStatus refused_ = ParseStatus::kOk;
};

}  // namespace

ParseStatus Parse(Document& doc, std::string_view text, int max_depth) {
  Guard guard(doc, max_depth);
  bool ok = false;
  // Populate hands the document to the generator as the handler, and on success moves the
  // parsed root into the document (the same steps as Document::Parse, with the guard between).
  auto generate = [&](Document&) {
    rapidjson::MemoryStream ms(text.data(), text.size());
    rapidjson::Reader reader;
    ok = !reader.Parse(ms, guard).IsError();
    return ok;
  };
  doc.Populate(generate);
  if (ok) return ParseStatus::kOk;
  if (guard.refused() != ParseStatus::kOk) return guard.refused();
  return ParseStatus::kSyntax;
}

ParseStatus ParseFirst(Document& doc, std::string_view text, size_t* consumed, int max_depth) {
  Guard guard(doc, max_depth);
  bool ok = false;
  auto generate = [&](Document&) {
    rapidjson::MemoryStream ms(text.data(), text.size());
    rapidjson::Reader reader;
    ok = !reader.Parse<rapidjson::kParseStopWhenDoneFlag>(ms, guard).IsError();
    *consumed = ms.Tell();
    return ok;
  };
  doc.Populate(generate);
  if (ok) return ParseStatus::kOk;
  if (guard.refused() != ParseStatus::kOk) return guard.refused();
  return ParseStatus::kSyntax;
}

namespace {
// The length of the valid UTF-8 character at the start of s, or 0.
size_t CharLength(std::string_view s) {
  for (size_t n = 1; n <= 4 && n <= s.size(); ++n)
    if (IsValidUtf8(s.substr(0, n))) return n;
  return 0;
}
}  // namespace

std::string Excerpt(std::string_view text, size_t max_bytes) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t n = CharLength(text.substr(i));
    if (out.size() + std::max<size_t>(n, 1) > max_bytes) break;
    if (n == 0) {
      out.push_back('?');
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    // Most text is ASCII: skip it eight bytes at a time.
    while (end - p >= 8) {
      uint64_t chunk;
      std::memcpy(&chunk, p, 8);
      if (chunk & 0x8080808080808080ull) break;
      p += 8;
    }
    if (p == end) break;
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;  // a continuation byte, an overlong lead (C0, C1) or beyond U+10FFFF
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;  // surrogates are not characters
    p += extra + 1;
  }
  return true;
}

}  // namespace localddb::json
