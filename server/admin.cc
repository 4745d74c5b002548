#include "server/admin.h"

#include "api/json.h"
#include "server/sigv4.h"

namespace localddb::server {
namespace {

constexpr std::string_view kJson = "application/json";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "Authorization: Bearer <token>" or "X-Localddb-Admin-Token: <token>".
std::string_view PresentedToken(const Request& req) {
  std::string_view auth = req[http::field::authorization];
  if (auth.size() > 7 && (auth.starts_with("Bearer ") || auth.starts_with("bearer "))) return Trim(auth.substr(7));
  return Trim(req["X-Localddb-Admin-Token"]);
}

bool IsJsonContentType(std::string_view type) {
  type = Trim(type.substr(0, type.find(';')));
  return type.size() == kJson.size() && std::equal(type.begin(), type.end(), kJson.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

bool ChangesState(const Request& req) { return req.method() != http::verb::get && req.method() != http::verb::head; }

}  // namespace

Response AdminError(const Envelope& envelope, http::status status, std::string_view name, std::string_view message) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("error");
  w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  w.Key("message");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.EndObject();
  return MakeResponse(envelope, status, {buf.GetString(), buf.GetSize()}, kJson);
}

Admin::Admin(api::Context& ctx, const Config& config, const AccessPolicy& policy, streams::HookDispatcher* hooks)
    : ctx_(ctx), config_(config), policy_(policy), hooks_(hooks), started_(ctx.now()) {}

bool Admin::Authorized(const Request& req) const {
  if (!policy_.admin_token.empty() && SecretsEqual(PresentedToken(req), policy_.admin_token)) return true;
  // With --auth sigv4, a request signed with a configured credential is as good as the token.
  return config_.auth == "sigv4" && req[http::field::authorization].starts_with("AWS4-HMAC-SHA256 ") &&
         !VerifySigV4(req, config_.credentials, ctx_.now());
}

std::optional<Response> Admin::Gate(const Request& req, const Envelope& envelope, bool open_endpoint) const {
  // A browser names the page that sends a request in Origin; only our own pages may call us.
  const std::string_view origin = req[http::field::origin];
  const std::string_view host = req[http::field::host];
  if (!origin.empty() && !SameOrigin(origin, host))
    return AdminError(envelope, http::status::forbidden, "ForbiddenOrigin",
                      "cross-origin requests to the admin API are refused (Origin: " + json::Excerpt(origin) + ")");
  if (open_endpoint) return std::nullopt;
  const bool authorized = Authorized(req);
  if (policy_.token_required && !authorized)
    return AdminError(envelope, http::status::unauthorized, "Unauthorized",
                      "this admin endpoint needs the admin token: send 'Authorization: Bearer <token>' (the token is "
                      "set with --admin-token, or generated and logged at start-up)");
  // Without the token, a request must name us as a local client would: a page that reached us by
  // rebinding its own DNS name to 127.0.0.1 is refused here.
  if (!authorized && !HostAllowed(host, policy_))
    return AdminError(envelope, http::status::forbidden, "ForbiddenHost",
                      "Host '" + json::Excerpt(host) +
                          "' is not a name of this server (use localhost or 127.0.0.1, or start it with --allow-host)");
  if (ChangesState(req) && (req.method() != http::verb::delete_ || !req.body().empty()) &&
      !IsJsonContentType(req[http::field::content_type]))
    return AdminError(envelope, http::status::unsupported_media_type, "UnsupportedMediaType",
                      "admin requests that change state must be sent with Content-Type: application/json");
  return std::nullopt;
}

void Admin::Handle(const Request& req, const Envelope& envelope, const Reply& reply) {
  std::string_view path = req.target();
  path = path.substr(0, path.find('?'));
  const bool health = path == "/_localddb/health";
  if (auto refusal = Gate(req, envelope, health)) return reply(std::move(*refusal));
  if (health) return reply(Health(envelope));
  if (path == "/_localddb/stream-hooks") return reply(StreamHooks(req, envelope));
  reply(AdminError(envelope, http::status::not_found, "NotFound", "no such admin endpoint: " + json::Excerpt(path)));
}

Response Admin::Health(const Envelope& envelope) const {
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
  return MakeResponse(envelope, http::status::ok, {buf.GetString(), buf.GetSize()}, kJson);
}

// GET lists every hook's state; POST {"table","url"} adds one; DELETE {"table","url"} removes one.
Response Admin::StreamHooks(const Request& req, const Envelope& envelope) {
  auto answer = [&](http::status status, std::string body) {
    return MakeResponse(envelope, status, std::move(body), kJson);
  };
  if (!hooks_) return AdminError(envelope, http::status::not_found, "NotFound", "stream hooks are not available");
  if (req.method() == http::verb::get) return answer(http::status::ok, hooks_->StateJson());
  if (req.method() != http::verb::post && req.method() != http::verb::delete_)
    return AdminError(envelope, http::status::method_not_allowed, "MethodNotAllowed", "use GET, POST or DELETE");
  json::Document doc;
  if (json::Parse(doc, req.body()) != json::ParseStatus::kOk || !doc.IsObject() || !doc.HasMember("table") ||
      !doc["table"].IsString() || !doc.HasMember("url") || !doc["url"].IsString())
    return AdminError(envelope, http::status::bad_request, "BadRequest",
                      "expected a JSON body {\"table\": \"...\", \"url\": \"http://...\"}");
  streams::HookSpec spec{std::string(json::View(doc["table"])), std::string(json::View(doc["url"]))};
  if (req.method() == http::verb::delete_) {
    const bool removed = hooks_->Remove(spec);
    return answer(removed ? http::status::ok : http::status::not_found, hooks_->StateJson());
  }
  if (spec.url.rfind("http://", 0) != 0)
    return AdminError(envelope, http::status::bad_request, "BadRequest", "url must start with http://");
  // Checked before anything connects: a hook sends every change of its table to its target.
  if (!HookTargetAllowed(spec.url, policy_))
    return AdminError(envelope, http::status::forbidden, "HookTargetNotAllowed",
                      "hook target '" + json::Excerpt(UrlHost(spec.url)) +
                          "' is not allowed: hooks may POST to loopback addresses and to the hosts of --stream-hook "
                          "targets; start localddb with --allow-hook-target <host> for others");
  const bool added = hooks_->Add(spec);
  return answer(added ? http::status::created : http::status::ok, hooks_->StateJson());
}

}  // namespace localddb::server
