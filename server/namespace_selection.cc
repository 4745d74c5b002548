#include "server/namespace_selection.h"

#include "server/namespaces.h"
#include "server/sigv4.h"

namespace localddb::server {
namespace {

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && Hex(s[i + 1]) >= 0 && Hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

}  // namespace

std::string QueryParameter(std::string_view target, std::string_view name) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1));
  }
  return {};
}

NamespaceSelection SelectNamespace(const Request& req, const Config& config) {
  NamespaceSelection s{NamespaceRegistry::kDefault, std::string(req.target())};
  constexpr std::string_view kPrefix = "/ns/";
  if (s.path.starts_with(kPrefix)) {
    const std::string_view target = req.target();
    const std::string_view rest = target.substr(kPrefix.size());
    const size_t end = rest.find_first_of("/?");
    s.name = PercentDecode(rest.substr(0, end));
    s.path = end == std::string_view::npos ? "/" : std::string(rest.substr(end));
    if (s.path.starts_with('?')) s.path.insert(0, "/");  // "/ns/x?a" -> "/?a"
    return s;
  }
  if (auto header = req["X-Localddb-Namespace"]; !header.empty()) {
    s.name = std::string(header);
    return s;
  }
  if (auto param = QueryParameter(s.path, "namespace"); !param.empty()) {
    s.name = param;
    return s;
  }
  if (config.namespace_by == "access-key") {
    if (auto auth = ParseAuthorization(req[http::field::authorization]); auth && !auth->access_key.empty())
      s.name = auth->access_key;
  }
  return s;
}

}  // namespace localddb::server
