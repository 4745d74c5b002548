// The background TTL sweeper: every --ttl-sweep-interval seconds, deletes the expired items of
// every open namespace (api/admin/ttl_sweep.h), in batches, through each namespace's writer, and
// drops recovery history too old to restore to (api/admin/recovery_trim.h).
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "server/namespaces.h"

namespace localddb::server {

class TtlSweeper {
 public:
  // interval_seconds 0: no background sweeps (POST /_localddb/ttl/sweep still sweeps on demand).
  TtlSweeper(NamespaceRegistry& namespaces, double interval_seconds);
  ~TtlSweeper();
  void Stop();

  // Sweeps a namespace until nothing expired is left; returns how many items were deleted.
  static int64_t SweepAll(NamespaceRegistry& namespaces, std::string_view ns);

 private:
  void Run();

  NamespaceRegistry& namespaces_;
  double interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace localddb::server
