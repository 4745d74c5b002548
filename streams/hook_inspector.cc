// The administrative side of HookDispatcher: adding and removing hooks, pausing, replaying, and the
// delivery inspector's answers (a hook's state, lag and counters; its recent deliveries; the
// batches it gave up on).
#include <algorithm>
#include <functional>

#include "api/catalog/describe.h"
#include "common/log.h"
#include "common/server_clock.h"
#include "streams/hook_dispatcher.h"
#include "streams/stream_record.h"

namespace localddb::streams {
namespace {

std::string Render(const std::function<void(json::Writer&)>& body) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  body(w);
  return {buf.GetString(), buf.GetSize()};
}

// Counting records behind a hook stops here (the inspector answers at once on huge backlogs).
constexpr int64_t kMaxLagCounted = 1000000;

}  // namespace

std::pair<bool, std::string> HookDispatcher::Add(HookSpec spec) {
  std::string id;
  {
    std::lock_guard lock(mu_);
    for (const auto& h : hooks_)
      if (h->spec.table == spec.table && h->spec.url == spec.url) return {false, h->id};
    HookPtr h = MakeHook(std::move(spec));
    if (auto d = dormant_.find({h->spec.table, h->spec.url}); h->spec.from_flag && d != dormant_.end()) {
      h->position = d->second.position;  // the same flag as in an earlier run: resume
      dormant_.erase(d);
    } else if (h->spec.settings.start_at_latest) {
      if (auto t = ctx_.catalog.Find(h->spec.table); t && t->stream.space)
        h->position = ctx_.db.reader().StreamBounds(t->stream.space).second;
    }
    id = h->id;
    hooks_.push_back(h);
    Persist(*h, /*force=*/true);
  }
  Notify();
  return {true, id};
}

bool HookDispatcher::Remove(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = std::find_if(hooks_.begin(), hooks_.end(), [&](const HookPtr& h) { return h->id == id; });
  if (it == hooks_.end()) return false;
  HookPtr h = *it;
  h->removed = true;
  hooks_.erase(it);
  ctx_.db.Submit([table = h->spec.table, url = h->spec.url,
                  hid = h->id](storage::WriteTxn& txn) { txn.DeleteHook(table, url, hid); },
                 [](std::exception_ptr) {});
  return true;
}

std::optional<std::string> HookDispatcher::FindId(std::string_view table, std::string_view url) {
  std::lock_guard lock(mu_);
  for (const auto& h : hooks_)
    if (h->spec.table == table && h->spec.url == url) return h->id;
  return std::nullopt;
}

void HookDispatcher::WriteHook(json::Writer& w, const Hook& h) {
  // Lag: the records after the position, and the age of the oldest (Lambda's IteratorAge).
  int64_t lag = 0;
  double oldest = 0;
  if (auto t = ctx_.catalog.Find(h.spec.table); t && t->stream.space) {
    ctx_.db.reader().ReadStream(t->stream.space, h.position, [&](int64_t, double created, std::string_view) {
      if (lag == 0) oldest = created;
      return ++lag < kMaxLagCounted;
    });
  }
  const char* state = h.paused                                              ? "paused"
                      : h.consecutive_failures >= 3                         ? "failing"
                      : h.consecutive_failures > 0 || !h.split_ends.empty() ? "retrying"
                                                                            : "ok";
  w.StartObject();
  w.Key("id");
  w.String(h.id);
  w.Key("table");
  w.String(h.spec.table);
  w.Key("url");
  w.String(h.spec.url);
  if (!h.spec.function.empty()) {
    w.Key("function");
    w.String(h.spec.function);
  }
  w.Key("declaredBy");
  w.String(h.spec.from_flag ? "flag" : "api");
  w.Key("state");
  w.String(state);
  w.Key("status");
  w.String(h.paused ? "paused" : h.status);
  w.Key("position");
  w.String(FormatSequenceNumber(h.position));
  w.Key("lag");
  w.Int64(lag);
  w.Key("iteratorAgeMs");
  w.Int64(lag ? static_cast<int64_t>(std::max(0.0, ctx_.now() - oldest) * 1000) : 0);
  w.Key("attempts");
  w.Int(h.attempts);
  if (h.next_attempt > schedule_() && !h.paused) {
    w.Key("nextAttemptInMs");
    w.Int64(static_cast<int64_t>((h.next_attempt - schedule_()) * 1000));
  }
  w.Key("pendingReplays");
  w.Uint64(h.replays.size());
  w.Key("lastError");
  w.String(h.last_error);
  w.Key("last_error");  // the 0.x name, kept for scripts
  w.String(h.last_error);
  w.Key("delivered");  // records delivered since the server started
  w.Int64(h.counters.records_delivered);
  w.Key("last_delivery");
  w.Double(h.last_delivery);
  w.Key("counters");
  w.StartObject();
  const std::pair<const char*, int64_t> counters[] = {
      {"recordsDelivered", h.counters.records_delivered},
      {"batchesDelivered", h.counters.batches_delivered},
      {"failedAttempts", h.counters.failed_attempts},
      {"recordsFiltered", h.counters.records_filtered},
      {"recordsGivenUp", h.counters.records_given_up},
      {"failedBatches", h.counters.failed_batches},
      {"bisections", h.counters.bisections},
      {"replays", h.counters.replays},
  };
  for (const auto& [name, value] : counters) {
    w.Key(name);
    w.Int64(value);
  }
  w.EndObject();
  WriteHookSettings(w, h.spec.settings);
  w.EndObject();
}

std::string HookDispatcher::StateJson() {
  std::lock_guard lock(mu_);
  return Render([&](json::Writer& w) {
    w.StartObject();
    w.Key("hooks");
    w.StartArray();
    for (const auto& h : hooks_) WriteHook(w, *h);
    w.EndArray();
    w.EndObject();
  });
}

HookControl HookDispatcher::HookJson(std::string_view id) {
  std::lock_guard lock(mu_);
  HookPtr h = Find(id);
  if (!h) return {HookControl::kNotFound, {}, {}};
  return {HookControl::kOk, {}, Render([&](json::Writer& w) { WriteHook(w, *h); })};
}

HookControl HookDispatcher::DeliveriesJson(std::string_view id, size_t limit) {
  std::lock_guard lock(mu_);
  HookPtr h = Find(id);
  if (!h) return {HookControl::kNotFound, {}, {}};
  std::string out =
      "{\"id\":" + json::Dump(json::Value(rapidjson::StringRef(h->id.data(), h->id.size()))) + ",\"deliveries\":[";
  bool first = true;
  for (const LogEntry* e : h->deliveries.Newest(limit)) {
    if (!first) out += ',';
    first = false;
    out += e->json;
  }
  out += "]}";
  return {HookControl::kOk, {}, std::move(out)};
}

HookControl HookDispatcher::FailuresJson(std::string_view id) {
  std::lock_guard lock(mu_);
  HookPtr h = Find(id);
  if (!h) return {HookControl::kNotFound, {}, {}};
  std::string out =
      "{\"id\":" + json::Dump(json::Value(rapidjson::StringRef(h->id.data(), h->id.size()))) + ",\"failures\":[";
  bool first = true;
  for (const LogEntry* e : h->failures.Newest(SIZE_MAX)) {
    if (!first) out += ',';
    first = false;
    out += e->json;
  }
  out += "]}";
  return {HookControl::kOk, {}, std::move(out)};
}

HookControl HookDispatcher::Pause(std::string_view id, bool paused) {
  {
    std::lock_guard lock(mu_);
    HookPtr h = Find(id);
    if (!h) return {HookControl::kNotFound, {}, {}};
    h->paused = paused;
    h->config_dirty = true;
    if (!paused) h->next_attempt = 0;  // resuming retries now, without waiting out the backoff
    Log(LogLevel::kInfo, "stream hook " + h->id + (paused ? " paused" : " resumed"));
    Persist(*h, /*force=*/true);
  }
  Notify();
  return HookJson(id);
}

HookControl HookDispatcher::ReplayFrom(std::string_view id, std::string_view sequence_number) {
  const std::optional<int64_t> seq = ParseSequenceNumber(sequence_number);
  if (!seq || *seq < 1)
    return {HookControl::kInvalid,
            "fromSequenceNumber '" + json::Excerpt(sequence_number, 64) +
                "' is not a sequence number of this server's streams",
            {}};
  {
    std::lock_guard lock(mu_);
    HookPtr h = Find(id);
    if (!h) return {HookControl::kNotFound, {}, {}};
    h->position = *seq - 1;
    h->replays.clear();
    h->current.reset();
    h->attempts = 0;
    h->split_ends.clear();
    h->next_attempt = 0;
    ++h->generation;
    ++h->counters.replays;
    Log(LogLevel::kInfo, "stream hook " + h->id + ": replaying from " + std::string(sequence_number));
    Persist(*h, /*force=*/true);
  }
  Notify();
  return HookJson(id);
}

HookControl HookDispatcher::ReplayFailure(std::string_view id, std::string_view failed_batch) {
  int64_t batch = 0;
  const bool numeric =
      !failed_batch.empty() && failed_batch.size() < 19 &&
      std::all_of(failed_batch.begin(), failed_batch.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (numeric) batch = std::stoll(std::string(failed_batch));
  {
    std::lock_guard lock(mu_);
    HookPtr h = Find(id);
    if (!h) return {HookControl::kNotFound, {}, {}};
    auto it = numeric ? h->failed.find(batch) : h->failed.end();
    if (it == h->failed.end())
      return {HookControl::kInvalid,
              "failedBatch '" + json::Excerpt(failed_batch, 64) + "' is not a given-up batch of hook " + h->id +
                  " (see GET /_localddb/stream-hooks/" + h->id + "/failures)",
              {}};
    Failure& f = it->second;
    ++f.replays;
    std::string json = f.ToJson();
    h->failures.Put(f.id, json);
    h->unsaved.push_back({f.id, h->id, "failure", std::move(json)});
    h->replays.push_back({f.first - 1, f.last, f.id});
    h->next_attempt = 0;
    ++h->counters.replays;
    Log(LogLevel::kInfo, "stream hook " + h->id + ": replaying failed batch " + std::to_string(f.id));
    Persist(*h, /*force=*/true);
  }
  Notify();
  return HookJson(id);
}

}  // namespace localddb::streams
