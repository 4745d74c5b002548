// Fault injection: rules that make chosen requests fail, slow down, lose their answer or come back
// partly processed, the same way on every run (POST /_localddb/faults, --faults FILE).
//
// A rule matches requests by operation, table, index and the key of an item they touch (inside
// batches and transactions too), fires on some of them (the nth, every kth, with a seeded
// probability, at most `times`, between `after` and `until` on the server clock) and then acts:
// an error exactly as DynamoDB sends it, a transaction conflict, unprocessed batch items, added
// latency, a dropped connection, or a corrupted checksum. A request stopped by an error changes
// nothing. Rules belong to a namespace; with none set, a request pays one atomic load.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "api/error.h"
#include "api/json.h"
#include "api/value/attribute_value.h"

namespace localddb::server {

// A rule that cannot be added; the message says which and why.
struct FaultError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// What a request touches, as rules match it: its operation, its tables and index, and for each
// item it names (a Key, or an Item for puts) the table and its position in the request.
struct RequestFacts {
  std::string_view operation;
  std::vector<std::string> tables;
  std::string index;
  struct ItemRef {
    std::string table;
    const json::Value* item = nullptr;  // the Key or Item map in the request
    size_t position = 0;                // in TransactItems, or in the table's batch list
  };
  std::vector<ItemRef> items;
};
RequestFacts FactsOf(std::string_view operation, const json::Value& request);

struct FaultAction {
  std::optional<api::ErrorKind> error;
  std::string message;  // empty: DynamoDB's usual message for the error
  bool transaction_conflict = false;
  bool unprocessed = false;
  int latency_ms = 0;
  bool drop_connection = false;
  bool bad_crc = false;
};

// What the rules decided for one request.
struct FaultDecision {
  std::optional<api::ApiError> error;  // answer this, changing nothing
  bool transaction_conflict = false;
  std::vector<size_t> conflicted;  // positions (TransactItems) of the items in conflict
  bool unprocessed = false;
  std::vector<std::pair<std::string, size_t>> unprocessed_items;  // (table, position in its list)
  int latency_ms = 0;
  bool drop_connection = false;
  bool bad_crc = false;
  bool any() const { return error || transaction_conflict || unprocessed || latency_ms || drop_connection || bad_crc; }
};

class FaultRules {
 public:
  FaultRules();
  ~FaultRules();

  // Adds the rules of {"rules": [...]} (all or none); returns their ids.
  std::vector<int64_t> Add(const json::Value& body);
  bool Remove(int64_t id);
  void Clear();
  // {"rules": [{"id", <the rule as given>..., "matched", "hits", "remaining"}]}
  std::string ListJson();
  bool empty() const { return count_.load(std::memory_order_relaxed) == 0; }

  // Advances every matching rule's counters and returns what fires. now: the server clock.
  FaultDecision Evaluate(const RequestFacts& facts, double now);

 private:
  struct Rule;
  std::mutex mu_;
  std::vector<Rule> rules_;
  int64_t next_id_ = 1;
  std::atomic<size_t> count_{0};
};

// DynamoDB's message for an error a rule names without one.
std::string DefaultFaultMessage(api::ErrorKind kind);

}  // namespace localddb::server
