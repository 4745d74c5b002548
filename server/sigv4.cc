#include "server/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "api/json.h"

namespace localddb::server {
namespace {

namespace http = boost::beast::http;

std::string Hex(const unsigned char* data, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 15];
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return Hex(digest, sizeof digest);
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string UriEncode(std::string_view s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A '%' not followed by two hex digits stays as it is (it then fails the signature check like any
// other mismatch; it once threw from std::stoi and answered 500).
std::string UriDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const int hi = s[i] == '%' && i + 2 < s.size() ? HexDigit(s[i + 1]) : -1;
    const int lo = hi >= 0 ? HexDigit(s[i + 2]) : -1;
    if (lo >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

// "20150830T123600Z" -> seconds since the epoch, or -1.
double ParseAmzDate(std::string_view s) {
  std::tm tm{};
  std::string str(s);
  if (!strptime(str.c_str(), "%Y%m%dT%H%M%SZ", &tm)) return -1;
  return static_cast<double>(timegm(&tm));
}

std::string FormatAmzDate(double t) {
  std::time_t secs = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[20];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace

std::optional<ParsedAuthorization> ParseAuthorization(std::string_view header) {
  constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256 ";
  if (!header.starts_with(kAlgorithm)) return std::nullopt;
  header.remove_prefix(kAlgorithm.size());
  ParsedAuthorization a;
  bool have_credential = false, have_headers = false, have_signature = false;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view part = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = part.substr(0, eq), value = part.substr(eq + 1);
    if (name == "Credential") {
      // AKID/date/region/service/aws4_request
      std::vector<std::string> fields;
      size_t start = 0;
      while (true) {
        size_t slash = value.find('/', start);
        fields.emplace_back(value.substr(start, slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
      }
      if (fields.size() != 5 || fields[4] != "aws4_request") return std::nullopt;
      a.access_key = fields[0];
      a.date = fields[1];
      a.region = fields[2];
      a.service = fields[3];
      have_credential = true;
    } else if (name == "SignedHeaders") {
      size_t start = 0;
      while (start <= value.size()) {
        size_t semi = value.find(';', start);
        if (semi == std::string_view::npos) semi = value.size();
        a.signed_headers.emplace_back(value.substr(start, semi - start));
        start = semi + 1;
      }
      have_headers = true;
    } else if (name == "Signature") {
      a.signature = std::string(value);
      have_signature = true;
    }
  }
  if (!have_credential || !have_headers || !have_signature) return std::nullopt;
  return a;
}

std::string CanonicalRequest(const http::request<http::string_body>& req,
                             const std::vector<std::string>& signed_headers) {
  std::string_view target = req.target();
  size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string canonical;
  canonical += std::string(req.method_string());
  canonical += '\n';
  canonical += UriEncode(UriDecode(path.empty() ? "/" : path), true);
  canonical += '\n';
  if (q != std::string_view::npos) {
    std::vector<std::pair<std::string, std::string>> params;
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
      size_t amp = query.find('&');
      std::string_view p = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
      size_t eq = p.find('=');
      std::string name = UriDecode(p.substr(0, eq));
      if (name == "X-Amz-Signature") continue;
      params.emplace_back(UriEncode(name, false),
                          eq == std::string_view::npos ? "" : UriEncode(UriDecode(p.substr(eq + 1)), false));
    }
    std::sort(params.begin(), params.end());
    for (size_t i = 0; i < params.size(); ++i) canonical += (i ? "&" : "") + params[i].first + "=" + params[i].second;
  }
  canonical += '\n';
  for (const auto& name : signed_headers) {
    std::string value;
    for (auto it = req.begin(); it != req.end(); ++it) {
      std::string lower(it->name_string());
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      if (lower != name) continue;
      // Sequential spaces collapse to one.
      std::string v;
      for (char c : Trim(it->value())) {
        if (c == ' ' && !v.empty() && v.back() == ' ') continue;
        v.push_back(c);
      }
      value += (value.empty() ? "" : ",") + v;
    }
    canonical += name + ":" + value + "\n";
  }
  canonical += '\n';
  for (size_t i = 0; i < signed_headers.size(); ++i) canonical += (i ? ";" : "") + signed_headers[i];
  canonical += '\n';
  canonical += Sha256Hex(req.body());
  return canonical;
}

std::string SignatureFor(std::string_view secret, const ParsedAuthorization& a, std::string_view amz_date,
                         std::string_view canonical_request) {
  const std::string scope = a.date + "/" + a.region + "/" + a.service + "/aws4_request";
  const std::string to_sign =
      "AWS4-HMAC-SHA256\n" + std::string(amz_date) + "\n" + scope + "\n" + Sha256Hex(canonical_request);
  std::string key = Hmac("AWS4" + std::string(secret), a.date);
  key = Hmac(key, a.region);
  key = Hmac(key, a.service);
  key = Hmac(key, "aws4_request");
  std::string sig = Hmac(key, to_sign);
  return Hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
}

std::optional<api::ApiError> VerifySigV4(const http::request<http::string_body>& req,
                                         const std::vector<std::pair<std::string, std::string>>& credentials,
                                         double now) {
  auto header = req[http::field::authorization];
  auto parsed = ParseAuthorization(header);
  if (!parsed)
    return api::ApiError(api::ErrorKind::kIncompleteSignature,
                         "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. "
                         "Authorization=" +
                             json::Excerpt(header, 4096));
  const std::string* secret = nullptr;
  for (const auto& [akid, s] : credentials)
    if (akid == parsed->access_key) secret = &s;
  if (!secret)
    return api::ApiError(api::ErrorKind::kUnrecognizedClient, "The security token included in the request is invalid.");
  std::string amz_date(req["X-Amz-Date"]);
  double signed_at = ParseAmzDate(amz_date);
  if (signed_at < 0)
    return api::ApiError(api::ErrorKind::kIncompleteSignature,
                         "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (now - signed_at > 15 * 60)
    return api::ApiError(api::ErrorKind::kInvalidSignature, "Signature expired: " + json::Excerpt(amz_date, 64) +
                                                                " is now earlier than " + FormatAmzDate(now - 15 * 60) +
                                                                " (" + FormatAmzDate(now) + " - 15 min.)");
  if (signed_at - now > 15 * 60)
    return api::ApiError(api::ErrorKind::kInvalidSignature,
                         "Signature not yet current: " + json::Excerpt(amz_date, 64) + " is still later than " +
                             FormatAmzDate(now + 15 * 60) + " (" + FormatAmzDate(now) + " + 15 min.)");
  // What the signature must cover: the Host (AWS's rule), and the headers that choose what the
  // request does, so that none can be changed after signing (the operation in X-Amz-Target, the
  // time in X-Amz-Date). The body is always covered, through its hash.
  auto is_signed = [&](std::string_view name) {
    return std::find(parsed->signed_headers.begin(), parsed->signed_headers.end(), name) !=
           parsed->signed_headers.end();
  };
  if (!is_signed("host"))
    return api::ApiError(api::ErrorKind::kInvalidSignature,
                         "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  for (const auto& [header, name] :
       {std::pair{"x-amz-target", "X-Amz-Target"}, std::pair{"x-amz-date", "X-Amz-Date"}}) {
    if (req.find(header) != req.end() && !is_signed(header))
      return api::ApiError(api::ErrorKind::kInvalidSignature,
                           "'" + std::string(name) + "' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (auto claimed = req["x-amz-content-sha256"]; !claimed.empty() && claimed != Sha256Hex(req.body()))
    return api::ApiError(api::ErrorKind::kInvalidSignature,
                         "The provided 'x-amz-content-sha256' header does not match what was computed.");
  std::string expected = SignatureFor(*secret, *parsed, amz_date, CanonicalRequest(req, parsed->signed_headers));
  if (expected != parsed->signature)
    return api::ApiError(api::ErrorKind::kInvalidSignature,
                         "The request signature we calculated does not match the signature you provided. Check your "
                         "AWS Secret Access Key and signing method. Consult the service documentation for details.");
  return std::nullopt;
}

}  // namespace localddb::server
