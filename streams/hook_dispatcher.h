// HookDispatcher: delivers each table's stream records, in order and at least once, as AWS Lambda
// DynamoDB events ({"Records": [...]}) POSTed to local URLs (a Lambda runtime interface emulator,
// `sam local`, or any HTTP handler).
//
// It runs on its own thread, off the request path: a slow or dead target never blocks DynamoDB
// requests. It wakes after every commit (Database's commit listener), reads from its own storage
// reader, and keeps each hook's position (the last delivered sequence number) durably in SQLite,
// so a restart resumes where delivery left off. A failed batch is retried with exponential backoff
// and the hook's later records wait behind it, as Lambda does; a partial-batch response
// ({"batchItemFailures":[{"itemIdentifier": "<SequenceNumber>"}]}) resumes from the first failure.
// It also trims records older than the retention period.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/context.h"
#include "streams/http_client.h"

namespace localddb::streams {

struct HookOptions {
  int batch_size = 100;         // records per POST (Lambda's default)
  int batch_window_ms = 0;      // wait up to this long to fill a batch
  int max_attempts = 0;         // per batch; 0: retry until the records expire
  int max_record_age_s = 0;     // skip records older than this; 0: no limit
  int timeout_ms = 10000;       // per POST
  double retention_hours = 24;  // stream records are trimmed after this
};

struct HookSpec {
  std::string table;
  std::string url;
};

// Sends one batch to a hook's target. The default keeps one kept-alive HttpClient per hook; tests
// give their own, so retry and ordering are tested without sockets or sleeping.
using HookTransport = std::function<HttpResult(const HookSpec& hook, const std::string& body, int timeout_ms,
                                               const std::atomic<bool>* abort)>;

class HookDispatcher {
 public:
  // Records carry the server's time (ctx.now); retries, batching windows and timeouts follow
  // `schedule` (the system clock; a test passes a manual one to control them without sleeping).
  HookDispatcher(api::Context& ctx, HookOptions options, HookTransport transport = {},
                 api::Clock schedule = api::SystemClock);
  ~HookDispatcher();

  // Registers the configured hooks (adding them to the persisted ones) and starts the thread.
  void Start(const std::vector<HookSpec>& configured);
  // Registers the hooks without starting the thread: the caller drives delivery with RunPass.
  void Load(const std::vector<HookSpec>& configured);
  void Stop();

  // One pass of delivery: one batch for every hook that is due at ctx.now(). Returns whether any
  // was delivered (or skipped); the thread runs passes until none is, then sleeps until a commit
  // or the next retry.
  bool RunPass();

  // Wakes the thread (called after every commit).
  void Notify();

  // Run-time administration (the /_localddb/stream-hooks API). Thread-safe.
  bool Add(const HookSpec& hook);     // false if it already exists
  bool Remove(const HookSpec& hook);  // false if it did not exist
  std::string StateJson();            // every hook's state, as JSON

 private:
  struct Hook {
    HookSpec spec;
    int64_t position = 0;  // last delivered sequence number
    int attempts = 0;      // failures of the current batch
    double next_attempt = 0;
    std::string status = "starting";
    std::string last_error;
    int64_t delivered = 0;
    double last_delivery = 0;
    int64_t saved_position = -1;  // the position last written to SQLite
    double saved_at = 0;
  };

  void Run();
  // REQUIRES: lock holds mu_. Returns (progress, when the next hook is due).
  std::pair<bool, double> Pass(std::unique_lock<std::mutex>& lock, double now);
  // Delivers at most one batch; returns whether anything was delivered or skipped.
  bool DeliverOne(Hook& hook, double now);
  // Persists the position, at most every kSaveEverySeconds unless forced (a crash in between
  // means redelivery of at most that much, never a skipped record).
  void SavePosition(Hook& hook, bool force = false);
  // The kept-alive connection to a hook's URL; used only on the delivery thread.
  class HttpClient& ClientFor(const HookSpec& spec);

  api::Context& ctx_;
  HookOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<bool> aborting_{false};  // set by Stop: cuts a delivery in progress short
  bool notified_ = false;
  std::vector<Hook> hooks_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<class HttpClient>> clients_;
  HookTransport transport_;
  api::Clock schedule_;
  std::thread thread_;
};

}  // namespace localddb::streams
