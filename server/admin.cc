#include "server/admin.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/admin/seed.h"
#include "api/json.h"
#include "server/sigv4.h"
#include "server/test_double.h"
#include "server/ttl_sweeper.h"
#include "storage/storage_error.h"

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

std::vector<std::string_view> SplitPath(std::string_view path) {
  path = path.substr(0, path.find('?'));
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    const size_t slash = path.find('/');
    if (slash != 0) parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

// A JSON answer built with a writer.
template <typename F>
Response JsonAnswer(const Envelope& envelope, http::status status, F&& write) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  write(w);
  return MakeResponse(envelope, status, {buf.GetString(), buf.GetSize()}, kJson);
}

void WriteSnapshot(json::Writer& w, const SnapshotEntry& s) {
  w.StartObject();
  w.Key("name");
  w.String(s.name);
  w.Key("createdAt");
  w.String(FormatIso8601(s.info.created));
  w.Key("tables");
  w.Int64(s.info.tables);
  w.Key("items");
  w.Int64(s.info.items);
  w.Key("bytes");
  w.Int64(s.info.bytes);
  w.EndObject();
}

std::optional<bool> BoolMember(const json::Document& body, const char* name) {
  auto it = body.FindMember(name);
  if (it == body.MemberEnd() || !it->value.IsBool()) return std::nullopt;
  return it->value.GetBool();
}

}  // namespace

Response MethodNotAllowed(const Admin::Call& call, std::string_view allowed) {
  return AdminError(call.envelope, http::status::method_not_allowed, "MethodNotAllowed",
                    "use " + std::string(allowed) + " on this endpoint");
}

Response AdminError(const Envelope& envelope, http::status status, std::string_view name, std::string_view message) {
  return JsonAnswer(envelope, status, [&](json::Writer& w) {
    w.StartObject();
    w.Key("error");
    w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.Key("message");
    w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
    w.EndObject();
  });
}

Admin::Admin(NamespaceRegistry& namespaces, ServerClock& clock, const Config& config, const AccessPolicy& policy,
             RequestLog& requests)
    : namespaces_(namespaces),
      clock_(clock),
      config_(config),
      policy_(policy),
      requests_(requests),
      started_(api::SystemClock()) {}

bool Admin::Authorized(const Request& req) const {
  if (!policy_.admin_token.empty() && SecretsEqual(PresentedToken(req), policy_.admin_token)) return true;
  // With --auth sigv4, a request signed with a configured credential is as good as the token.
  return config_.auth == "sigv4" && req[http::field::authorization].starts_with("AWS4-HMAC-SHA256 ") &&
         !VerifySigV4(req, config_.credentials, api::SystemClock());
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

void Admin::Handle(const Request& req, const NamespaceSelection& selection, const Envelope& envelope,
                   const Reply& reply) {
  const std::vector<std::string_view> path = SplitPath(selection.path);
  std::vector<std::string_view> parts(path.empty() ? path.end() : path.begin() + 1, path.end());  // after _localddb
  // Open to any local client (the gate still refuses other origins): health, for probes; the
  // console's files, which hold no data (a browser cannot send the token when it opens a page; the
  // page asks for it, and its calls carry it).
  const bool health = parts.size() == 1 && parts[0] == "health";
  const bool console =
      !parts.empty() && parts[0] == "console" && (req.method() == http::verb::get || req.method() == http::verb::head);
  if (auto refusal = Gate(req, envelope, health || console)) return reply(std::move(*refusal));
  json::Document body;
  body.SetObject();
  if (!req.body().empty()) {
    if (json::Parse(body, req.body()) != json::ParseStatus::kOk || !body.IsObject())
      return reply(AdminError(envelope, http::status::bad_request, "BadRequest", "the body must be a JSON object"));
  }
  if (auto why = NamespaceRegistry::Invalid(selection.name); !why.empty())
    return reply(AdminError(envelope, http::status::bad_request, "InvalidNamespace", why));
  const Call call{req, envelope, selection.name, std::move(parts), &body};
  try {
    reply(Route(call));
  } catch (const TestDoubleError& e) {
    reply(AdminError(envelope, static_cast<http::status>(e.status), e.kind, e.what()));
  } catch (const NamespaceError& e) {
    reply(AdminError(envelope, http::status::bad_request, "InvalidNamespace", e.what()));
  } catch (const std::exception& e) {
    Log(LogLevel::kError, "admin request " + envelope.request_id + " failed: " + e.what());
    reply(AdminError(envelope, http::status::internal_server_error, "InternalError", e.what()));
  }
}

Response Admin::Route(const Call& call) {
  const auto& p = call.parts;
  const std::string_view first = p.empty() ? std::string_view() : p[0];
  if (first == "health" && p.size() == 1) return Health(call);
  if (first == "stream-hooks" && p.size() <= 3) return StreamHooks(call);
  if (first == "namespaces" && p.size() <= 2) return Namespaces(call);
  if (first == "reset" && p.size() == 1) return Reset(call);
  if (first == "snapshots" && p.size() <= 3) return Snapshots(call);
  if (first == "seed" && p.size() == 1) return Seed(call);
  if (first == "clock" && p.size() == 1) return Clock(call);
  if (first == "ttl" && p.size() == 2 && p[1] == "sweep") return TtlSweep(call);
  if (first == "faults" && p.size() <= 2) return Faults(call);
  if (first == "metrics" && p.size() == 1) return MetricsText(call);
  if (first == "requests" && p.size() <= 2) return Requests(call);
  if (first == "console") return Console(call);
  return AdminError(call.envelope, http::status::not_found, "NotFound",
                    "no such admin endpoint: " + json::Excerpt(call.req.target()));
}

Response Admin::Health(const Call& call) {
  NamespaceRegistry::Lease ns = namespaces_.Acquire(call.ns);
  return JsonAnswer(call.envelope, http::status::ok, [&](json::Writer& w) {
    w.StartObject();
    w.Key("status");
    w.String("ok");
    w.Key("version");
    w.String(LOCALDDB_VERSION);
    w.Key("tables");
    w.Uint64(ns->catalog().List().size());
    w.Key("uptime_seconds");
    w.Double(api::SystemClock() - started_);
    w.EndObject();
  });
}

// GET /namespaces lists them; DELETE /namespaces/{name} removes one (not the default).
Response Admin::Namespaces(const Call& call) {
  if (call.parts.size() == 1) {
    if (call.req.method() != http::verb::get) return MethodNotAllowed(call, "GET");
    const std::vector<std::string> names = namespaces_.Names();
    return JsonAnswer(call.envelope, http::status::ok, [&](json::Writer& w) {
      w.StartObject();
      w.Key("namespaces");
      w.StartArray();
      for (const auto& name : names) {
        NamespaceRegistry::Lease ns = namespaces_.Find(name);
        if (!ns) continue;
        w.StartObject();
        w.Key("name");
        w.String(name);
        w.Key("accountId");
        w.String(NamespaceRegistry::AccountId(name));
        w.Key("tables");
        w.Uint64(ns->catalog().List().size());
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    });
  }
  if (call.req.method() != http::verb::delete_) return MethodNotAllowed(call, "DELETE");
  const std::string name(call.parts[1]);
  if (auto why = NamespaceRegistry::Invalid(name); !why.empty())
    return AdminError(call.envelope, http::status::bad_request, "InvalidNamespace", why);
  if (name == NamespaceRegistry::kDefault)
    return AdminError(call.envelope, http::status::bad_request, "InvalidNamespace",
                      "the default namespace cannot be removed (reset it instead)");
  if (!namespaces_.Remove(name))
    return AdminError(call.envelope, http::status::not_found, "NamespaceNotFound", "no namespace named '" + name + "'");
  return JsonAnswer(call.envelope, http::status::ok, [&](json::Writer& w) {
    w.StartObject();
    w.Key("deleted");
    w.String(name);
    w.EndObject();
  });
}

// POST /reset {"mode": "drop" | "truncate"}.
Response Admin::Reset(const Call& call) {
  if (call.req.method() != http::verb::post) return MethodNotAllowed(call, "POST");
  bool truncate = false;
  if (auto it = call.body->FindMember("mode"); it != call.body->MemberEnd()) {
    const std::string_view mode = it->value.IsString() ? json::View(it->value) : std::string_view();
    if (mode != "drop" && mode != "truncate")
      return AdminError(call.envelope, http::status::bad_request, "InvalidMode", "mode is \"drop\" or \"truncate\"");
    truncate = mode == "truncate";
  }
  const ResetResult r = server::Reset(namespaces_, call.ns, truncate);
  return JsonAnswer(call.envelope, http::status::ok, [&](json::Writer& w) {
    w.StartObject();
    w.Key("tables");
    w.Int64(r.tables);
    w.Key("items");
    w.Int64(r.items);
    w.EndObject();
  });
}

// GET /snapshots; PUT, DELETE /snapshots/{name}; POST /snapshots/{name}/restore;
// GET /snapshots/{name}/file.
Response Admin::Snapshots(const Call& call) {
  const auto method = call.req.method();
  if (call.parts.size() == 1) {
    if (method != http::verb::get) return MethodNotAllowed(call, "GET");
    const auto list = ListSnapshots(namespaces_, call.ns);
    return JsonAnswer(call.envelope, http::status::ok, [&](json::Writer& w) {
      w.StartObject();
      w.Key("snapshots");
      w.StartArray();
      for (const auto& s : list) WriteSnapshot(w, s);
      w.EndArray();
      w.EndObject();
    });
  }
  const std::string name(call.parts[1]);
  if (call.parts.size() == 3 && call.parts[2] == "restore") {
    if (method != http::verb::post) return MethodNotAllowed(call, "POST");
    RestoreSnapshot(namespaces_, call.ns, name);
    return JsonAnswer(call.envelope, http::status::ok, [&](json::Writer& w) {
      w.StartObject();
      w.Key("restored");
      w.String(name);
      w.EndObject();
    });
  }
  if (call.parts.size() == 3 && call.parts[2] == "file") {
    if (method != http::verb::get) return MethodNotAllowed(call, "GET");
    std::ifstream in(SnapshotFile(namespaces_, call.ns, name), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    Response res = MakeResponse(call.envelope, http::status::ok, bytes.str(), "application/vnd.sqlite3");
    res.set(http::field::content_disposition, "attachment; filename=\"" + name + ".sqlite\"");
    return res;
  }
  if (call.parts.size() != 2)
    return AdminError(call.envelope, http::status::not_found, "NotFound", "no such admin endpoint");
  if (method == http::verb::put) {
    const SnapshotEntry s =
        SaveSnapshot(namespaces_, call.ns, name, BoolMember(*call.body, "streamRecords").value_or(false), clock_.Now());
    return JsonAnswer(call.envelope, http::status::created, [&](json::Writer& w) { WriteSnapshot(w, s); });
  }
  if (method == http::verb::delete_) {
    if (!DeleteSnapshot(namespaces_, call.ns, name))
      return AdminError(call.envelope, http::status::not_found, "SnapshotNotFound", "no snapshot named '" + name + "'");
    return JsonAnswer(call.envelope, http::status::ok, [&](json::Writer& w) {
      w.StartObject();
      w.Key("deleted");
      w.String(name);
      w.EndObject();
    });
  }
  return MethodNotAllowed(call, "PUT or DELETE");
}

// POST /seed with a seed document as the body (see api/admin/seed.h).
Response Admin::Seed(const Call& call) {
  if (call.req.method() != http::verb::post) return MethodNotAllowed(call, "POST");
  NamespaceRegistry::Lease ns = namespaces_.Acquire(call.ns);
  api::SeedSummary summary;
  try {
    summary = api::ApplySeed(ns->ctx(), *call.body, "request body");
  } catch (const api::SeedError& e) {
    return AdminError(call.envelope, http::status::bad_request, "InvalidSeed", e.what());
  }
  return JsonAnswer(call.envelope, http::status::ok, [&](json::Writer& w) {
    w.StartObject();
    w.Key("tables");
    w.Int64(summary.tables);
    w.Key("items");
    w.Int64(summary.items);
    w.EndObject();
  });
}

// GET /clock; POST /clock {"advanceSeconds": N} | {"set": "<ISO-8601>"} | {"mode": "real"|"manual"}.
Response Admin::Clock(const Call& call) {
  if (call.req.method() == http::verb::post) {
    const json::Document& body = *call.body;
    auto bad = [&](const std::string& message) {
      return AdminError(call.envelope, http::status::bad_request, "InvalidClock", message);
    };
    if (body.MemberCount() != 1)
      return bad("send one of {\"advanceSeconds\": N}, {\"set\": \"<ISO-8601>\"} or {\"mode\": \"real\"|\"manual\"}");
    if (auto it = body.FindMember("advanceSeconds"); it != body.MemberEnd()) {
      if (!it->value.IsNumber() || std::abs(it->value.GetDouble()) > 1e10)
        return bad("advanceSeconds is a number of seconds");
      clock_.Advance(it->value.GetDouble());
    } else if (auto set = body.FindMember("set"); set != body.MemberEnd()) {
      auto at = set->value.IsString() ? ParseIso8601(json::View(set->value)) : std::nullopt;
      if (!at) return bad("set is an ISO-8601 time, e.g. \"2026-01-01T00:00:00Z\"");
      clock_.Set(*at);
    } else if (auto mode = body.FindMember("mode"); mode != body.MemberEnd()) {
      const std::string_view m = mode->value.IsString() ? json::View(mode->value) : std::string_view();
      if (m == "real")
        clock_.SetReal();
      else if (m == "manual")
        clock_.Set(clock_.Now());
      else
        return bad("mode is \"real\" or \"manual\"");
    } else {
      return bad("send one of {\"advanceSeconds\": N}, {\"set\": \"<ISO-8601>\"} or {\"mode\": \"real\"|\"manual\"}");
    }
  } else if (call.req.method() != http::verb::get) {
    return MethodNotAllowed(call, "GET or POST");
  }
  return JsonAnswer(call.envelope, http::status::ok, [&](json::Writer& w) {
    w.StartObject();
    w.Key("now");
    w.String(FormatIso8601(clock_.Now()));
    w.Key("mode");
    w.String(clock_.manual() ? "manual" : "real");
    w.EndObject();
  });
}

// GET /faults lists the namespace's rules; POST {"rules": [...]} adds some -> {"ids": [...]};
// DELETE /faults removes them all; DELETE /faults/{id} one.
Response Admin::Faults(const Call& call) {
  const auto method = call.req.method();
  FaultRules& rules = namespaces_.Faults(call.ns);
  if (call.parts.size() == 2) {
    if (method != http::verb::delete_) return MethodNotAllowed(call, "DELETE");
    int64_t id = 0;
    const std::string_view text = call.parts[1];
    if (std::from_chars(text.data(), text.data() + text.size(), id).ptr != text.data() + text.size() ||
        !rules.Remove(id))
      return AdminError(call.envelope, http::status::not_found, "FaultRuleNotFound",
                        "no fault rule with id '" + json::Excerpt(text) + "'");
    return MakeResponse(call.envelope, http::status::ok, rules.ListJson(), kJson);
  }
  if (method == http::verb::get) return MakeResponse(call.envelope, http::status::ok, rules.ListJson(), kJson);
  if (method == http::verb::delete_) {
    rules.Clear();
    return MakeResponse(call.envelope, http::status::ok, rules.ListJson(), kJson);
  }
  if (method != http::verb::post) return MethodNotAllowed(call, "GET, POST or DELETE");
  const std::vector<int64_t> ids = AddFaultRules(namespaces_, call.ns, *call.body);
  return JsonAnswer(call.envelope, http::status::created, [&](json::Writer& w) {
    w.StartObject();
    w.Key("ids");
    w.StartArray();
    for (int64_t id : ids) w.Int64(id);
    w.EndArray();
    w.EndObject();
  });
}

// POST /ttl/sweep: deletes the namespace's expired items now -> {"deleted": N}.
Response Admin::TtlSweep(const Call& call) {
  if (call.req.method() != http::verb::post) return MethodNotAllowed(call, "POST");
  namespaces_.Acquire(call.ns);  // created if needed, so that an unknown namespace sweeps nothing
  const int64_t deleted = TtlSweeper::SweepAll(namespaces_, call.ns);
  return JsonAnswer(call.envelope, http::status::ok, [&](json::Writer& w) {
    w.StartObject();
    w.Key("deleted");
    w.Int64(deleted);
    w.EndObject();
  });
}

}  // namespace localddb::server
