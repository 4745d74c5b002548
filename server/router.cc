#include "server/router.h"

#include <cstdio>

#include "api/json.h"
#include "api/write/submit_write.h"
#include "common/log.h"
#include "server/fault_actions.h"
#include "server/metrics.h"
#include "server/namespace_selection.h"
#include "server/sigv4.h"

namespace localddb::server {

using api::ApiError;

Response ApiErrorResponse(const Envelope& envelope, const ApiError& e) {
  return MakeResponse(envelope, static_cast<http::status>(e.http_status()), e.Body(), kJsonContentType);
}

// Every error of the DynamoDB API leaves here: a 5xx is logged with the request id (and its cause,
// which the client never sees).
void Router::Finished(const RequestLine& line, const Response& res) {
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - line.start).count();
  std::string error;
  if (res.result_int() >= 400) {  // the error's name, from its __type
    const std::string& body = res.body();
    if (auto at = body.find("\"__type\":\""); at != std::string::npos) {
      const size_t start = body.find('#', at);
      const size_t end = body.find('"', at + 10);
      if (start != std::string::npos && end != std::string::npos && start < end)
        error = body.substr(start + 1, end - start - 1);
    }
  }
  Metrics().Record(line.op_index, res.result_int() < 400, error, ms / 1000);
  request_log_.Close(line.logged, {static_cast<int>(res.result_int()), ms, error, res.body()});
  if (line.request_id.empty()) return;  // no request log
  char latency[32];
  std::snprintf(latency, sizeof latency, "%.2f", ms);
  Log(config_.log_requests ? LogLevel::kInfo : LogLevel::kDebug,
      "request " + line.request_id + " " + (line.operation.empty() ? "-" : line.operation) + " table=" +
          (line.table.empty() ? "-" : line.table) + (line.ns.empty() || line.ns == "default" ? "" : " ns=" + line.ns) +
          " status=" + std::to_string(res.result_int()) + " " + latency + "ms" +
          (error.empty() ? "" : " error=" + error));
}

Response Router::Failure(const Envelope& envelope, std::string_view operation, const ApiError& e) const {
  if (e.http_status() >= 500)
    Log(LogLevel::kError,
        "request " + envelope.request_id + (operation.empty() ? "" : " (" + std::string(operation) + ")") + ": " +
            std::string(e.name()) + ": " + e.message() + (e.cause().empty() ? "" : " [" + e.cause() + "]"));
  return ApiErrorResponse(envelope, e);
}

Router::Router(NamespaceRegistry& namespaces, ServerClock& clock, const Config& config, const AccessPolicy& policy)
    : namespaces_(namespaces),
      config_(config),
      policy_(policy),
      request_log_(config.request_log_size),
      admin_(namespaces, clock, config, policy, request_log_) {}

Response Router::ErrorResponse(const ApiError& e, unsigned version, bool keep_alive) const {
  return ApiErrorResponse({version, keep_alive, NewRequestId(), {}}, e);
}

Response Router::Preflight(const Request& req, const Envelope& envelope) const {
  const std::string_view origin = req[http::field::origin];
  if (origin.empty() || !CorsAllows(origin, policy_)) {
    Envelope plain = envelope;
    plain.allow_origin.clear();
    return ApiErrorResponse(plain, ApiError(api::ErrorKind::kAccessDenied,
                                            "Cross-origin requests are not allowed (start localddb with --cors)"));
  }
  Response res = MakeResponse(envelope, http::status::ok, "", "text/plain");
  res.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
  if (auto h = req[http::field::access_control_request_headers]; !h.empty())
    res.set(http::field::access_control_allow_headers, h);
  res.set(http::field::access_control_max_age, "172800");
  return res;
}

void Router::Handle(Request&& req, Reply reply) {
  Envelope envelope{req.version(), req.keep_alive(), NewRequestId(), {}};
  const std::string_view origin = req[http::field::origin];
  if (!origin.empty() && CorsAllows(origin, policy_)) envelope.allow_origin = std::string(origin);

  const NamespaceSelection selection = SelectNamespace(req, config_);
  if (selection.path.starts_with("/_localddb/") || selection.path == "/_localddb") {
    envelope.allow_origin.clear();  // the admin API is never cross-origin
    return admin_.Handle(req, selection, envelope, reply);
  }
  if (req.method() == http::verb::options) return reply(Preflight(req, envelope));
  if (req.method() != http::verb::post) {
    // DynamoDB answers any GET with its health line.
    return reply(MakeResponse(envelope, http::status::ok, "healthy: dynamodb." + config_.region + ".amazonaws.com ",
                              "text/plain"));
  }
  HandleApi(std::move(req), std::move(envelope), selection.name, std::move(reply));
}

void Router::HandleApi(Request&& req, Envelope envelope, std::string ns_name, Reply reply) {
  in_flight_.fetch_add(1);
  // What metrics (always) and the request log (--log-requests, or debug) say of this request.
  auto line = std::make_shared<RequestLine>();
  line->start = std::chrono::steady_clock::now();
  if (config_.log_requests || LogEnabled(LogLevel::kDebug)) line->request_id = envelope.request_id;
  auto guarded = [this, line, reply = std::move(reply)](Response res) mutable {
    Finished(*line, res);
    reply(std::move(res));
    in_flight_.fetch_sub(1);
  };
  // The request log (server/request_log.h) takes the request once its operation and table are
  // known, or when it fails before that; the body is copied now, as the request is gone by the time
  // a write is answered.
  const api::Operation* op = nullptr;
  json::Document doc;
  bool parsed = false;
  auto log_arrival = [&] {
    if (!request_log_.enabled() || line->logged.seq) return;
    // A request refused before its operation was looked up (no credentials) still gets its name.
    const api::Operation* named = op ? op : api::FindOperation(req["X-Amz-Target"]);
    line->logged = request_log_.Open(
        {envelope.request_id, ns_name, named ? std::string_view(named->name) : std::string_view(req["X-Amz-Target"]),
         req.body(), parsed ? &doc : nullptr},
        api::SystemClock());
  };
  auto fail = [&](const ApiError& e) {
    log_arrival();
    guarded(Failure(envelope, "", e));
  };

  try {
    // A browser says which page sends a request; SDKs send no Origin. A page may call us only
    // when --cors allows its origin, or when it is our own page reached under one of our names
    // (a page that rebinds its DNS name to us is same-origin to the browser, but not by Host).
    const std::string_view origin = req[http::field::origin];
    if (!origin.empty() && envelope.allow_origin.empty() &&
        !(SameOrigin(origin, req[http::field::host]) && HostAllowed(req[http::field::host], policy_)))
      return fail(ApiError(api::ErrorKind::kAccessDenied,
                           "Cross-origin requests are not allowed (start localddb with --cors to allow them)"));
    const std::string_view target = req["X-Amz-Target"];
    if (req.find(http::field::authorization) == req.end() &&
        req.target().find("X-Amz-Signature") == std::string_view::npos)
      return fail(ApiError(api::ErrorKind::kMissingAuthenticationToken, "Request is missing Authentication Token"));
    if (config_.auth == "sigv4") {
      // Signatures are checked against real time, whatever the server clock says.
      if (auto error = VerifySigV4(req, config_.credentials, api::SystemClock())) return fail(*error);
    }
    op = api::FindOperation(target);
    if (op) {
      size_t count = 0;
      line->op_index = static_cast<int>(op - api::AllOperations(&count));
    }
    if (!line->request_id.empty()) line->operation = op ? std::string(op->name) : json::Excerpt(target, 100);
    if (!op) return fail(ApiError(api::ErrorKind::kUnknownOperation, ""));

    // Attribute-value errors take the operation's wording from here on (see value/json_codec.h).
    value::ScopedValueLayer layer(op->value_layer);
    switch (json::Parse(doc, req.body())) {
      case json::ParseStatus::kOk:
        parsed = true;
        break;
      case json::ParseStatus::kSyntax:
      case json::ParseStatus::kInvalidUtf8:
        // Coral answers unreadable JSON, invalid UTF-8 included, with a bare SerializationException;
        // nothing of the input is echoed.
        return fail(ApiError::Serialization(""));
      case json::ParseStatus::kTooDeep:
        // Only attribute values can legitimately nest this deep.
        return fail(value::NestingLimitExceeded());
    }
    // The namespace is held until the answer is ready: a reset or restore waits for it.
    NamespaceRegistry::Lease ns;
    try {
      ns = namespaces_.Acquire(ns_name);
    } catch (const NamespaceError& e) {
      return fail(ApiError::Validation(std::string("Invalid localddb namespace: ") + e.what()));
    }
    if (!line->request_id.empty()) {
      line->ns = ns->name();
      if (doc.IsObject())
        if (auto it = doc.FindMember("TableName"); it != doc.MemberEnd() && it->value.IsString())
          line->table = json::Excerpt(json::View(it->value), 255);
    }
    log_arrival();

    // Fault rules (server/faults.h): with none set, this is one load.
    std::shared_ptr<const std::pair<FaultDecision, PreparedFault>> fault;
    if (!ns->faults().empty()) {
      FaultDecision decision = ns->faults().Evaluate(FactsOf(op->name, doc), ns->ctx().now());
      if (decision.any()) {
        PreparedFault prepared = PrepareFault(decision, op->name, doc);
        fault =
            std::make_shared<const std::pair<FaultDecision, PreparedFault>>(std::move(decision), std::move(prepared));
      }
    }

    auto responded = std::make_shared<std::atomic<bool>>(false);
    auto respond = [this, guarded, envelope, responded, op, ns, fault](api::Outcome outcome) mutable {
      if (responded->exchange(true)) return;
      Response res = outcome.error
                         ? Failure(envelope, op->name, *outcome.error)
                         : MakeResponse(envelope, http::status::ok,
                                        fault ? MergeUnprocessed(outcome.body, fault->second) : std::move(outcome.body),
                                        kJsonContentType);
      if (fault) MarkResponse(res, fault->first);
      guarded(std::move(res));
    };
    if (fault && fault->second.answer) return respond(api::Outcome::Fail(*fault->second.answer));
    if (fault && fault->second.body) return respond(api::Outcome::Ok(*fault->second.body));
    try {
      op->handler(ns->ctx(), doc, respond);
    } catch (...) {
      respond(api::OutcomeFromException(std::current_exception()));
    }
  } catch (...) {
    log_arrival();
    guarded(Failure(envelope, "", *api::OutcomeFromException(std::current_exception()).error));
  }
}

}  // namespace localddb::server
