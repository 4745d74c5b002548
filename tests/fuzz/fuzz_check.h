// Shared by the fuzz targets: how a broken invariant is reported.
//
// A failed FUZZ_CHECK prints what was expected and aborts, which libFuzzer reports as a crash
// ("deadly signal") and saves the input as crash-<sha1>. Expected rejections (api::ApiError) are
// caught by each target; any other exception escaping LLVMFuzzerTestOneInput also aborts
// (std::terminate), which is a finding too.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace localddb::fuzz {

[[noreturn]] inline void Fail(const char* file, int line, const char* cond, const std::string& detail) {
  std::fprintf(stderr, "\n==FUZZ CHECK FAILED== %s:%d: %s\n%s\n", file, line, cond, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

// Quotes bytes for a failure message (printable ASCII as is, the rest as \xNN), at most max bytes.
inline std::string Quote(std::string_view s, size_t max = 512) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < max; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  if (s.size() > max) out += "...";
  return out + "\"";
}

// Whether a known finding is to be ignored for now: id is listed in LOCALDDB_FUZZ_IGNORE
// (comma-separated), so a long run can go past a reported bug that is not fixed yet.
inline bool Ignored(std::string_view id) {
  const char* list = std::getenv("LOCALDDB_FUZZ_IGNORE");
  if (!list) return false;
  std::string_view rest(list);
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    if (rest.substr(0, comma) == id) return true;
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  return false;
}

}  // namespace localddb::fuzz

#define FUZZ_CHECK(cond, detail)                                                         \
  do {                                                                                   \
    if (!(cond)) ::localddb::fuzz::Fail(__FILE__, __LINE__, #cond, std::string(detail)); \
  } while (0)
