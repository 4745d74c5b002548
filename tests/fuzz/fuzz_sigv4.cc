// fuzz_sigv4: AWS Signature Version 4 verification (server/sigv4.h).
//
// Feeds: a small line-based request, so seeds stay readable and the dictionary's tokens apply:
//   line 1      the Authorization header value (any text)
//   line 2      METHOD SP target
//   lines 3..   Name: value     (headers, up to an empty line; a trailing \r is dropped)
//   the rest    the body
// line 1 goes to ParseAuthorization as is. The request (a boost::beast request built from lines
// 2.. with line 1 as its Authorization) goes to VerifySigV4 with fixed credentials plus, when line 1
// parses, its own access key, so the date, scope and canonical-request steps run on fuzzed input.
//
// Checks: no crash / sanitizer report / exception. Then the signer-verifier agreement: the same
// request, signed with CanonicalRequest + SignatureFor over its headers (host, x-amz-date and every
// header whose name is an HTTP token) and a fixed key and date, must verify (VerifySigV4 returns
// nullopt), whatever its target, query string, header values and body.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_check.h"
#include "server/sigv4.h"

using namespace localddb;
namespace http = boost::beast::http;

namespace {

constexpr double kNow = 1767225600;  // 2026-01-01T00:00:00Z
constexpr std::string_view kAmzDate = "20260101T000000Z";
constexpr std::string_view kAccessKey = "AKIDFUZZ";
constexpr std::string_view kSecret = "fuzz/secret+KEY";

std::string_view NextLine(std::string_view& in) {
  const size_t nl = in.find('\n');
  std::string_view line = in.substr(0, nl);
  in = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!std::isalnum(c) && std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos)
      return false;
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string_view authorization = NextLine(in);
  const std::string_view request_line = NextLine(in);

  const auto parsed = server::ParseAuthorization(authorization);
  if (parsed) {
    FUZZ_CHECK(!parsed->signed_headers.empty(), "parsed Authorization without signed headers");
    // Re-parsing the parts gives the same access key (it cannot contain '/' or ',').
    FUZZ_CHECK(parsed->access_key.find('/') == std::string::npos, "access key with '/'");
  }

  http::request<http::string_body> req;
  req.version(11);
  {
    const size_t sp = request_line.find(' ');
    const std::string_view method = request_line.substr(0, sp);
    const http::verb verb = http::string_to_verb(method);
    if (verb != http::verb::unknown)
      req.method(verb);
    else if (IsToken(method))
      req.method_string(method);
    else
      req.method(http::verb::post);
    req.target(sp == std::string_view::npos ? std::string_view("/") : request_line.substr(sp + 1));
  }
  std::vector<std::pair<std::string, std::string>> headers;
  while (!in.empty()) {
    const std::string_view line = NextLine(in);
    if (line.empty()) break;
    const size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon),
                     value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    if (name.empty()) continue;
    headers.emplace_back(name, value);
    // Inserted from the copy: Boost 1.81's beast::iequals (used by insert when two names differ only
    // in case) reads one byte past both names, which the server's parse buffer always has (':').
    req.insert(headers.back().first, headers.back().second);
  }
  req.body() = std::string(in);
  req.set(http::field::authorization, authorization);

  // As sent: whatever the Authorization and X-Amz-Date say.
  std::vector<std::pair<std::string, std::string>> credentials = {{std::string(kAccessKey), std::string(kSecret)}};
  if (parsed) credentials.emplace_back(parsed->access_key, "other-secret");
  (void)server::VerifySigV4(req, credentials, kNow);
  if (parsed) (void)server::CanonicalRequest(req, parsed->signed_headers);

  // Signed by us: must verify.
  req.erase(http::field::authorization);
  req.erase("X-Amz-Date");
  req.set("X-Amz-Date", kAmzDate);
  std::vector<std::string> signed_headers = {"host", "x-amz-date"};
  for (const auto& [name, value] : headers) {
    std::string lower = Lower(name);
    if (IsToken(name) && lower != "authorization" && lower != "x-amz-date") signed_headers.push_back(std::move(lower));
  }
  std::sort(signed_headers.begin(), signed_headers.end());
  signed_headers.erase(std::unique(signed_headers.begin(), signed_headers.end()), signed_headers.end());
  server::ParsedAuthorization auth{std::string(kAccessKey), "20260101", "us-east-1", "dynamodb", signed_headers, ""};
  const std::string canonical = server::CanonicalRequest(req, signed_headers);
  FUZZ_CHECK(canonical == server::CanonicalRequest(req, signed_headers), "CanonicalRequest is not deterministic");
  const std::string signature = server::SignatureFor(kSecret, auth, kAmzDate, canonical);
  std::string header = "AWS4-HMAC-SHA256 Credential=" + std::string(kAccessKey) +
                       "/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=";
  for (size_t i = 0; i < signed_headers.size(); ++i) header += (i ? ";" : "") + signed_headers[i];
  header += ", Signature=" + signature;
  req.set(http::field::authorization, header);

  const auto reparsed = server::ParseAuthorization(header);
  FUZZ_CHECK(reparsed && reparsed->signed_headers == signed_headers && reparsed->signature == signature,
             "our own Authorization header does not parse back: " + fuzz::Quote(header));
  const auto error = server::VerifySigV4(req, {{std::string(kAccessKey), std::string(kSecret)}}, kNow);
  FUZZ_CHECK(!error, "a correctly signed request was refused: " +
                         (error ? std::string(error->name()) + ": " + error->message() : "") +
                         "\n  canonical request: " + fuzz::Quote(canonical, 2000));
  return 0;
}
