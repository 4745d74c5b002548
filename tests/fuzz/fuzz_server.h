// Shared by fuzz_http_request and fuzz_admin_json: one in-memory server per process, without
// sockets: a server::Router over a NamespaceRegistry in memory, as main.cc builds it. Hooks are
// added only to tables the inputs create; no target answers, and the reset after every input
// removes them.
//
// Deterministic: the clock is manual and fixed, and Reset() (after every input) drops everything
// the input created, so one input's outcome does not depend on the inputs before it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/catalog/catalog.h"
#include "api/json.h"
#include "api/ops/operation.h"
#include "common/log.h"
#include "fuzz_check.h"
#include "server/access_policy.h"
#include "server/config.h"
#include "server/namespaces.h"
#include "server/router.h"
#include "server/test_double.h"
#include "server/wire.h"

namespace localddb::fuzz {

class FuzzServer {
 public:
  // Created on first use and never destroyed (the writer thread outlives every input).
  static FuzzServer& Get() {
    static FuzzServer* server = new FuzzServer();
    return *server;
  }

  // Hands the request to the router and waits for its one reply (which may come from the storage
  // writer thread). No reply within 5 s, or a second reply, is a finding.
  server::Response Send(server::Request&& req) {
    struct State {
      std::promise<server::Response> promise;
      std::atomic<int> calls{0};
    };
    auto state = std::make_shared<State>();
    auto future = state->promise.get_future();
    const std::string target(req.target());
    router_->Handle(std::move(req), [state, target](server::Response res) {
      const int n = ++state->calls;
      FUZZ_CHECK(n == 1, "Router replied " + std::to_string(n) + " times to " + Quote(target));
      state->promise.set_value(std::move(res));
    });
    if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready)
      FUZZ_CHECK(false, "no reply within 5 s to a request for " + Quote(target));
    return future.get();
  }

  // Drops every table, stream and hook of every namespace the input touched (server::Reset, the
  // admin API's own reset), so one input's outcome does not depend on the inputs before it.
  void Reset() {
    for (const auto& name : namespaces_->Names()) {
      if (name == server::NamespaceRegistry::kDefault)
        server::Reset(*namespaces_, name, /*truncate=*/false);
      else
        namespaces_->Remove(name);
    }
    FUZZ_CHECK(namespaces_->Acquire(server::NamespaceRegistry::kDefault)->catalog().List().empty(),
               "tables left after a reset");
  }

  const server::Config& config() const { return config_; }

 private:
  FuzzServer() {
    SetLogLevel(LogLevel::kError);  // internal errors are still logged, to stderr
    config_.in_memory = true;
    clock_.Set(1767225600.0);
    server::NamespaceOptions options;
    options.in_memory = true;
    options.clock = &clock_;
    namespaces_ = std::make_unique<server::NamespaceRegistry>(options);
    // As main.cc builds it for the default flags: loopback listener, no token, no CORS.
    policy_.listen_host = config_.host;
    router_ = std::make_unique<server::Router>(*namespaces_, clock_, config_, policy_);
  }

  ServerClock clock_;
  server::Config config_;
  server::AccessPolicy policy_;
  std::unique_ptr<server::NamespaceRegistry> namespaces_;
  std::unique_ptr<server::Router> router_;
};

// The checks every reply must pass: a JSON body where one is due, and no 500.
// LOCALDDB_FUZZ_IGNORE (fuzz_check.h) can waive: 5xx (server errors), admin-utf8 (an admin answer
// whose JSON carries invalid UTF-8, e.g. echoed request bytes).
// json_api: a POST to the DynamoDB API (not /_localddb/), answered in DynamoDB's JSON envelope.
inline void CheckReply(const server::Response& res, bool json_api, bool admin_json, std::string_view what) {
  const std::string& body = res.body();
  const std::string context = std::string(what) + ": HTTP " + std::to_string(res.result_int()) + " " + Quote(body, 600);
  FUZZ_CHECK(res.result_int() < 500 || Ignored("5xx"),
             "server error (an unexpected exception in the handler?) " + context);
  if (!json_api && !admin_json) return;
  if (json_api)
    FUZZ_CHECK(res[boost::beast::http::field::content_type] == server::kJsonContentType, "content type " + context);
  json::Document doc;
  const json::ParseStatus status = json::Parse(doc, body);
  if (status == json::ParseStatus::kInvalidUtf8 && admin_json && Ignored("admin-utf8")) return;
  FUZZ_CHECK(status == json::ParseStatus::kOk && doc.IsObject(),
             "reply body is not a JSON object (parse status " + std::to_string(int(status)) + ") " + context);
  if (json_api && res.result_int() != 200)
    FUZZ_CHECK(doc.HasMember("__type") && doc["__type"].IsString(), "error reply without __type " + context);
}

}  // namespace localddb::fuzz
