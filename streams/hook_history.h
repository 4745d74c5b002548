// What the delivery inspector shows of a stream hook: its recent deliveries (one per batch, with
// every attempt) and the batches it gave up on, in the shape of Lambda's on-failure destination
// record. Entries are rendered to JSON once, when they change; the same JSON is what the
// inspector answers and what is kept in SQLite (hook_log), so history survives a restart.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace localddb::streams {

struct Attempt {
  double time = 0;  // server clock, seconds since the epoch
  int status = 0;   // HTTP status; 0 when no response arrived
  double latency_ms = 0;
  std::string response;  // the first 1 KB of the response
  std::string error;     // why no response arrived, or why a 2xx answer still failed the batch
};

struct Delivery {
  int64_t id = 0;
  int64_t first = 0, last = 0;  // sequence numbers
  int records = 0;
  bool replay = false;
  // inFlight, delivered, partial (batchItemFailures: the rest is retried as a new batch),
  // retrying, bisected (split in two, each half a new batch), givenUp, superseded (a replay or
  // a restart moved the hook before this batch finished).
  std::string outcome = "inFlight";
  std::vector<Attempt> attempts;  // the last kKeptAttempts
  int attempt_count = 0;

  static constexpr size_t kKeptAttempts = 10;
  void Add(Attempt a);
  std::string ToJson() const;
};

// A batch the hook gave up on (Lambda's "condition": RetryAttemptsExhausted or RecordAgeExceeded).
struct Failure {
  int64_t id = 0;
  std::string condition;
  int invoke_count = 0;
  int status = 0;
  std::string error;
  double time = 0;
  int64_t first = 0, last = 0;
  int records = 0;
  double first_arrival = 0, last_arrival = 0;
  std::string request_id, function_arn, shard_id, stream_arn, destination;
  int replays = 0;

  std::string ToJson() const;
  // Reads back what ToJson wrote (a restart); nullopt if the text is not such an entry.
  static std::optional<Failure> FromJson(int64_t id, std::string_view text);
};

// A rendered entry, newest last.
struct LogEntry {
  int64_t id = 0;
  std::string json;
};

// The newest `keep` entries; Put replaces an entry of the same id (a delivery's next attempt).
class BoundedLog {
 public:
  explicit BoundedLog(size_t keep = 100) : keep_(keep) {}
  void set_keep(size_t keep) { keep_ = keep; }
  void Put(int64_t id, std::string json);
  // Newest first, at most limit.
  std::vector<const LogEntry*> Newest(size_t limit) const;
  size_t size() const { return entries_.size(); }

 private:
  size_t keep_;
  std::deque<LogEntry> entries_;
};

// A random version-4 UUID (Lambda's request ids).
std::string RandomUuid();

}  // namespace localddb::streams
