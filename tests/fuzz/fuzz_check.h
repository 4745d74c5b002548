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

}  // namespace localddb::fuzz

#define FUZZ_CHECK(cond, detail)                                                        \
  do {                                                                                  \
    if (!(cond)) ::localddb::fuzz::Fail(__FILE__, __LINE__, #cond, std::string(detail)); \
  } while (0)
