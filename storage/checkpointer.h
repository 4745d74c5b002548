// Checkpointer: copies the WAL back into the database file on its own thread and connection, so
// a commit never waits for a checkpoint (one copies megabytes; on the writer it showed as
// 100+ ms p99 stalls). It does so when the WAL passes 4 MiB, and also once the writer has been
// idle for a second: then the database file alone holds every committed write, so copying just
// that file (as a fixture, say) loses nothing.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "storage/sqlite.h"

namespace localddb::storage {

class Checkpointer {
 public:
  // fsync: sync what is copied (--fsync); without it the copy is already safe from a crash of
  // the process in the OS's cache, and its fsync of tens of MB stalled the writer's WAL appends.
  Checkpointer(const std::string& path, bool fsync);
  ~Checkpointer();

  // The writer's WAL hook: asks for a checkpoint once the WAL holds this many pages (4 MiB).
  // Larger copies hot pages (the key b-trees' leaves) less often, but a checkpoint is one burst
  // of work sharing the server's core with the requests, and PutItem's p99 grew with it: 16 MiB
  // gave 12-13.5 ms, 8 MiB 8 ms, 4 MiB 4.7-5.4 ms, no checkpoint during the run 2.8-3.1 ms, at the
  // same throughput within noise (bench.py's PutItem, 20,000 items, on ext4, 2026-12-01).
  static constexpr int kPages = 1024;
  static int OnWalCommit(void* self, sqlite3*, const char*, int pages);

  void Request();
  void Stop();

  // Checkpoints run so far (for the metrics endpoint).
  uint64_t done() const { return done_.load(std::memory_order_relaxed); }

 private:
  void Loop();

  std::unique_ptr<Connection> conn_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;
  bool stop_ = false;
  std::atomic<uint64_t> commits_{0};  // every commit counts (the WAL hook)
  std::atomic<uint64_t> done_{0};
  std::thread thread_;
};

}  // namespace localddb::storage
