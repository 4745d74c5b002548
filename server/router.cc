#include "server/router.h"

#include "api/json.h"
#include "server/log.h"
#include "server/sigv4.h"
#include "server/wire.h"

namespace localddb::server {
namespace json = localddb::json;

using api::ApiError;

Router::Router(api::Context& ctx, const Config& config, streams::HookDispatcher* hooks)
    : ctx_(ctx), config_(config), hooks_(hooks), started_(ctx.now()) {}

// /_localddb/stream-hooks: GET lists every hook's state; POST {"table","url"} adds one;
// DELETE {"table","url"} removes one.
void Router::HandleHooksAdmin(const Request& req, const Reply& reply) {
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  auto answer = [&](http::status status, std::string body) {
    reply(MakeResponse(version, keep_alive, status, std::move(body), "application/json"));
  };
  if (!hooks_) return answer(http::status::not_found, "{\"message\":\"stream hooks are not available\"}");
  if (req.method() == http::verb::get) return answer(http::status::ok, hooks_->StateJson());
  json::Document doc;
  if (json::Parse(doc, req.body()) != json::ParseStatus::kOk || !doc.IsObject() || !doc.HasMember("table") || !doc["table"].IsString() ||
      !doc.HasMember("url") || !doc["url"].IsString())
    return answer(http::status::bad_request, "{\"message\":\"expected a JSON body {\\\"table\\\": ..., \\\"url\\\": ...}\"}");
  streams::HookSpec spec{std::string(json::View(doc["table"])), std::string(json::View(doc["url"]))};
  if (req.method() == http::verb::post) {
    if (spec.url.rfind("http://", 0) != 0)
      return answer(http::status::bad_request, "{\"message\":\"url must start with http://\"}");
    bool added = hooks_->Add(spec);
    return answer(added ? http::status::created : http::status::ok, hooks_->StateJson());
  }
  if (req.method() == http::verb::delete_) {
    bool removed = hooks_->Remove(spec);
    return answer(removed ? http::status::ok : http::status::not_found, hooks_->StateJson());
  }
  answer(http::status::method_not_allowed, "{\"message\":\"use GET, POST or DELETE\"}");
}

Response Router::MakeResponse(unsigned version, bool keep_alive, http::status status, std::string body,
                              std::string_view content_type) const {
  Response res{status, version};
  res.set(http::field::server, "localddb");
  res.set(http::field::content_type, content_type);
  res.set("x-amzn-RequestId", NewRequestId());
  res.set("x-amz-crc32", std::to_string(BodyCrc32(body)));
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response Router::ErrorResponse(const ApiError& e, unsigned version, bool keep_alive) const {
  return MakeResponse(version, keep_alive, static_cast<http::status>(e.http_status()), e.Body(), kJsonContentType);
}

void Router::HandleAdmin(const Request& req, const Reply& reply) {
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  std::string_view target = req.target();
  if (target == "/_localddb/stream-hooks") return HandleHooksAdmin(req, reply);
  if (target == "/_localddb/health") {
    rapidjson::StringBuffer buf;
    json::Writer w(buf);
    w.StartObject();
    w.Key("status");
    w.String("ok");
    w.Key("version");
    w.String(LOCALDDB_VERSION);
    w.Key("tables");
    w.Uint64(ctx_.catalog.List().size());
    w.Key("uptime_seconds");
    w.Double(ctx_.now() - started_);
    w.EndObject();
    reply(MakeResponse(version, keep_alive, http::status::ok, {buf.GetString(), buf.GetSize()}, "application/json"));
    return;
  }
  reply(MakeResponse(version, keep_alive, http::status::not_found,
                     "{\"message\":\"no such admin endpoint: " + std::string(target) + "\"}", "application/json"));
}

void Router::Handle(Request&& req, Reply reply) {
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  std::string_view target_path = req.target();

  if (target_path.starts_with("/_localddb/")) return HandleAdmin(req, reply);
  if (req.method() != http::verb::post) {
    // DynamoDB answers any GET with its health line.
    reply(MakeResponse(version, keep_alive, http::status::ok,
                       "healthy: dynamodb." + config_.region + ".amazonaws.com ", "text/plain"));
    return;
  }

  in_flight_.fetch_add(1);
  auto guarded = [this, reply = std::move(reply)](Response res) mutable {
    reply(std::move(res));
    in_flight_.fetch_sub(1);
  };
  auto fail = [&](const ApiError& e) { guarded(ErrorResponse(e, version, keep_alive)); };

  try {
    std::string_view target = req["X-Amz-Target"];
    if (req.find(http::field::authorization) == req.end() && req.target().find("X-Amz-Signature") == std::string_view::npos)
      return fail(ApiError("MissingAuthenticationTokenException", "Request is missing Authentication Token"));
    if (config_.auth == "sigv4") {
      if (auto error = VerifySigV4(req, config_.credentials, ctx_.now())) return fail(*error);
    }
    const api::Operation* op = api::FindOperation(target);
    if (!op) return fail(ApiError("UnknownOperationException", ""));

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
    if (LogEnabled(LogLevel::kDebug)) Log(LogLevel::kDebug, "request " + std::string(target));

    auto responded = std::make_shared<std::atomic<bool>>(false);
    auto respond = [this, guarded, version, keep_alive, responded](api::Outcome outcome) mutable {
      if (responded->exchange(true)) return;
      if (outcome.error) {
        if (outcome.error->http_status() >= 500)
          Log(LogLevel::kError, "internal error: " + outcome.error->message());
        guarded(ErrorResponse(*outcome.error, version, keep_alive));
        return;
      }
      guarded(MakeResponse(version, keep_alive, http::status::ok, std::move(outcome.body), kJsonContentType));
    };
    try {
      op->handler(ctx_, doc, respond);
    } catch (const ApiError& e) {
      if (!responded->exchange(true)) fail(e);
    } catch (const std::exception& e) {
      Log(LogLevel::kError, std::string("internal error in ") + std::string(op->name) + ": " + e.what());
      if (!responded->exchange(true)) fail(ApiError::Internal());
    }
  } catch (const std::exception& e) {
    Log(LogLevel::kError, std::string("internal error: ") + e.what());
    fail(ApiError::Internal());
  }
}

}  // namespace localddb::server
