// The last requests of the DynamoDB API (and DynamoDB Streams API), for GET /_localddb/requests
// and the console's requests page: when each arrived, its operation, table, status, latency, error
// type and consumed capacity, and its request and response bodies cut to kMaxBodyBytes. Requests
// to the admin API (/_localddb/) are never recorded.
//
// A fixed ring of slots (--request-log-size, default 500; 0 turns it off). A request takes the next
// slot when it is read (Open) and fills in its answer when it is answered (Close); both copy into
// the slot's strings with assign, so once every slot has held a request of a given size, recording
// allocates nothing. The mutex is held only while copying into (or out of) a slot: nothing is
// parsed or scanned under it. A slot taken over by a newer request before the older one is
// answered (more than size requests in flight) simply loses the older answer.
//
// Thread safety: every member may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json.h"

namespace localddb::server {

class RequestLog {
 public:
  static constexpr size_t kDefaultSize = 500;
  static constexpr size_t kMaxSize = 10000;           // at most 2 x 16 KiB each: 320 MiB
  static constexpr size_t kMaxBodyBytes = 16 * 1024;  // of each body, request and response

  explicit RequestLog(size_t size);

  bool enabled() const { return !slots_.empty(); }
  size_t size() const { return slots_.size(); }

  // A request as it arrives.
  struct Arrival {
    std::string_view request_id;
    std::string_view ns;         // the namespace it addresses
    std::string_view operation;  // the operation's name, or what X-Amz-Target said
    std::string_view body;
    const json::Value* request = nullptr;  // the parsed body, when it could be parsed
  };
  // What Close needs back: which slot, and whether the request asked for ConsumedCapacity.
  struct Ticket {
    uint64_t seq = 0;  // 0: not recorded
    bool capacity = false;
  };
  Ticket Open(const Arrival& arrival, double now);

  struct Answer {
    int status = 0;
    double latency_ms = 0;
    std::string_view error_type;  // the DynamoDB error name, empty on success
    std::string_view body;
  };
  void Close(const Ticket& ticket, const Answer& answer);

  // {"size": N, "requests": [...]}: newest first, at most limit, without bodies; ns empty: every
  // namespace.
  std::string ListJson(std::string_view ns, size_t limit) const;
  // One request with its bodies, by request id; nullopt when it is not (or no longer) in the ring.
  std::optional<std::string> EntryJson(std::string_view request_id) const;
  void Clear();

 private:
  // What the list shows of a request; a slot adds its bodies (copied out only for one entry).
  struct Summary {
    uint64_t seq = 0;  // 0: empty
    double time = 0;   // arrival, seconds since the epoch (real time)
    bool answered = false;
    int status = 0;
    double latency_ms = 0;
    size_t request_bytes = 0, response_bytes = 0;  // before truncation
    std::string request_id, ns, operation, table, error_type, capacity;
  };
  struct Slot : Summary {
    std::string request_body, response_body;
  };
  // bodies: the slot whose bodies to add, or null for the summary alone.
  static void Write(json::Writer& w, const Summary& s, const Slot* bodies);

  mutable std::mutex mu_;
  std::vector<Slot> slots_;
  uint64_t next_ = 1;
};

// The raw text of a top-level member's value of a JSON object (e.g. ConsumedCapacity in an
// answer), or empty; members nested deeper (an item attribute of that name) are not found.
std::string_view TopLevelMember(std::string_view json, std::string_view key);

}  // namespace localddb::server
