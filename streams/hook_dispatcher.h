// HookDispatcher: delivers each table's stream records, in order and at least once, as AWS Lambda
// DynamoDB events ({"Records": [...]}) POSTed to local URLs (a Lambda runtime interface emulator,
// `sam local`, or any HTTP handler), the way Lambda's event source mapping (ESM) does: batches of
// BatchSize records, a batching window, a filter, retries with backoff while later records wait,
// partial-batch responses, bisection of a failing batch, a retry limit and a record age after
// which a batch is given up and kept as a failed batch (Lambda's on-failure record), to replay.
//
// It runs on its own thread, off the request path: a slow or dead target never blocks DynamoDB
// requests. It wakes after every commit (Database's commit listener), reads from its own storage
// reader, and keeps each hook's position, settings and recent history durably in SQLite, so a
// restart resumes where delivery left off. The admin API (pause, resume, replay, the delivery
// inspector) is in hook_inspector.cc.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/context.h"
#include "streams/hook_history.h"
#include "streams/hook_settings.h"
#include "streams/http_client.h"

namespace localddb::streams {

struct HookOptions {
  HookSettings defaults;        // for hooks that do not say (the --stream-* flags)
  double retention_hours = 24;  // stream records are trimmed after this
  int history = 100;            // deliveries kept per hook (given-up batches: at least 1000)
  std::string lambda_endpoint;  // --lambda-endpoint: where hooks declared by function name invoke
};

// Sends one batch to a hook's target. The default keeps one kept-alive HttpClient per hook; tests
// give their own, so retry and ordering are tested without sockets or sleeping.
using HookTransport = std::function<HttpResult(const HookSpec& hook, const std::string& body, int timeout_ms,
                                               const std::atomic<bool>* abort)>;

// The answer of an administrative call: ok, no such hook, or a request that cannot be done.
struct HookControl {
  enum Code { kOk, kNotFound, kInvalid } code = kOk;
  std::string message;  // what is wrong (kInvalid)
  std::string json;     // the answer (kOk)
};

class HookDispatcher {
 public:
  // Records carry the server's time (ctx.now); retries, batching windows and timeouts follow
  // `schedule` (the system clock; a test passes a manual one to control them without sleeping).
  HookDispatcher(api::Context& ctx, HookOptions options, HookTransport transport = {},
                 api::Clock schedule = api::SystemClock);
  ~HookDispatcher();

  // Loads the stored hooks, adds the configured (flag-declared) ones and starts the thread.
  void Start(const std::vector<HookSpec>& configured);
  // The same without starting the thread: the caller drives delivery with RunPass.
  void Load(const std::vector<HookSpec>& configured);
  void Stop();

  // One pass of delivery: one batch for every hook that is due at ctx.now(). Returns whether any
  // was delivered (or skipped); the thread runs passes until none is, then sleeps until a commit
  // or the next retry.
  bool RunPass();

  // Wakes the thread (called after every commit).
  void Notify();

  const HookOptions& options() const { return options_; }

  // Run-time administration (the /_localddb/stream-hooks API). Thread-safe.
  // Adds a hook; false (and the existing hook's id) if one with the same table and target exists.
  std::pair<bool, std::string> Add(HookSpec spec);
  bool Remove(std::string_view id);
  // The id of the hook of (table, url), if any.
  std::optional<std::string> FindId(std::string_view table, std::string_view url);
  std::string StateJson();  // {"hooks": [every hook's state]}
  HookControl HookJson(std::string_view id);
  HookControl DeliveriesJson(std::string_view id, size_t limit);
  HookControl FailuresJson(std::string_view id);
  HookControl Pause(std::string_view id, bool paused);
  // Delivers again from a sequence number (everything after it, in order, before going on), or
  // the records of a given-up batch.
  HookControl ReplayFrom(std::string_view id, std::string_view sequence_number);
  HookControl ReplayFailure(std::string_view id, std::string_view failed_batch);

 private:
  // Where a hook reads: the main lane (after its position, without end), or a replay of a
  // given-up batch (after `after`, up to `upto`), which goes first.
  struct Lane {
    int64_t after = 0;
    int64_t upto = INT64_MAX;
    int64_t failure = 0;  // the replayed failed batch's id; 0 for the main lane
  };
  struct Counters {
    int64_t records_delivered = 0, batches_delivered = 0, failed_attempts = 0, records_filtered = 0,
            records_given_up = 0, failed_batches = 0, bisections = 0, replays = 0;
  };
  struct Hook {
    HookSpec spec;
    std::string id;
    int64_t position = 0;  // main lane: the last sequence number delivered (or skipped)
    std::deque<Lane> replays;
    bool paused = false;
    bool removed = false;
    uint64_t generation = 0;  // bumped when administration moves the hook: a delivery begun before is void

    // The batch being delivered or retried.
    std::optional<Delivery> current;
    int attempts = 0;  // failed attempts of the current batch (bisection resets them, as Lambda)
    double next_attempt = 0;
    // Bisection: the last records of the halves still to deliver, innermost last; a batch reads no
    // further than the innermost (as Lambda, which delivers each half of a split batch on its own).
    std::vector<int64_t> split_ends;
    int consecutive_failures = 0;

    std::string status = "starting";
    std::string last_error;
    double last_delivery = 0;
    Counters counters;
    BoundedLog deliveries, failures;
    std::map<int64_t, Failure> failed;  // the given-up batches still listed (for replay)

    // Persistence (batched: at most every kSaveEverySeconds unless forced).
    bool config_dirty = true;
    int64_t saved_position = -1;
    double saved_at = 0;
    std::vector<storage::HookLogRow> unsaved;

    // Failure logging, rate-limited.
    double last_log = -1e18;
    int suppressed_logs = 0;
    std::string warned;  // the last "waiting" condition logged
  };
  using HookPtr = std::shared_ptr<Hook>;

  // A batch read from the stream: the records to send, how far reading went (records skipped by
  // the filter up to there count as processed), and how many were filtered out.
  struct Batch {
    std::vector<std::pair<int64_t, std::string>> records;
    std::vector<double> created;
    int64_t scanned_to = 0;
    int64_t filtered = 0;
  };

  void Run();
  // REQUIRES: lock holds mu_. Returns (progress, when the next hook is due).
  std::pair<bool, double> Pass(std::unique_lock<std::mutex>& lock, double now);
  // Delivers at most one batch of a hook; called and returns with the lock held (released while
  // reading and sending). Returns whether anything was delivered, skipped or given up.
  bool DeliverOne(const HookPtr& h, double now, std::unique_lock<std::mutex>& lock);
  Batch ReadBatch(const api::TableSchema& t, const Lane& lane, int limit, const EventFilter& filter);
  // Applies a POST's outcome. REQUIRES: mu_ held.
  bool Apply(Hook& h, const Lane& lane, const Batch& b, const HttpResult& r, double started, double now);
  // Moves the lane a batch came from past `to`. REQUIRES: mu_ held.
  void Advance(Hook& h, const Lane& lane, int64_t to);
  // Gives up on records [first, last] of a batch. REQUIRES: mu_ held.
  void GiveUp(Hook& h, const Lane& lane, const Batch& b, size_t first, size_t last, const std::string& condition,
              int status);
  // Records the current delivery's new state for the inspector and the database.
  void Touch(Hook& h, Delivery& d);
  void LogFailure(Hook& h, const std::string& message, bool force = false);
  // Persists the hook (position, settings, new history) at most every kSaveEverySeconds unless
  // forced (a crash in between means redelivery of at most that much, never a skipped record).
  void Persist(Hook& h, bool force = false);
  HookPtr Find(std::string_view id);  // REQUIRES: mu_ held
  void WriteHook(json::Writer& w, const Hook& h);
  // The kept-alive connection to a hook's URL; used only on the delivery thread.
  class HttpClient& ClientFor(const HookSpec& spec);
  HookPtr MakeHook(HookSpec spec);

  api::Context& ctx_;
  HookOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<bool> aborting_{false};  // set by Stop: cuts a delivery in progress short
  bool notified_ = false;
  std::vector<HookPtr> hooks_;
  // Flag-declared hooks of earlier runs: not delivered unless a flag declares them again, which
  // then resumes from their position.
  std::map<std::pair<std::string, std::string>, storage::StoredHook> dormant_;
  int64_t next_log_id_ = 1;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<class HttpClient>> clients_;
  HookTransport transport_;
  api::Clock schedule_;
  std::thread thread_;
};

}  // namespace localddb::streams
