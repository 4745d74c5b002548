// /_localddb/stream-hooks: declaring hooks and the delivery inspector.
//
//   GET    /stream-hooks                      every hook's state
//   POST   /stream-hooks                      {"table", "url" | "function", <ESM settings>} adds one
//   DELETE /stream-hooks                      {"table", "url" | "function"} removes one
//   GET    /stream-hooks/{id}                 one hook: state, lag, iterator age, counters, settings
//   DELETE /stream-hooks/{id}                 removes it
//   GET    /stream-hooks/{id}/deliveries      recent batches, newest first (?limit=N, default 20)
//   GET    /stream-hooks/{id}/failures        batches given up on (Lambda's on-failure records)
//   POST   /stream-hooks/{id}/pause | resume
//   POST   /stream-hooks/{id}/replay          {"fromSequenceNumber": "..."} or {"failedBatch": "<id>"}
#include <charconv>

#include "server/admin.h"

namespace localddb::server {
namespace {

constexpr std::string_view kJson = "application/json";
constexpr size_t kDefaultDeliveries = 20;

Response Answer(const Admin::Call& call, http::status status, std::string body) {
  return MakeResponse(call.envelope, status, std::move(body), kJson);
}

Response BadRequest(const Admin::Call& call, std::string_view message) {
  return AdminError(call.envelope, http::status::bad_request, "BadRequest", message);
}

Response NoSuchHook(const Admin::Call& call, std::string_view id) {
  return AdminError(call.envelope, http::status::not_found, "HookNotFound",
                    "no stream hook with id '" + json::Excerpt(id, 100) + "' in this namespace");
}

Response FromControl(const Admin::Call& call, std::string_view id, const streams::HookControl& c) {
  switch (c.code) {
    case streams::HookControl::kOk:
      return Answer(call, http::status::ok, c.json);
    case streams::HookControl::kNotFound:
      return NoSuchHook(call, id);
    case streams::HookControl::kInvalid:
      break;
  }
  return BadRequest(call, c.message);
}

}  // namespace

Response Admin::StreamHooks(const Call& call) {
  const auto& req = call.req;
  NamespaceRegistry::Lease ns = namespaces_.Acquire(call.ns);
  streams::HookDispatcher& hooks = ns->hooks();
  if (call.parts.size() > 1) return StreamHook(call, hooks);
  if (req.method() == http::verb::get) return Answer(call, http::status::ok, hooks.StateJson());
  if (req.method() != http::verb::post && req.method() != http::verb::delete_)
    return MethodNotAllowed(call, "GET, POST or DELETE");

  streams::HookSpec spec;
  try {
    spec = streams::ParseHookSpec(*call.body, hooks.options().defaults, hooks.options().lambda_endpoint);
  } catch (const std::invalid_argument& e) {
    return BadRequest(call, e.what());
  }
  if (req.method() == http::verb::delete_) {
    const std::optional<std::string> id = hooks.FindId(spec.table, spec.url);
    if (id) hooks.Remove(*id);
    return Answer(call, id ? http::status::ok : http::status::not_found, hooks.StateJson());
  }
  // Checked before anything connects: a hook sends every change of its table to its target.
  if (!HookTargetAllowed(spec.url, policy_))
    return AdminError(call.envelope, http::status::forbidden, "HookTargetNotAllowed",
                      "hook target '" + json::Excerpt(UrlHost(spec.url)) +
                          "' is not allowed: hooks may POST to loopback addresses and to the hosts of --stream-hook "
                          "targets; start localddb with --allow-hook-target <host> for others");
  const auto [added, id] = hooks.Add(std::move(spec));
  const streams::HookControl hook = hooks.HookJson(id);
  std::string body = "{\"id\":\"" + id + "\",\"hook\":" + hook.json + ",\"hooks\":" + [&] {
    std::string all = hooks.StateJson();  // {"hooks":[...]}
    const size_t open = all.find('[');
    return all.substr(open, all.size() - open - 1);
  }() + "}";
  return Answer(call, added ? http::status::created : http::status::ok, std::move(body));
}

Response Admin::StreamHook(const Call& call, streams::HookDispatcher& hooks) {
  const auto& req = call.req;
  const std::string_view id = call.parts[1];
  const std::string_view action = call.parts.size() > 2 ? call.parts[2] : std::string_view();
  if (action.empty()) {
    if (req.method() == http::verb::get) return FromControl(call, id, hooks.HookJson(id));
    if (req.method() == http::verb::delete_) {
      if (!hooks.Remove(id)) return NoSuchHook(call, id);
      return Answer(call, http::status::ok, hooks.StateJson());
    }
    return MethodNotAllowed(call, "GET or DELETE");
  }
  if (action == "deliveries" || action == "failures") {
    if (req.method() != http::verb::get) return MethodNotAllowed(call, "GET");
    if (action == "failures") return FromControl(call, id, hooks.FailuresJson(id));
    size_t limit = kDefaultDeliveries;
    if (const std::string text = QueryParameter(req.target(), "limit"); !text.empty()) {
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
      if (ec != std::errc() || end != text.data() + text.size() || limit < 1)
        return BadRequest(call, "limit must be a whole number of at least 1");
    }
    return FromControl(call, id, hooks.DeliveriesJson(id, limit));
  }
  if (action != "pause" && action != "resume" && action != "replay")
    return AdminError(call.envelope, http::status::not_found, "NotFound",
                      "no such admin endpoint: " + json::Excerpt(req.target()));
  if (req.method() != http::verb::post) return MethodNotAllowed(call, "POST");
  if (action != "replay") return FromControl(call, id, hooks.Pause(id, action == "pause"));

  const json::Document& body = *call.body;
  auto from = body.FindMember("fromSequenceNumber");
  auto failed = body.FindMember("failedBatch");
  const bool has_from = from != body.MemberEnd(), has_failed = failed != body.MemberEnd();
  if (has_from == has_failed)
    return BadRequest(call, "replay takes {\"fromSequenceNumber\": \"...\"} or {\"failedBatch\": \"<id>\"}");
  const json::Value& v = has_from ? from->value : failed->value;
  std::string text;
  if (v.IsString())
    text = json::View(v);
  else if (v.IsUint64())
    text = std::to_string(v.GetUint64());
  else
    return BadRequest(call, has_from ? "fromSequenceNumber must be a string" : "failedBatch must be a string");
  return FromControl(call, id, has_from ? hooks.ReplayFrom(id, text) : hooks.ReplayFailure(id, text));
}

}  // namespace localddb::server
