// Router: turns one HTTP request into one HTTP response. Admin paths (/_localddb/) go to Admin;
// everything else is DynamoDB's (or DynamoDB Streams') JSON protocol: the browser checks, the
// signature, the operation table, the JSON body, then the handler. This is the one place where
// an ApiError becomes DynamoDB's error response; anything unexpected becomes a 500 logged with
// its request id, and serving goes on.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "api/error.h"
#include "api/ops/operation.h"
#include "server/access_policy.h"
#include "server/admin.h"
#include "server/config.h"
#include "server/namespaces.h"
#include "server/request_log.h"
#include "server/wire.h"

namespace localddb::server {

class Router {
 public:
  Router(NamespaceRegistry& namespaces, ServerClock& clock, const Config& config, const AccessPolicy& policy);

  void Handle(Request&& req, Reply reply);

  // An error response for a request that could not even be read (e.g. an oversize body).
  Response ErrorResponse(const api::ApiError& e, unsigned version, bool keep_alive) const;

  int in_flight() const { return in_flight_.load(); }

  // What the request log line says of one request (filled in as the request is read).
  struct RequestLine {
    std::string request_id, operation, table, ns;  // request_id empty: no request log line
    int op_index = -1;                             // in api::AllOperations; -1: none
    std::chrono::steady_clock::time_point start;
    RequestLog::Ticket logged;  // its slot in the request log (seq 0: none)
  };

 private:
  // Records the answered request in the metrics and the request log, and logs it when asked to.
  void Finished(const RequestLine& line, const Response& res);
  // CORS preflight (OPTIONS): answered only for origins --cors allows.
  Response Preflight(const Request& req, const Envelope& envelope) const;
  void HandleApi(Request&& req, Envelope envelope, std::string ns, Reply reply);
  Response Failure(const Envelope& envelope, std::string_view operation, const api::ApiError& e) const;

  NamespaceRegistry& namespaces_;
  const Config& config_;
  const AccessPolicy& policy_;
  RequestLog request_log_;  // before admin_, which reads it
  Admin admin_;
  std::atomic<int> in_flight_{0};
};

// The response for an ApiError: DynamoDB's status and {"__type", "message"} body.
Response ApiErrorResponse(const Envelope& envelope, const api::ApiError& e);

}  // namespace localddb::server
