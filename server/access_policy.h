// Who may reach what: the checks that keep a web page from using localddb through the browser of
// the developer running it (cross-origin requests, DNS rebinding, simple "text/plain" posts), and
// that keep the admin API for whoever holds the admin token where one is needed. The README's
// "Admin API and security" section describes the model; these are its pure decisions, kept free
// of HTTP types so each is unit-tested (tests/server/access_policy_test.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace localddb::server {

struct AccessPolicy {
  std::string listen_host;                 // --host
  std::vector<std::string> allowed_hosts;  // --allow-host: more names clients may use for us
  std::string admin_token;                 // empty: none
  bool token_required = false;             // non-loopback listener, --auth sigv4 or --admin-token
  std::vector<std::string> cors_origins;   // --cors: origins (or "*") the DynamoDB API serves
  std::vector<std::string> hook_targets;   // --allow-hook-target, plus the hosts of --stream-hook URLs
};

// The host of a Host header or URL authority: "localhost:8000" -> "localhost", "[::1]:80" -> "::1".
std::string_view HostName(std::string_view authority);
// The host of an http(s) URL; empty if it is not one.
std::string_view UrlHost(std::string_view url);
// localhost, *.localhost, 127.0.0.0/8, ::1 (names and literals only: nothing is resolved).
bool IsLoopbackHost(std::string_view host);
// An IPv4 or IPv6 literal (a name a DNS rebinding attack cannot use).
bool IsIpLiteral(std::string_view host);
bool IsWildcardAddress(std::string_view host);  // 0.0.0.0 or ::

// Whether a request naming this Host header may be served: a loopback name, the listening
// address, an --allow-host name, or (listening on every interface) any IP literal. A DNS
// rebinding page reaches us under its own name, which none of these is.
bool HostAllowed(std::string_view host_header, const AccessPolicy& policy);

// Whether an Origin header names the page served from Host itself (the built-in console).
bool SameOrigin(std::string_view origin, std::string_view host_header);
// Whether --cors lets a page of this origin call the DynamoDB API.
bool CorsAllows(std::string_view origin, const AccessPolicy& policy);

// Whether a hook may POST to this URL: loopback, or a host allowed by --allow-hook-target or
// named by a --stream-hook given at start-up. Nothing is resolved or connected to.
bool HookTargetAllowed(std::string_view url, const AccessPolicy& policy);

// Compares without leaking where two secrets differ through timing.
bool SecretsEqual(std::string_view a, std::string_view b);

}  // namespace localddb::server
