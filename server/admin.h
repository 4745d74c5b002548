// The admin API under /_localddb/: health, stream hooks (and, as they come, reset, snapshots,
// seed data, the clock, fault rules and the console). JSON in, JSON out; errors are
// {"error": "<Name>", "message": "..."} with a 4xx status.
//
// Every admin request passes one gate first (see server/access_policy.h and the README's "Admin
// API and security"): no cross-origin browser request, no foreign Host (DNS rebinding) unless the
// admin token is presented, the token whenever it is required, and Content-Type
// application/json on every request that changes state.
#pragma once

#include <optional>

#include "api/context.h"
#include "server/access_policy.h"
#include "server/config.h"
#include "server/wire.h"
#include "streams/hook_dispatcher.h"

namespace localddb::server {

class Admin {
 public:
  // hooks may be null (no stream-hook administration).
  Admin(api::Context& ctx, const Config& config, const AccessPolicy& policy, streams::HookDispatcher* hooks);

  void Handle(const Request& req, const Envelope& envelope, const Reply& reply);

 private:
  // The refusal of a request the gate does not let through, or nullopt.
  std::optional<Response> Gate(const Request& req, const Envelope& envelope, bool open_endpoint) const;
  bool Authorized(const Request& req) const;
  Response Health(const Envelope& envelope) const;
  Response StreamHooks(const Request& req, const Envelope& envelope);

  api::Context& ctx_;
  const Config& config_;
  const AccessPolicy& policy_;
  streams::HookDispatcher* hooks_;
  double started_;
};

// {"error": name, "message": message} with the given status.
Response AdminError(const Envelope& envelope, http::status status, std::string_view name, std::string_view message);

}  // namespace localddb::server
