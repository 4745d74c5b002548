#include "storage/database.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <random>
#include <signal.h>
#include <thread>
#include <unordered_map>

#include "storage/entry_statements.h"
#include "storage/schema.h"
#include "storage/sqlite.h"

namespace localddb::storage {
namespace {

namespace fs = std::filesystem;

// --- the write side ----------------------------------------------------------------------------

class WriteTxnImpl final : public WriteTxn, public EntryStatements {
 public:
  explicit WriteTxnImpl(Connection& conn)
      : EntryStatements(conn),
        put_(conn, "INSERT OR REPLACE INTO entries(space,h,hk,rk,tk,size,item) VALUES(?1,?2,?3,?4,?5,?6,?7)"),
        delete_(conn, "DELETE FROM entries WHERE space=?1 AND h=?2 AND hk=?3 AND rk=?4 AND tk=?5"),
        drop_(conn, "DELETE FROM entries WHERE space=?1"),
        put_table_(conn, "INSERT OR REPLACE INTO tables(id,name,description) VALUES(?1,?2,?3)"),
        delete_table_(conn, "DELETE FROM tables WHERE id=?1"),
        set_next_id_(conn, "UPDATE meta SET value=?1 WHERE key='next_id'") {
    next_id_ = conn.QueryInt("SELECT value FROM meta WHERE key='next_id'");
  }

  std::optional<std::string> Get(int64_t space, const EntryKey& key) override {
    return EntryStatements::Get(space, key);
  }
  void Put(int64_t space, const EntryKey& key, std::string_view item, uint32_t size) override {
    ResetOnExit reset(put_);
    put_.BindInt(1, space);
    BindKey(put_, 2, key);
    put_.BindInt(6, size);
    put_.BindText(7, item);
    put_.Step();
  }
  bool Delete(int64_t space, const EntryKey& key) override {
    ResetOnExit reset(delete_);
    delete_.BindInt(1, space);
    BindKey(delete_, 2, key);
    delete_.Step();
    return sqlite3_changes(conn_.get()) > 0;
  }
  void Scan(const Range& range, const std::function<bool(const EntryView&)>& visit) override {
    EntryStatements::Scan(range, visit);
  }
  void DropSpace(int64_t space) override {
    ResetOnExit reset(drop_);
    drop_.BindInt(1, space);
    drop_.Step();
  }
  int64_t AllocateId() override {
    int64_t id = next_id_++;
    ResetOnExit reset(set_next_id_);
    set_next_id_.BindInt(1, next_id_);
    set_next_id_.Step();
    return id;
  }
  void PutTable(const TableRow& row) override {
    ResetOnExit reset(put_table_);
    put_table_.BindInt(1, row.id);
    put_table_.BindText(2, row.name);
    put_table_.BindText(3, row.description);
    put_table_.Step();
  }
  void DeleteTable(int64_t id) override {
    ResetOnExit reset(delete_table_);
    delete_table_.BindInt(1, id);
    delete_table_.Step();
  }

 private:
  Statement put_, delete_, drop_, put_table_, delete_table_, set_next_id_;
  // Ids only grow; a rolled-back allocation just leaves a gap.
  int64_t next_id_ = 1;
};

// --- the read side -----------------------------------------------------------------------------

class ReaderImpl final : public Reader {
 public:
  explicit ReaderImpl(const std::string& path)
      : conn_(path, SQLITE_OPEN_READONLY), entries_((Configure(conn_), conn_)),
        catalog_(conn_, "SELECT id, name, description FROM tables ORDER BY name") {}

  std::optional<std::string> Get(int64_t space, const EntryKey& key) override {
    return entries_.Get(space, key);
  }
  void Scan(const Range& range, const std::function<bool(const EntryView&)>& visit) override {
    entries_.Scan(range, visit);
  }
  std::pair<int64_t, int64_t> CountSpace(int64_t space) override { return entries_.CountSpace(space); }
  std::vector<TableRow> LoadCatalog() override {
    ResetOnExit reset(catalog_);
    std::vector<TableRow> rows;
    while (catalog_.Step())
      rows.push_back({catalog_.Int(0), std::string(catalog_.Text(1)), std::string(catalog_.Text(2))});
    return rows;
  }

 private:
  static void Configure(Connection& c) {
    sqlite3_busy_timeout(c.get(), 5000);
    c.Exec("PRAGMA query_only=1; PRAGMA cache_size=-4096; PRAGMA mmap_size=268435456;");
  }
  Connection conn_;
  EntryStatements entries_;
  Statement catalog_;
};

// --- the database ------------------------------------------------------------------------------

std::atomic<uint64_t> g_generation{1};

// A private directory on tmpfs for --in-memory, named after this process so that leftovers of
// dead processes can be recognised and removed.
fs::path MakeMemoryDir() {
  fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(base, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("localddb-", 0) != 0) continue;
    pid_t pid = static_cast<pid_t>(std::atoll(name.c_str() + 9));
    if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ec);
  }
  std::random_device rd;
  fs::path dir = base / ("localddb-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(dir);
  return dir;
}

class DatabaseImpl final : public Database {
 public:
  explicit DatabaseImpl(const Options& options) : options_(options) {
    if (options.in_memory) {
      memory_dir_ = MakeMemoryDir();
      path_ = (memory_dir_ / "localddb.sqlite").string();
    } else {
      path_ = options.path;
    }
    writer_conn_ = std::make_unique<Connection>(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const char* sync = options.in_memory ? "OFF" : (options.fsync ? "FULL" : "NORMAL");
    OpenSchema(*writer_conn_, path_);
    writer_conn_->Exec((std::string("PRAGMA synchronous=") + sync +
                        "; PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;")
                           .c_str());
    txn_ = std::make_unique<WriteTxnImpl>(*writer_conn_);
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
    thread_local ReaderImpl* cached = nullptr;
    if (cached_generation == generation_) return *cached;
    std::lock_guard lock(readers_mu_);
    auto& slot = readers_[std::this_thread::get_id()];
    if (!slot) slot = std::make_unique<ReaderImpl>(path_);
    cached = slot.get();
    cached_generation = generation_;
    return *cached;
  }

  void Close() override {
    {
      std::lock_guard lock(mu_);
      if (closed_) return;
      stopping_ = true;
      closed_ = true;
    }
    cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    {
      std::lock_guard lock(readers_mu_);
      readers_.clear();
    }
    generation_ = ~uint64_t{0};  // no thread-local cache can match any more
    txn_.reset();
    try {
      writer_conn_->Exec("PRAGMA wal_checkpoint(TRUNCATE);");
    } catch (const StorageError&) {
      // Best effort: the WAL is replayed on the next open anyway.
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
        while (!queue_.empty() && batch.size() < static_cast<size_t>(options_.max_group)) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      RunGroup(batch, errors);
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

  // One transaction for the whole group; one savepoint per piece of work.
  void RunGroup(std::vector<Pending>& batch, std::vector<std::exception_ptr>& errors) {
    errors.assign(batch.size(), nullptr);
    Connection& c = *writer_conn_;
    try {
      c.Exec("BEGIN");
    } catch (...) {
      errors.assign(batch.size(), std::current_exception());
      return;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      try {
        c.Exec("SAVEPOINT w");
        batch[i].work(*txn_);
        c.Exec("RELEASE w");
      } catch (...) {
        errors[i] = std::current_exception();
        try {
          c.Exec("ROLLBACK TO w; RELEASE w");
        } catch (...) {
        }
      }
    }
    try {
      c.Exec("COMMIT");
    } catch (...) {
      auto failure = std::current_exception();
      try {
        c.Exec("ROLLBACK");
      } catch (...) {
      }
      for (auto& e : errors)
        if (!e) e = failure;
    }
  }

  Options options_;
  std::string path_;
  fs::path memory_dir_;
  std::unique_ptr<Connection> writer_conn_;
  std::unique_ptr<WriteTxnImpl> txn_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  bool closed_ = false;
  std::thread writer_;

  std::mutex readers_mu_;
  std::unordered_map<std::thread::id, std::unique_ptr<ReaderImpl>> readers_;
  std::atomic<uint64_t> generation_{g_generation++};
};

}  // namespace

std::unique_ptr<Database> Database::Open(const Options& options) {
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
