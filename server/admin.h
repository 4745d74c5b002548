// The admin API under /_localddb/: health, namespaces, reset, snapshots, seed data, the clock,
// TTL sweeps, stream hooks, fault rules, metrics, the request log, and the web console's files.
// JSON in, JSON out; errors are {"error": "<Name>", "message": "..."} with a 4xx status. Every call
// but health and the console addresses one namespace (see server/namespace_selection.h).
//
// Every admin request passes one gate first (see server/access_policy.h and the README's "Admin
// API and security"): no cross-origin browser request, no foreign Host (DNS rebinding) unless the
// admin token is presented, the token whenever it is required, and Content-Type
// application/json on every request that changes state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json.h"
#include "common/server_clock.h"
#include "server/access_policy.h"
#include "server/config.h"
#include "server/namespace_selection.h"
#include "server/namespaces.h"
#include "server/request_log.h"
#include "server/wire.h"

namespace localddb::server {

class Admin {
 public:
  Admin(NamespaceRegistry& namespaces, ServerClock& clock, const Config& config, const AccessPolicy& policy,
        RequestLog& requests);

  void Handle(const Request& req, const NamespaceSelection& selection, const Envelope& envelope, const Reply& reply);

  // One admin request, as the endpoints see it.
  struct Call {
    const Request& req;
    const Envelope& envelope;
    std::string ns;                       // the namespace addressed
    std::vector<std::string_view> parts;  // the path after /_localddb/, split at '/'
    const json::Document* body;           // the JSON body (an empty object when none was sent)
  };

 private:
  // The refusal of a request the gate does not let through, or nullopt.
  std::optional<Response> Gate(const Request& req, const Envelope& envelope, bool open_endpoint) const;
  bool Authorized(const Request& req) const;
  Response Route(const Call& call);

  Response Health(const Call& call);
  Response StreamHooks(const Call& call);                                 // admin_stream_hooks.cc
  Response StreamHook(const Call& call, streams::HookDispatcher& hooks);  // /stream-hooks/{id}/...
  Response Namespaces(const Call& call);
  Response Reset(const Call& call);
  Response Snapshots(const Call& call);
  Response Seed(const Call& call);
  Response Clock(const Call& call);
  Response TtlSweep(const Call& call);
  Response Faults(const Call& call);
  Response MetricsText(const Call& call);  // admin_metrics.cc
  Response Requests(const Call& call);     // admin_requests.cc
  Response Console(const Call& call);      // admin_console.cc

  NamespaceRegistry& namespaces_;
  ServerClock& clock_;
  const Config& config_;
  const AccessPolicy& policy_;
  RequestLog& requests_;
  double started_;
};

// {"error": name, "message": message} with the given status.
Response AdminError(const Envelope& envelope, http::status status, std::string_view name, std::string_view message);
// 405, naming the methods the endpoint takes.
Response MethodNotAllowed(const Admin::Call& call, std::string_view allowed);

}  // namespace localddb::server
