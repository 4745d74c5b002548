#include "server/access_policy.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace localddb::server {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool InList(std::string_view host, const std::vector<std::string>& names) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return EqualsIgnoreCase(HostName(n), host); });
}

// "http://host:port/path" -> "host:port"; empty if the URL is not http(s).
std::string_view Authority(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.size() >= scheme.size() && EqualsIgnoreCase(url.substr(0, scheme.size()), scheme)) {
      url.remove_prefix(scheme.size());
      const size_t end = url.find_first_of("/?#");
      std::string_view authority = url.substr(0, end);
      if (authority.find('@') != std::string_view::npos) return {};  // no credentials in hook URLs
      return authority;
    }
  }
  return {};
}

}  // namespace

std::string_view HostName(std::string_view authority) {
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    return close == std::string_view::npos ? std::string_view{} : authority.substr(1, close - 1);
  }
  // One colon: host:port. More than one: a bare IPv6 literal.
  const size_t colon = authority.find(':');
  if (colon != std::string_view::npos && authority.find(':', colon + 1) == std::string_view::npos)
    return authority.substr(0, colon);
  return authority;
}

std::string_view UrlHost(std::string_view url) { return HostName(Authority(url)); }

bool IsIpLiteral(std::string_view host) {
  if (host.empty() || host.size() > 63) return false;
  std::string h(host);
  unsigned char buf[16];
  return inet_pton(AF_INET, h.c_str(), buf) == 1 || inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

bool IsWildcardAddress(std::string_view host) { return host == "0.0.0.0" || host == "::" || host == "[::]"; }

bool IsLoopbackHost(std::string_view host) {
  if (EqualsIgnoreCase(host, "localhost")) return true;
  if (host.size() > 10 && EqualsIgnoreCase(host.substr(host.size() - 10), ".localhost")) return true;
  if (host.size() > 63) return false;
  std::string h(host);
  unsigned char v4[4], v6[16];
  if (inet_pton(AF_INET, h.c_str(), v4) == 1) return v4[0] == 127;
  if (inet_pton(AF_INET6, h.c_str(), v6) == 1) {
    static const unsigned char kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return std::equal(v6, v6 + 16, kLoopback);
  }
  return false;
}

bool HostAllowed(std::string_view host_header, const AccessPolicy& policy) {
  const std::string_view host = HostName(host_header);
  if (host.empty()) return false;
  if (IsLoopbackHost(host) || InList(host, policy.allowed_hosts)) return true;
  if (EqualsIgnoreCase(host, HostName(policy.listen_host))) return true;
  return IsWildcardAddress(policy.listen_host) && IsIpLiteral(host);
}

bool SameOrigin(std::string_view origin, std::string_view host_header) {
  const std::string_view authority = Authority(origin);
  return !authority.empty() && origin.find('/', origin.find("//") + 2) == std::string_view::npos &&
         EqualsIgnoreCase(authority, host_header);
}

bool CorsAllows(std::string_view origin, const AccessPolicy& policy) {
  for (const auto& allowed : policy.cors_origins)
    if (allowed == "*" || EqualsIgnoreCase(allowed, origin)) return true;
  return false;
}

bool HookTargetAllowed(std::string_view url, const AccessPolicy& policy) {
  const std::string_view host = UrlHost(url);
  if (host.empty()) return false;
  return IsLoopbackHost(host) || InList(host, policy.hook_targets);
}

bool SecretsEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || b.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace localddb::server
