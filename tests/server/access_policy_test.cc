#include "server/access_policy.h"

#include <catch2/catch.hpp>

using namespace localddb::server;

TEST_CASE("HostName takes the host out of a Host header or authority") {
  const std::pair<const char*, const char*> cases[] = {
      {"localhost:8000", "localhost"},
      {"127.0.0.1", "127.0.0.1"},
      {"[::1]:8000", "::1"},
      {"::1", "::1"},
      {"[::1", ""},
      {"example.com:80", "example.com"},
  };
  for (const auto& [in, out] : cases) CHECK(HostName(in) == out);
}

TEST_CASE("loopback names and literals, nothing resolved") {
  for (const char* h : {"localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "127.1.2.3", "::1"}) {
    INFO(h);
    CHECK(IsLoopbackHost(h));
  }
  for (const char* h : {"", "localhost.evil.example", "128.0.0.1", "0.0.0.0", "::", "10.0.0.1", "127.0.0.1.nip.io",
                        "evil.example", "::2", "localhostx"}) {
    INFO(h);
    CHECK_FALSE(IsLoopbackHost(h));
  }
}

TEST_CASE("Host headers a server answers to") {
  AccessPolicy loopback;
  loopback.listen_host = "127.0.0.1";
  CHECK(HostAllowed("127.0.0.1:8000", loopback));
  CHECK(HostAllowed("localhost:8000", loopback));
  CHECK_FALSE(HostAllowed("evil.example:8000", loopback));  // DNS rebinding
  CHECK_FALSE(HostAllowed("", loopback));
  CHECK_FALSE(HostAllowed("192.168.1.5:8000", loopback));

  AccessPolicy named = loopback;
  named.allowed_hosts = {"localddb", "ddb.internal:8000"};
  CHECK(HostAllowed("localddb:8000", named));
  CHECK(HostAllowed("DDB.internal", named));
  CHECK_FALSE(HostAllowed("other:8000", named));

  AccessPolicy wildcard;
  wildcard.listen_host = "0.0.0.0";
  CHECK(HostAllowed("192.168.1.5:8000", wildcard));  // an IP literal cannot be rebound
  CHECK(HostAllowed("[fe80::1]:8000", wildcard));
  CHECK_FALSE(HostAllowed("evil.example:8000", wildcard));

  AccessPolicy specific;
  specific.listen_host = "192.168.1.5";
  CHECK(HostAllowed("192.168.1.5:8000", specific));
  CHECK_FALSE(HostAllowed("192.168.1.6:8000", specific));
}

TEST_CASE("same origin and CORS origins") {
  CHECK(SameOrigin("http://127.0.0.1:8000", "127.0.0.1:8000"));
  CHECK(SameOrigin("http://LOCALHOST:8000", "localhost:8000"));
  CHECK_FALSE(SameOrigin("http://127.0.0.1:8001", "127.0.0.1:8000"));
  CHECK_FALSE(SameOrigin("http://evil.example", "127.0.0.1:8000"));
  CHECK_FALSE(SameOrigin("null", "127.0.0.1:8000"));
  CHECK_FALSE(SameOrigin("http://127.0.0.1:8000/path", "127.0.0.1:8000"));

  AccessPolicy none, any, some;
  any.cors_origins = {"*"};
  some.cors_origins = {"http://app.example"};
  CHECK_FALSE(CorsAllows("http://app.example", none));
  CHECK(CorsAllows("http://anything.example", any));
  CHECK(CorsAllows("http://app.example", some));
  CHECK_FALSE(CorsAllows("http://other.example", some));
}

TEST_CASE("hook targets: loopback and named hosts only, checked without connecting") {
  AccessPolicy policy;
  policy.hook_targets = {"lambda.internal", "sam-local:3001"};
  for (const char* url :
       {"http://127.0.0.1:9000/2015-03-31/functions/function/invocations", "http://localhost/x", "http://[::1]:9000/x",
        "http://lambda.internal:9000/x", "http://sam-local/x", "https://localhost/x"}) {
    INFO(url);
    CHECK(HookTargetAllowed(url, policy));
  }
  for (const char* url : {"http://example.com/hook", "http://10.0.0.1:9000/", "http://169.254.169.254/latest",
                          "http://user@127.0.0.1/x", "http://127.0.0.1.evil.example/x", "ftp://127.0.0.1/x",
                          "127.0.0.1:9000/x", "http://", "http://lambda.internal.evil.example/x"}) {
    INFO(url);
    CHECK_FALSE(HookTargetAllowed(url, policy));
  }
}

TEST_CASE("secrets compare whole") {
  CHECK(SecretsEqual("token-123", "token-123"));
  CHECK_FALSE(SecretsEqual("token-12", "token-123"));
  CHECK_FALSE(SecretsEqual("token-124", "token-123"));
  CHECK_FALSE(SecretsEqual("", ""));
}
