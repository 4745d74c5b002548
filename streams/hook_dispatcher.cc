#include "streams/hook_dispatcher.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <future>

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
constexpr double kLogEverySeconds = 5;
// Records a batch read may pass over (filtered out) before it stops: bounds one pass's work.
constexpr int64_t kMaxScanned = 10000;
constexpr size_t kResponseExcerpt = 1024;
constexpr int kFailingAfter = 3;  // consecutive failed attempts before the state reads "failing"

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

// Whether a 2xx answer of Lambda's Invoke API reports a function error in its payload (a runtime
// interface emulator may leave out X-Amz-Function-Error).
bool IsFunctionErrorPayload(const std::string& body) {
  json::Document d;
  return json::Parse(d, body) == json::ParseStatus::kOk && d.IsObject() && d.HasMember("errorMessage") &&
         (d.HasMember("errorType") || d.HasMember("stackTrace"));
}

std::string Range(int64_t first, int64_t last, size_t count) {
  return "records " + FormatSequenceNumber(first) + ".." + FormatSequenceNumber(last) + " (" + std::to_string(count) +
         ")";
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

}  // namespace

HookDispatcher::HookDispatcher(api::Context& ctx, HookOptions options, HookTransport transport, api::Clock schedule)
    : ctx_(ctx), options_(std::move(options)), transport_(std::move(transport)), schedule_(std::move(schedule)) {
  if (!transport_)
    transport_ = [this](const HookSpec& hook, const std::string& body, int timeout_ms, const std::atomic<bool>* abort) {
      return ClientFor(hook).Post(body, timeout_ms, abort);
    };
}

HookDispatcher::~HookDispatcher() { Stop(); }

void HookDispatcher::Start(const std::vector<HookSpec>& configured) {
  Load(configured);
  {
    // Say now what would otherwise only show as a hook that never delivers.
    std::lock_guard lock(mu_);
    for (const auto& h : hooks_) {
      api::TableSchemaPtr t = ctx_.catalog.Find(h->spec.table);
      if (!t)
        Log(LogLevel::kWarn, "stream hook " + h->id + ": table " + h->spec.table +
                                 " does not exist (yet); delivery to " + h->spec.url +
                                 " starts once it exists with a stream enabled");
      else if (t->stream.space == 0)
        Log(LogLevel::kWarn, "stream hook " + h->id + ": table " + h->spec.table +
                                 " has no stream enabled, so nothing will be delivered to " + h->spec.url +
                                 " until one is (UpdateTable StreamSpecification)");
    }
  }
  thread_ = std::thread([this] { Run(); });
}

HookDispatcher::HookPtr HookDispatcher::MakeHook(HookSpec spec) {
  auto h = std::make_shared<Hook>();
  h->id = spec.Id();
  h->paused = !spec.settings.enabled;
  h->spec = std::move(spec);
  h->deliveries.set_keep(static_cast<size_t>(std::max(1, options_.history)));
  h->failures.set_keep(static_cast<size_t>(std::max(1000, options_.history)));
  return h;
}

void HookDispatcher::Load(const std::vector<HookSpec>& configured) {
  std::vector<storage::HookLogRow> log = ctx_.db.reader().LoadHookLog();
  {
    std::lock_guard lock(mu_);
    for (auto& row : ctx_.db.reader().LoadHooks()) {
      if (row.from_flag) {
        dormant_[{row.table, row.url}] = row;
        continue;
      }
      HookSpec spec;
      spec.table = row.table;
      spec.url = row.url;
      spec.settings = options_.defaults;
      json::Document d;
      if (json::Parse(d, row.settings) == json::ParseStatus::kOk && d.IsObject()) {
        if (auto f = d.FindMember("FunctionName"); f != d.MemberEnd() && f->value.IsString()) {
          spec.function = json::View(f->value);
          d.RemoveMember("FunctionName");
        }
        try {
          spec.settings = ParseHookSettings(d, options_.defaults);
        } catch (const std::exception& e) {
          Log(LogLevel::kWarn,
              "stream hook " + spec.Id() + ": stored settings not understood (" + e.what() + "); using the defaults");
        }
      }
      HookPtr h = MakeHook(std::move(spec));
      h->position = h->saved_position = row.position;
      h->paused = row.paused;
      h->config_dirty = false;
      hooks_.push_back(std::move(h));
    }
    for (const auto& row : log) next_log_id_ = std::max(next_log_id_, row.id + 1);
  }
  for (auto spec : configured) {
    spec.from_flag = true;
    Add(std::move(spec));
  }
  std::lock_guard lock(mu_);
  for (auto& row : log) {
    HookPtr h = Find(row.hook);
    if (!h) continue;
    if (row.kind == "failure") {
      if (auto f = Failure::FromJson(row.id, row.entry)) h->failed[row.id] = *f;
      h->failures.Put(row.id, std::move(row.entry));
    } else {
      h->deliveries.Put(row.id, std::move(row.entry));
    }
  }
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
  // Persist what was held back, and wait until it is written (the database closes next). The
  // lock is let go first: the writer's commit listener takes it (Notify).
  {
    std::lock_guard lock(mu_);
    for (const HookPtr& h : hooks_) Persist(*h, /*force=*/true);
  }
  auto written = std::make_shared<std::promise<void>>();
  std::future<void> done = written->get_future();
  ctx_.db.Submit([](storage::WriteTxn&) {}, [written](std::exception_ptr) { written->set_value(); });
  done.wait_for(std::chrono::seconds(5));
}

void HookDispatcher::Notify() {
  {
    std::lock_guard lock(mu_);
    notified_ = true;
  }
  cv_.notify_one();
}

HookDispatcher::HookPtr HookDispatcher::Find(std::string_view id) {
  for (const auto& h : hooks_)
    if (h->id == id) return h;
  return nullptr;
}

HttpClient& HookDispatcher::ClientFor(const HookSpec& spec) {
  auto& client = clients_[{spec.table, spec.url}];
  if (!client) client = std::make_unique<HttpClient>(spec.url);
  return *client;
}

void HookDispatcher::Persist(Hook& h, bool force) {
  if (!h.config_dirty && h.position == h.saved_position && h.unsaved.empty()) return;
  const double now = schedule_();
  if (!force && now - h.saved_at < kSaveEverySeconds) return;
  storage::StoredHook row;
  row.table = h.spec.table;
  row.url = h.spec.url;
  row.position = h.position;
  row.paused = h.paused;
  row.from_flag = h.spec.from_flag;
  {
    std::string settings = HookSettingsJson(h.spec.settings);
    if (!h.spec.function.empty()) {
      json::Document d;
      json::Parse(d, settings);
      d.AddMember("FunctionName", json::Value(h.spec.function, d.GetAllocator()), d.GetAllocator());
      settings = json::Dump(d);
    }
    row.settings = std::move(settings);
  }
  h.saved_position = h.position;
  h.saved_at = now;
  h.config_dirty = false;
  std::vector<storage::HookLogRow> rows;
  rows.swap(h.unsaved);
  const int64_t keep_deliveries = std::max(1, options_.history);
  const int64_t keep_failures = std::max(1000, options_.history);
  // Asynchronous: a crash before it lands only means redelivery (at least once, never skipped).
  ctx_.db.Submit(
      [row = std::move(row), rows = std::move(rows), keep_deliveries, keep_failures](storage::WriteTxn& txn) {
        txn.PutHook(row);
        for (const auto& r : rows) txn.PutHookLog(r, r.kind == "failure" ? keep_failures : keep_deliveries);
      },
      [](std::exception_ptr) {});
}

void HookDispatcher::Touch(Hook& h, Delivery& d) {
  std::string json = d.ToJson();
  h.deliveries.Put(d.id, json);
  for (auto& row : h.unsaved)
    if (row.id == d.id) {
      row.entry = std::move(json);
      return;
    }
  h.unsaved.push_back({d.id, h.id, "delivery", std::move(json)});
}

void HookDispatcher::LogFailure(Hook& h, const std::string& message, bool force) {
  const double now = schedule_();
  if (!force && now - h.last_log < kLogEverySeconds) {
    ++h.suppressed_logs;
    return;
  }
  std::string line = "stream hook " + h.id + " (" + h.spec.table + " -> " + h.spec.url + "): " + message;
  if (h.suppressed_logs > 0)
    line += " [" + std::to_string(h.suppressed_logs) + " more failure(s) since the last report]";
  Log(LogLevel::kWarn, line);
  h.last_log = now;
  h.suppressed_logs = 0;
}

bool HookDispatcher::RunPass() {
  std::unique_lock lock(mu_);
  return Pass(lock, schedule_()).first;
}

std::pair<bool, double> HookDispatcher::Pass(std::unique_lock<std::mutex>& lock, double now) {
  bool progress = false;
  double wake = now + 1.0;
  const std::vector<HookPtr> hooks = hooks_;  // Add/Remove may change the list while delivering
  for (const HookPtr& h : hooks) {
    if (h->removed || h->paused) continue;
    if (h->next_attempt > now) {
      wake = std::min(wake, h->next_attempt);
      continue;
    }
    progress |= DeliverOne(h, now, lock);
    if (h->next_attempt > now) wake = std::min(wake, h->next_attempt);
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
    if (progress) continue;                                       // more may be waiting
    for (const HookPtr& h : hooks_) Persist(*h, /*force=*/true);  // caught up: persist what was held back
    std::erase_if(clients_, [&](const auto& c) {                  // connections of removed hooks
      return std::none_of(hooks_.begin(), hooks_.end(), [&](const HookPtr& h) {
        return h->spec.table == c.first.first && h->spec.url == c.first.second;
      });
    });
    if (!notified_) {
      auto delay = std::chrono::duration<double>(std::max(0.0, wake - schedule_()));
      cv_.wait_for(lock, delay, [&] { return stop_ || notified_; });
    }
    notified_ = false;
  }
}

HookDispatcher::Batch HookDispatcher::ReadBatch(const api::TableSchema& t, const Lane& lane, int limit,
                                                const EventFilter& filter) {
  Batch b;
  b.scanned_to = lane.after;
  int64_t scanned = 0;
  ctx_.db.reader().ReadStream(t.stream.space, lane.after, [&](int64_t seq, double created, std::string_view record) {
    if (seq > lane.upto) return false;
    b.scanned_to = seq;
    ++scanned;
    bool keep = true;
    if (!filter.empty()) {
      json::Document d;
      keep = json::Parse(d, record) == json::ParseStatus::kOk && filter.Matches(d);
    }
    if (keep) {
      b.records.emplace_back(seq, std::string(record));
      b.created.push_back(created);
    } else {
      ++b.filtered;
    }
    return static_cast<int>(b.records.size()) < limit && scanned < kMaxScanned;
  });
  return b;
}

void HookDispatcher::Advance(Hook& h, const Lane& lane, int64_t to) {
  if (lane.failure == 0) {
    h.position = std::max(h.position, to);
  } else if (!h.replays.empty() && h.replays.front().failure == lane.failure) {
    h.replays.front().after = std::max(h.replays.front().after, to);
    if (h.replays.front().after >= h.replays.front().upto) h.replays.pop_front();
  }
  while (!h.split_ends.empty() && to >= h.split_ends.back()) h.split_ends.pop_back();  // that half is done
}

void HookDispatcher::GiveUp(Hook& h, const Lane& lane, const Batch& b, size_t first, size_t last,
                            const std::string& condition, int status) {
  api::TableSchemaPtr t = ctx_.catalog.Find(h.spec.table);
  Failure f;
  f.id = next_log_id_++;
  f.condition = condition;
  f.invoke_count = h.current ? h.current->attempt_count : 0;
  f.status = status;
  f.error = h.last_error;
  f.time = ctx_.now();
  f.first = b.records[first].first;
  f.last = b.records[last].first;
  f.records = static_cast<int>(last - first + 1);
  f.first_arrival = b.created[first];
  f.last_arrival = b.created[last];
  f.request_id = RandomUuid();
  f.function_arn = "arn:aws:lambda:" + ctx_.settings.region + ":" + ctx_.settings.account_id +
                   ":function:" + (h.spec.function.empty() ? "localddb-hook-" + h.id : h.spec.function);
  if (t) {
    f.shard_id = api::ShardId(*t);
    f.stream_arn = api::StreamArn(ctx_.settings, *t);
  }
  f.destination = h.spec.settings.on_failure_destination;
  std::string json = f.ToJson();
  h.failures.Put(f.id, json);
  h.unsaved.push_back({f.id, h.id, "failure", std::move(json)});
  h.failed[f.id] = f;
  while (h.failed.size() > static_cast<size_t>(std::max(1000, options_.history))) h.failed.erase(h.failed.begin());
  h.counters.records_given_up += f.records;
  ++h.counters.failed_batches;
  LogFailure(h,
             "gave up on " + Range(f.first, f.last, f.records) + " (" + condition +
                 "); listed at /_localddb/stream-hooks/" + h.id + "/failures as failedBatch " + std::to_string(f.id),
             /*force=*/true);
  h.attempts = 0;
  Advance(h, lane, f.last);
}

bool HookDispatcher::DeliverOne(const HookPtr& hp, double now, std::unique_lock<std::mutex>& lock) {
  Hook& h = *hp;
  const uint64_t generation = h.generation;
  const HookSettings& settings = h.spec.settings;  // never changes after the hook is made
  Lane lane = h.replays.empty() ? Lane{h.position, INT64_MAX, 0} : h.replays.front();
  // A retry sends the same batch (records written since wait for the next one).
  if (h.current && h.current->outcome == "retrying" && h.current->replay == (lane.failure != 0))
    lane.upto = std::min(lane.upto, h.current->last);
  if (!h.split_ends.empty()) lane.upto = std::min(lane.upto, h.split_ends.back());
  const int limit = settings.batch_size;

  api::TableSchemaPtr t = ctx_.catalog.Find(h.spec.table);
  std::string waiting;
  if (!t)
    waiting = "waiting: table " + h.spec.table + " does not exist";
  else if (t->stream.space == 0)
    waiting = "waiting: table " + h.spec.table + " has no stream enabled";
  if (!waiting.empty()) {
    if (h.warned != waiting) Log(LogLevel::kInfo, "stream hook " + h.id + ": " + waiting);
    h.warned = h.status = waiting;
    return false;
  }
  h.warned.clear();

  lock.unlock();  // read without the lock: administration stays responsive
  Batch b = ReadBatch(*t, lane, limit, settings.filter);
  lock.lock();
  if (h.removed || h.generation != generation) return true;  // moved meanwhile: start over

  h.counters.records_filtered += b.filtered;
  if (b.records.empty()) {
    if (b.scanned_to > lane.after) {  // only filtered records: processed
      Advance(h, lane, b.scanned_to);
      Persist(h);
      return true;
    }
    if (lane.failure != 0) {  // the replayed batch's records are gone (trimmed): done
      Advance(h, lane, lane.upto);
      return true;
    }
    h.status = t->stream.enabled ? "idle" : "idle: stream disabled";
    return false;
  }

  // A record's age is measured on the server's clock, which wrote its creation time.
  const double age = ctx_.now() - b.created.front();
  if (settings.batching_window_s > 0 && lane.failure == 0 && h.split_ends.empty() &&
      static_cast<int>(b.records.size()) < limit && age < settings.batching_window_s) {
    h.next_attempt = now + settings.batching_window_s - age;
    h.status = "batching";
    return false;
  }
  if (settings.max_record_age_s > 0 && age > settings.max_record_age_s) {
    // The records too old to send go to the failed batches, as Lambda's on-failure destination.
    size_t expired = 0;
    while (expired < b.records.size() && ctx_.now() - b.created[expired] > settings.max_record_age_s) ++expired;
    h.last_error = "older than MaximumRecordAgeInSeconds (" + std::to_string(settings.max_record_age_s) + " s)";
    if (h.current && h.current->first == b.records.front().first) {
      h.current->outcome = "givenUp";
      Touch(h, *h.current);
    }
    GiveUp(h, lane, b, 0, expired - 1, "RecordAgeExceeded", 0);
    h.current.reset();
    Persist(h);
    return true;
  }

  // The delivery the inspector shows: a new one, or the next attempt of the batch being retried.
  if (!h.current || h.current->outcome != "retrying" || h.current->first != b.records.front().first) {
    if (h.current && h.current->outcome == "retrying") {  // a replay went first: this batch starts over later
      h.current->outcome = "superseded";
      Touch(h, *h.current);
      h.attempts = 0;
    }
    h.current.emplace();
    h.current->id = next_log_id_++;
    h.current->replay = lane.failure != 0;
  }
  Delivery& d = *h.current;
  d.first = b.records.front().first;
  d.last = b.records.back().first;
  d.records = static_cast<int>(b.records.size());
  d.outcome = "inFlight";
  Touch(h, d);
  h.status = "delivering";

  const std::string arn = api::StreamArn(ctx_.settings, *t);
  std::string body = "{\"Records\":[";
  for (size_t i = 0; i < b.records.size(); ++i) {
    if (i) body += ',';
    body += WithEventSourceArn(b.records[i].second, arn);
  }
  body += "]}";

  lock.unlock();
  const double started = schedule_();
  HttpResult r = transport_(h.spec, body, settings.timeout_ms, &aborting_);
  const double finished = schedule_();
  lock.lock();
  if (aborting_) return false;  // shutting down: the batch stays undelivered, to be sent after a restart
  if (h.removed || h.generation != generation) {
    if (h.current) {
      h.current->outcome = "superseded";
      Touch(h, *h.current);
      h.current.reset();
    }
    return true;
  }
  return Apply(h, lane, b, r, started, finished);
}

bool HookDispatcher::Apply(Hook& h, const Lane& lane, const Batch& b, const HttpResult& r, double started, double now) {
  const HookSettings& settings = h.spec.settings;
  Delivery& d = *h.current;
  Attempt a;
  a.time = ctx_.now();
  a.status = r.status;
  a.latency_ms = (now - started) * 1000;
  a.response = r.body.substr(0, kResponseExcerpt);
  a.error = r.error;

  // What failed: the whole batch, from one record on (a partial-batch response), or nothing.
  const bool answered = r.status >= 200 && r.status < 300;
  bool function_error = !r.function_error.empty();
  if (answered && !function_error && !h.spec.function.empty() && IsFunctionErrorPayload(r.body)) function_error = true;
  if (function_error) a.error = "function error" + (r.function_error.empty() ? "" : " (" + r.function_error + ")");
  bool malformed = false;
  std::optional<int64_t> failed;
  if (answered && !function_error && settings.report_item_failures)
    failed = FirstFailure(r.body, b.records, &malformed);
  if (malformed) a.error = "batchItemFailures malformed or naming a record not in the batch: the whole batch failed";
  d.Add(std::move(a));

  if (answered && !function_error && !failed) {
    if (h.consecutive_failures > 0)
      LogFailure(h, "delivered again after " + std::to_string(h.consecutive_failures) + " failed attempt(s)", true);
    d.outcome = "delivered";
    Touch(h, d);
    h.current.reset();
    // Filtered records read past the batch's last one are processed with it.
    Advance(h, lane, static_cast<int>(b.records.size()) < settings.batch_size ? b.scanned_to : b.records.back().first);
    h.attempts = 0;
    h.consecutive_failures = 0;
    h.counters.records_delivered += static_cast<int64_t>(b.records.size());
    ++h.counters.batches_delivered;
    h.last_delivery = ctx_.now();
    h.last_error.clear();
    h.status = "delivering";
    Persist(h);
    return true;
  }

  ++h.counters.failed_attempts;
  ++h.consecutive_failures;
  ++h.attempts;
  size_t first_failed = 0;  // index in the batch of the first record not delivered
  if (failed) {
    while (first_failed < b.records.size() && b.records[first_failed].first < *failed) ++first_failed;
    if (first_failed > 0) {
      h.counters.records_delivered += static_cast<int64_t>(first_failed);
      Advance(h, lane, b.records[first_failed - 1].first);
    }
    h.last_error = malformed ? "batchItemFailures malformed or naming a record not in the batch"
                             : "partial batch failure from " + FormatSequenceNumber(*failed);
  } else if (function_error) {
    h.last_error = "function error: " + r.body.substr(0, 200);
  } else {
    h.last_error = r.status ? "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 200) : r.error;
  }
  const std::string what =
      Range(b.records[first_failed].first, b.records.back().first, b.records.size() - first_failed);

  // Bisection: a function error (not a target that is down, not a partial response) splits the
  // batch in two and retries each half on its own; the split does not count as a retry.
  const bool function_failed = r.status != 0 || r.timed_out;
  if (settings.bisect_on_error && function_failed && !failed && b.records.size() > 1) {
    d.outcome = "bisected";
    Touch(h, d);
    h.current.reset();
    const size_t half = (b.records.size() + 1) / 2;
    if (h.split_ends.empty() || h.split_ends.back() != b.records.back().first)
      h.split_ends.push_back(b.records.back().first);
    h.split_ends.push_back(b.records[half - 1].first);
    h.attempts = 0;
    ++h.counters.bisections;
    h.next_attempt = 0;
    h.status = "retrying";
    LogFailure(h, what + ": " + h.last_error + "; bisecting: the first " + std::to_string(half) + " go on their own");
    Persist(h);
    return true;
  }

  const int max_retries = settings.max_retry_attempts;
  if (max_retries >= 0 && h.attempts > max_retries) {
    d.outcome = "givenUp";
    Touch(h, d);
    GiveUp(h, lane, b, first_failed, b.records.size() - 1, "RetryAttemptsExhausted", r.status);
    h.current.reset();
    Persist(h);
    return true;
  }
  if (failed) {
    // The rest is a new batch, retried from the first failed record.
    d.outcome = "partial";
    Touch(h, d);
    h.current.reset();
  } else {
    d.outcome = "retrying";
    Touch(h, d);
  }
  const double backoff = std::min(kMaxBackoffSeconds, 0.1 * std::pow(2.0, h.attempts - 1));
  h.next_attempt = now + backoff;
  h.status = "retrying";
  LogFailure(h,
             what + ": " + h.last_error + "; attempt " + std::to_string(h.attempts) + ", next in " + Seconds(backoff));
  Persist(h);
  return false;
}

}  // namespace localddb::streams
