// Checkpointer: copies the WAL back into the database file on its own thread and connection, so
// a commit never waits for a checkpoint (one copies megabytes; on the writer it showed as
// 100+ ms p99 stalls). It does so when the WAL passes 16 MiB, and also once the writer has been
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

  // The writer's WAL hook: asks for a checkpoint once the WAL holds this many pages (16 MiB).
  // Larger would copy hot pages (the key b-trees' leaves) less often, but the WAL of --in-memory
  // lives in RAM.
  static constexpr int kPages = 4096;
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
