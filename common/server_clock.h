// The server's clock. Every timestamp localddb produces reads it: CreationDateTime, stream records'
// ApproximateCreationDateTime and sequence-number time, shard iterator expiry, TTL expiry, snapshot
// times. Real (the system clock, optionally shifted) by default; manual for deterministic tests,
// when it stands still except when set or advanced (--clock manual, or POST /_localddb/clock).
// What must follow real time (request signatures, retry schedules, timeouts) does not read it.
//
// Thread-safe; Now() is lock-free (it is read on every write).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace localddb {

class ServerClock {
 public:
  // Seconds since the epoch.
  double Now() const;
  bool manual() const { return manual_.load(); }

  // Manual mode, standing at `at`.
  void Set(double at);
  // Moves the clock: a manual clock to a later (or earlier) time, a real one by an offset.
  void Advance(double seconds);
  // Back to the system clock, with no offset.
  void SetReal();

 private:
  std::atomic<bool> manual_{false};
  std::atomic<int64_t> manual_us_{0};  // manual: the time
  std::atomic<int64_t> offset_us_{0};  // real: added to the system clock
};

// "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.250+02:00", "2026-01-01" -> seconds since the epoch.
std::optional<double> ParseIso8601(std::string_view text);
// Seconds since the epoch -> "2026-01-01T00:00:00.000Z".
std::string FormatIso8601(double seconds);

}  // namespace localddb
