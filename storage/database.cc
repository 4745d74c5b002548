#include "storage/database.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "common/log.h"
#include "storage/checkpointer.h"
#include "storage/database_file.h"
#include "storage/memory_dir.h"
#include "storage/schema.h"
#include "storage/space_counts.h"
#include "storage/sqlite.h"
#include "storage/sqlite_reader.h"
#include "storage/sqlite_write_txn.h"

namespace localddb::storage {
namespace {

namespace fs = std::filesystem;

std::atomic<uint64_t> g_generation{1};

// How many times the writer yields to gather more work into a group before committing.
constexpr int kGatherYields = 3;

// How often the writer makes sure the database file is still the one it opened.
constexpr auto kIdentityCheckEvery = std::chrono::milliseconds(100);

class DatabaseImpl final : public Database {
 public:
  explicit DatabaseImpl(const Options& options) : options_(options) {
    if (options.in_memory && options.path.empty()) {
      memory_dir_ = MakeMemoryDir();
      path_ = (memory_dir_ / "localddb.sqlite").string();
    } else {
      path_ = options.path;
    }
    RequireWritable(path_);
    writer_conn_ = std::make_unique<Connection>(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    // SQLite opens a file it may not write read-only, without a word: refuse it here instead of
    // answering every write with an error later.
    if (sqlite3_db_readonly(writer_conn_->get(), "main") == 1)
      throw StorageError("cannot use " + path_ + ": it can only be opened read-only (a read-only file or mount)",
                         StorageError::Kind::kReadOnly);
    const char* sync = options.in_memory ? "OFF" : (options.fsync ? "FULL" : "NORMAL");
    OpenSchema(*writer_conn_, path_);
    writer_conn_->Exec((std::string("PRAGMA synchronous=") + sync +
                        "; PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;"
                        // A WAL left longer than this after a checkpoint is cut back to it.
                        " PRAGMA journal_size_limit=67108864;")
                           .c_str());
    identity_ = std::make_unique<FileIdentity>(path_);
    checkpointer_ = std::make_unique<Checkpointer>(path_, options.fsync);
    sqlite3_wal_hook(writer_conn_->get(), &Checkpointer::OnWalCommit, checkpointer_.get());  // replaces auto-checkpoint
    txn_ = std::make_unique<SqliteWriteTxn>(*writer_conn_, counts_);
    // Prepared once: a group runs one of each per piece of work, too often to parse them each time.
    begin_ = Statement(*writer_conn_, "BEGIN");
    commit_ = Statement(*writer_conn_, "COMMIT");
    savepoint_ = Statement(*writer_conn_, "SAVEPOINT w");
    release_ = Statement(*writer_conn_, "RELEASE w");
    rollback_to_ = Statement(*writer_conn_, "ROLLBACK TO w");
    writer_ = std::thread([this] { WriterLoop(); });
  }

  ~DatabaseImpl() override { Close(); }

  void Submit(Work work, Done done) override {
    {
      std::lock_guard lock(mu_);
      if (stopping_) {
        done(std::make_exception_ptr(StorageError("database is closed")));
        return;
      }
      queue_.push_back({std::move(work), std::move(done)});
    }
    cv_.notify_one();
  }

  Reader& reader() override {
    // Hot path: one thread-local lookup; the mutex is only taken when a thread first reads.
    thread_local uint64_t cached_generation = 0;
    thread_local SqliteReader* cached = nullptr;
    if (cached_generation == generation_) return *cached;
    std::lock_guard lock(readers_mu_);
    auto& slot = readers_[std::this_thread::get_id()];
    if (!slot) slot = std::make_unique<SqliteReader>(path_, counts_, options_.mmap_bytes);
    cached = slot.get();
    cached_generation = generation_;
    return *cached;
  }

  void SetCommitListener(std::function<void()> listener) override { commit_listener_ = std::move(listener); }

  void Close() override { Shutdown(/*checkpoint=*/true); }
  void Discard() override { Shutdown(/*checkpoint=*/false); }
  const std::string& path() const override { return path_; }
  uint64_t Checkpoints() const override { return checkpointer_ ? checkpointer_->done() : 0; }
  void KnowEmpty(const std::vector<int64_t>& spaces) override {
    for (int64_t space : spaces) counts_.KnowEmpty(space);
  }

  void Shutdown(bool checkpoint) {
    {
      std::lock_guard lock(mu_);
      if (closed_) return;
      stopping_ = true;
      closed_ = true;
      discarding_ = !checkpoint;
    }
    cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    checkpointer_->Stop();
    {
      std::lock_guard lock(readers_mu_);
      readers_.clear();
    }
    generation_ = ~uint64_t{0};  // no thread-local cache can match any more
    txn_.reset();
    for (Statement* s : {&begin_, &commit_, &savepoint_, &release_, &rollback_to_}) *s = Statement();
    if (checkpoint) {
      try {
        writer_conn_->Exec("PRAGMA wal_checkpoint(TRUNCATE);");
      } catch (const StorageError&) {
        // Best effort: the WAL is replayed on the next open anyway.
      }
    } else {
      // The last connection of a WAL database folds the WAL in as it closes: megabytes copied
      // into a file that is about to be deleted (it was most of a reset's time).
      sqlite3_db_config(writer_conn_->get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    }
    writer_conn_.reset();
    if (!memory_dir_.empty()) {
      std::error_code ec;
      fs::remove_all(memory_dir_, ec);
    }
  }

 private:
  struct Pending {
    Work work;
    Done done;
  };

  void WriterLoop() {
    std::vector<Pending> batch;
    std::vector<std::exception_ptr> errors;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything queued is done
        TakeQueued(batch);
      }
      // Group commit: before committing, give request threads a moment to add their writes, so
      // concurrent writers share one transaction (matters most when they share a core with us).
      for (int i = 0; i < kGatherYields && batch.size() < static_cast<size_t>(options_.max_group); ++i) {
        std::this_thread::yield();
        std::lock_guard lock(mu_);
        if (queue_.empty()) break;
        TakeQueued(batch);
      }
      bool committed = RunGroup(batch, errors);
      if (committed && commit_listener_) commit_listener_();
      for (size_t i = 0; i < batch.size(); ++i) {
        try {
          batch[i].done(errors[i]);
        } catch (...) {
          // A Done must not throw; if it does, the writer must survive it.
        }
      }
      batch.clear();
    }
  }

  // A write to a database file that was deleted (or replaced) would be acknowledged and then lost
  // with the process: refused instead, loudly. Checked at most every kIdentityCheckEvery.
  std::exception_ptr CheckStillThere() {
    if (discarding_) return nullptr;  // its replacement is on the way
    const auto now = std::chrono::steady_clock::now();
    if (now - identity_checked_ < kIdentityCheckEvery) return nullptr;
    identity_checked_ = now;
    if (identity_->StillThere()) return nullptr;
    identity_checked_ = {};  // keep checking: every write is refused until a restart
    const std::string message = "the database file " + path_ +
                                " was deleted or replaced while localddb was running: writes are refused so that "
                                "none is acknowledged and then lost; restart localddb";
    if (now - gone_logged_ > std::chrono::seconds(10)) {
      gone_logged_ = now;
      Log(LogLevel::kError, message);
    }
    return std::make_exception_ptr(StorageError(message, StorageError::Kind::kGone));
  }

  // REQUIRES: mu_ held.
  void TakeQueued(std::vector<Pending>& batch) {
    while (!queue_.empty() && batch.size() < static_cast<size_t>(options_.max_group)) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
  }

  // One transaction for the whole group; one savepoint per piece of work.
  // Returns whether the transaction committed.
  bool RunGroup(std::vector<Pending>& batch, std::vector<std::exception_ptr>& errors) {
    errors.assign(batch.size(), nullptr);
    Connection& c = *writer_conn_;
    if (auto gone = CheckStillThere()) {
      errors.assign(batch.size(), gone);
      return false;
    }
    try {
      begin_.Run();
    } catch (...) {
      errors.assign(batch.size(), std::current_exception());
      return false;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      try {
        savepoint_.Run();
        batch[i].work(*txn_);
        release_.Run();
        counts_.Keep();
      } catch (...) {
        errors[i] = std::current_exception();
        counts_.Abandon();
        try {
          rollback_to_.Run();
          release_.Run();
        } catch (...) {
        }
      }
    }
    try {
      txn_->FinishTransaction();
      commit_.Run();
      counts_.Commit();
    } catch (...) {
      counts_.Forget();
      auto failure = std::current_exception();
      try {
        c.Exec("ROLLBACK");
      } catch (...) {
      }
      for (auto& e : errors)
        if (!e) e = failure;
      return false;
    }
    return true;
  }

  Options options_;
  std::string path_;
  fs::path memory_dir_;
  std::unique_ptr<Connection> writer_conn_;
  SpaceCounts counts_;  // before the transaction and the readers, which use it
  std::unique_ptr<SqliteWriteTxn> txn_;
  Statement begin_, commit_, savepoint_, release_, rollback_to_;
  std::function<void()> commit_listener_;

  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_ptr<FileIdentity> identity_;
  std::chrono::steady_clock::time_point identity_checked_;
  std::chrono::steady_clock::time_point gone_logged_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  bool closed_ = false;
  std::atomic<bool> discarding_{false};
  std::thread writer_;

  std::mutex readers_mu_;
  std::unordered_map<std::thread::id, std::unique_ptr<SqliteReader>> readers_;
  std::atomic<uint64_t> generation_{g_generation++};
};

}  // namespace

std::unique_ptr<Database> Database::Open(const Options& options) {
  static std::once_flag configured;
  std::call_once(configured, [] {
    // Before SQLite initialises: no memory statistics (they take a global mutex on every
    // allocation), and no per-connection mutexes (each connection is used by one thread).
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
  });
  return std::make_unique<DatabaseImpl>(options);
}

void Database::Write(Work work) {
  std::promise<void> promise;
  auto future = promise.get_future();
  Submit(std::move(work), [&](std::exception_ptr e) {
    if (e)
      promise.set_exception(e);
    else
      promise.set_value();
  });
  future.get();
}

}  // namespace localddb::storage
