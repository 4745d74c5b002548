#include "streams/hook_dispatcher.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "api/catalog/describe.h"
#include "api/json.h"
#include "common/log.h"
#include "streams/http_client.h"
#include "streams/stream_record.h"

namespace localddb::streams {
namespace {

constexpr double kMaxBackoffSeconds = 30;
constexpr double kTrimEverySeconds = 60;
constexpr double kSaveEverySeconds = 0.2;

// Lowers the calling thread's priority (nice 10); on Linux a nice value set by thread id applies
// to that thread alone.
void LowerThisThreadPriority() { setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10); }

// The first sequence number a partial-batch response reports as failed; nullopt when the
// response reports none (the whole batch succeeded). A malformed report, or one naming a record
// that is not in the batch, fails the whole batch, as Lambda treats it: the position never moves
// past a record that was not delivered.
std::optional<int64_t> FirstFailure(const std::string& body, const std::vector<std::pair<int64_t, std::string>>& batch,
                                    bool* malformed) {
  const int64_t batch_first = batch.front().first;
  *malformed = false;
  json::Document d;
  if (json::Parse(d, body) != json::ParseStatus::kOk || !d.IsObject()) return std::nullopt;
  auto it = d.FindMember("batchItemFailures");
  if (it == d.MemberEnd() || !it->value.IsArray() || it->value.Empty()) return std::nullopt;
  std::optional<int64_t> first;
  for (const auto& f : it->value.GetArray()) {
    std::optional<int64_t> seq;
    if (f.IsObject() && f.HasMember("itemIdentifier") && f["itemIdentifier"].IsString())
      seq = ParseSequenceNumber(json::View(f["itemIdentifier"]));
    const bool in_batch =
        seq && std::binary_search(batch.begin(), batch.end(), std::pair<int64_t, std::string>{*seq, {}},
                                  [](const auto& a, const auto& b) { return a.first < b.first; });
    if (!in_batch) {
      *malformed = true;
      return batch_first;
    }
    first = first ? std::min(*first, *seq) : *seq;
  }
  return first;
}

}  // namespace

HookDispatcher::HookDispatcher(api::Context& ctx, HookOptions options, HookTransport transport, api::Clock schedule)
    : ctx_(ctx), options_(options), transport_(std::move(transport)), schedule_(std::move(schedule)) {
  if (!transport_)
    transport_ = [this](const HookSpec& hook, const std::string& body, int timeout_ms, const std::atomic<bool>* abort) {
      return ClientFor(hook).Post(body, timeout_ms, abort);
    };
}

HookDispatcher::~HookDispatcher() { Stop(); }

void HookDispatcher::Start(const std::vector<HookSpec>& configured) {
  Load(configured);
  thread_ = std::thread([this] { Run(); });
}

void HookDispatcher::Load(const std::vector<HookSpec>& configured) {
  {
    std::lock_guard lock(mu_);
    for (const auto& [table, url, position] : ctx_.db.reader().LoadHooks()) {
      Hook h;
      h.spec = {table, url};
      h.position = h.saved_position = position;
      hooks_.push_back(std::move(h));
    }
  }
  for (const auto& spec : configured) Add(spec);
}

void HookDispatcher::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  aborting_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HookDispatcher::Notify() {
  {
    std::lock_guard lock(mu_);
    notified_ = true;
  }
  cv_.notify_one();
}

bool HookDispatcher::Add(const HookSpec& spec) {
  {
    std::lock_guard lock(mu_);
    for (const auto& h : hooks_)
      if (h.spec.table == spec.table && h.spec.url == spec.url) return false;
    Hook h;
    h.spec = spec;
    hooks_.push_back(h);
    SavePosition(hooks_.back(), /*force=*/true);
  }
  Notify();
  return true;
}

bool HookDispatcher::Remove(const HookSpec& spec) {
  std::lock_guard lock(mu_);
  auto it = std::find_if(hooks_.begin(), hooks_.end(),
                         [&](const Hook& h) { return h.spec.table == spec.table && h.spec.url == spec.url; });
  if (it == hooks_.end()) return false;
  hooks_.erase(it);
  std::string table = spec.table, url = spec.url;
  ctx_.db.Submit([table, url](storage::WriteTxn& txn) { txn.DeleteHook(table, url); }, [](std::exception_ptr) {});
  return true;
}

HttpClient& HookDispatcher::ClientFor(const HookSpec& spec) {
  auto& client = clients_[{spec.table, spec.url}];
  if (!client) client = std::make_unique<HttpClient>(spec.url);
  return *client;
}

void HookDispatcher::SavePosition(Hook& h, bool force) {
  if (h.position == h.saved_position) return;
  const double now = schedule_();
  if (!force && now - h.saved_at < kSaveEverySeconds) return;
  h.saved_position = h.position;
  h.saved_at = now;
  std::string table = h.spec.table, url = h.spec.url;
  int64_t position = h.position;
  // Asynchronous: a crash before it lands only means redelivery (at least once, never skipped).
  ctx_.db.Submit([table, url, position](storage::WriteTxn& txn) { txn.PutHook(table, url, position); },
                 [](std::exception_ptr) {});
}

std::string HookDispatcher::StateJson() {
  std::lock_guard lock(mu_);
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("hooks");
  w.StartArray();
  for (const auto& h : hooks_) {
    int64_t lag = 0;
    if (auto t = ctx_.catalog.Find(h.spec.table); t && t->stream.space) {
      ctx_.db.reader().ReadStream(t->stream.space, h.position, [&](int64_t, double, std::string_view) {
        ++lag;
        return lag < 100000;
      });
    }
    w.StartObject();
    w.Key("table");
    w.String(h.spec.table);
    w.Key("url");
    w.String(h.spec.url);
    w.Key("status");
    w.String(h.status);
    w.Key("position");
    w.String(FormatSequenceNumber(h.position));
    w.Key("lag");
    w.Int64(lag);
    w.Key("delivered");
    w.Int64(h.delivered);
    w.Key("attempts");
    w.Int(h.attempts);
    w.Key("last_error");
    w.String(h.last_error);
    w.Key("last_delivery");
    w.Double(h.last_delivery);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

bool HookDispatcher::RunPass() {
  std::unique_lock lock(mu_);
  return Pass(lock, schedule_()).first;
}

std::pair<bool, double> HookDispatcher::Pass(std::unique_lock<std::mutex>& lock, double now) {
  bool progress = false;
  double wake = now + 1.0;
  for (size_t i = 0; i < hooks_.size(); ++i) {
    Hook& h = hooks_[i];
    if (h.next_attempt > now) {
      wake = std::min(wake, h.next_attempt);
      continue;
    }
    Hook copy = h;
    lock.unlock();  // deliver without holding the lock: Add/Remove/StateJson stay responsive
    bool did = DeliverOne(copy, now);
    lock.lock();
    if (i < hooks_.size() && hooks_[i].spec.table == copy.spec.table && hooks_[i].spec.url == copy.spec.url) {
      hooks_[i] = copy;
      if (copy.next_attempt > now) wake = std::min(wake, copy.next_attempt);
    }
    progress |= did;
  }
  return {progress, wake};
}

void HookDispatcher::Run() {
  // Delivery trails the writes it reports; under saturation requests come first and hooks catch
  // up as soon as there is CPU to spare (write-to-hook latency is unaffected when not saturated).
  LowerThisThreadPriority();
  double last_trim = 0;
  std::unique_lock lock(mu_);
  while (!stop_) {
    const double now = schedule_();
    const auto [progress, wake] = Pass(lock, now);
    if (now - last_trim > kTrimEverySeconds) {
      last_trim = now;
      const double cutoff = ctx_.now() - options_.retention_hours * 3600;
      ctx_.db.Submit([cutoff](storage::WriteTxn& txn) { txn.TrimStreams(cutoff); }, [](std::exception_ptr) {});
    }
    if (progress) continue;                                  // more may be waiting
    for (Hook& h : hooks_) SavePosition(h, /*force=*/true);  // caught up: persist what was held back
    std::erase_if(clients_, [&](const auto& c) {             // connections of removed hooks
      return std::none_of(hooks_.begin(), hooks_.end(),
                          [&](const Hook& h) { return h.spec.table == c.first.first && h.spec.url == c.first.second; });
    });
    if (!notified_) {
      auto delay = std::chrono::duration<double>(std::max(0.0, wake - schedule_()));
      cv_.wait_for(lock, delay, [&] { return stop_ || notified_; });
    }
    notified_ = false;
  }
  for (Hook& h : hooks_) SavePosition(h, /*force=*/true);
}

bool HookDispatcher::DeliverOne(Hook& h, double now) {
  api::TableSchemaPtr t = ctx_.catalog.Find(h.spec.table);
  if (!t) {
    h.status = "waiting: table " + h.spec.table + " does not exist";
    return false;
  }
  if (t->stream.space == 0) {
    h.status = "waiting: table " + h.spec.table + " has no stream enabled";
    return false;
  }
  std::vector<std::pair<int64_t, std::string>> batch;
  double oldest = 0;
  ctx_.db.reader().ReadStream(t->stream.space, h.position, [&](int64_t seq, double created, std::string_view record) {
    if (batch.empty()) oldest = created;
    batch.emplace_back(seq, std::string(record));
    return static_cast<int>(batch.size()) < options_.batch_size;
  });
  if (batch.empty()) {
    h.status = t->stream.enabled ? "idle" : "idle: stream disabled";
    return false;
  }
  // A record's age is measured on the server's clock, which wrote its creation time.
  const double age = ctx_.now() - oldest;
  if (options_.batch_window_ms > 0 && static_cast<int>(batch.size()) < options_.batch_size &&
      age * 1000 < options_.batch_window_ms) {
    h.next_attempt = now + options_.batch_window_ms / 1000.0 - age;
    h.status = "batching";
    return false;
  }
  if (options_.max_record_age_s > 0 && age > options_.max_record_age_s) {
    Log(LogLevel::kWarn, "stream hook " + h.spec.table + " -> " + h.spec.url + ": skipping " +
                             std::to_string(batch.size()) + " records older than " +
                             std::to_string(options_.max_record_age_s) + " s");
    h.position = batch.back().first;
    h.attempts = 0;
    SavePosition(h);
    return true;
  }

  const std::string arn = api::StreamArn(ctx_.settings, *t);
  std::string body = "{\"Records\":[";
  for (size_t i = 0; i < batch.size(); ++i) {
    if (i) body += ',';
    body += WithEventSourceArn(batch[i].second, arn);
  }
  body += "]}";

  HttpResult r = transport_(h.spec, body, options_.timeout_ms, &aborting_);
  if (aborting_) return false;  // shutting down: the batch stays undelivered, to be sent after a restart
  bool malformed = false;
  std::optional<int64_t> failed;
  if (r.status >= 200 && r.status < 300) failed = FirstFailure(r.body, batch, &malformed);

  if (r.status >= 200 && r.status < 300 && !failed) {
    h.position = batch.back().first;
    h.attempts = 0;
    h.delivered += static_cast<int64_t>(batch.size());
    h.last_delivery = ctx_.now();
    h.last_error.clear();
    h.status = "delivering";
    SavePosition(h);
    return true;
  }

  // Failure: keep order by holding everything from the first failed record back.
  if (failed) {
    int64_t before = *failed - 1;
    if (before > h.position) {
      h.delivered += std::count_if(batch.begin(), batch.end(), [&](const auto& b) { return b.first <= before; });
      h.position = before;
      SavePosition(h);
    }
    h.last_error = malformed ? "batchItemFailures malformed or naming a record not in the batch: the whole batch failed"
                             : "partial batch failure from " + FormatSequenceNumber(*failed);
  } else {
    h.last_error = r.status ? "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 200) : r.error;
  }
  ++h.attempts;
  if (options_.max_attempts > 0 && h.attempts >= options_.max_attempts) {
    Log(LogLevel::kWarn, "stream hook " + h.spec.table + " -> " + h.spec.url + ": giving up on a batch after " +
                             std::to_string(h.attempts) + " attempts (" + h.last_error + ")");
    h.position = batch.back().first;
    h.attempts = 0;
    SavePosition(h);
    return true;
  }
  const double backoff = std::min(kMaxBackoffSeconds, 0.1 * std::pow(2.0, h.attempts - 1));
  h.next_attempt = schedule_() + backoff;
  h.status = "retrying";
  return false;
}

}  // namespace localddb::streams
