#include "server/router.h"

#include "api/json.h"
#include "api/write/submit_write.h"
#include "common/log.h"
#include "server/sigv4.h"

namespace localddb::server {

using api::ApiError;

Response ApiErrorResponse(const Envelope& envelope, const ApiError& e) {
  return MakeResponse(envelope, static_cast<http::status>(e.http_status()), e.Body(), kJsonContentType);
}

// Every error of the DynamoDB API leaves here: a 5xx is logged with the request id (and its cause,
// which the client never sees).
Response Router::Failure(const Envelope& envelope, std::string_view operation, const ApiError& e) const {
  if (e.http_status() >= 500)
    Log(LogLevel::kError,
        "request " + envelope.request_id + (operation.empty() ? "" : " (" + std::string(operation) + ")") + ": " +
            std::string(e.name()) + ": " + e.message() + (e.cause().empty() ? "" : " [" + e.cause() + "]"));
  return ApiErrorResponse(envelope, e);
}

Router::Router(api::Context& ctx, const Config& config, const AccessPolicy& policy, streams::HookDispatcher* hooks)
    : ctx_(ctx), config_(config), policy_(policy), admin_(ctx, config, policy, hooks) {}

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

  const std::string_view target = req.target();
  if (target.starts_with("/_localddb/") || target == "/_localddb") {
    envelope.allow_origin.clear();  // the admin API is never cross-origin
    return admin_.Handle(req, envelope, reply);
  }
  if (req.method() == http::verb::options) return reply(Preflight(req, envelope));
  if (req.method() != http::verb::post) {
    // DynamoDB answers any GET with its health line.
    return reply(MakeResponse(envelope, http::status::ok, "healthy: dynamodb." + config_.region + ".amazonaws.com ",
                              "text/plain"));
  }
  HandleApi(std::move(req), std::move(envelope), std::move(reply));
}

void Router::HandleApi(Request&& req, Envelope envelope, Reply reply) {
  in_flight_.fetch_add(1);
  auto guarded = [this, reply = std::move(reply)](Response res) mutable {
    reply(std::move(res));
    in_flight_.fetch_sub(1);
  };
  auto fail = [&](const ApiError& e) { guarded(Failure(envelope, "", e)); };

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
      if (auto error = VerifySigV4(req, config_.credentials, ctx_.now())) return fail(*error);
    }
    const api::Operation* op = api::FindOperation(target);
    if (!op) return fail(ApiError(api::ErrorKind::kUnknownOperation, ""));

    // Attribute-value errors take the operation's wording from here on (see value/json_codec.h).
    value::ScopedValueLayer layer(op->value_layer);
    json::Document doc;
    switch (json::Parse(doc, req.body())) {
      case json::ParseStatus::kOk:
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
    if (LogEnabled(LogLevel::kDebug))
      Log(LogLevel::kDebug, "request " + envelope.request_id + " " + std::string(target));

    auto responded = std::make_shared<std::atomic<bool>>(false);
    auto respond = [this, guarded, envelope, responded, op](api::Outcome outcome) mutable {
      if (responded->exchange(true)) return;
      if (outcome.error) return guarded(Failure(envelope, op->name, *outcome.error));
      guarded(MakeResponse(envelope, http::status::ok, std::move(outcome.body), kJsonContentType));
    };
    try {
      op->handler(ctx_, doc, respond);
    } catch (...) {
      respond(api::OutcomeFromException(std::current_exception()));
    }
  } catch (...) {
    guarded(Failure(envelope, "", *api::OutcomeFromException(std::current_exception()).error));
  }
}

}  // namespace localddb::server
