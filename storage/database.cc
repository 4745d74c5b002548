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
        find_ref_(conn, "SELECT ref, size FROM entries WHERE space=?1 AND h=?2 AND hk=?3 AND rk=?4 AND tk=?5"),
        put_entry_(conn,
                   "INSERT OR REPLACE INTO entries(space,h,hk,rk,tk,size,item,ref) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)"),
        set_size_(conn, "UPDATE entries SET size=?6 WHERE space=?1 AND h=?2 AND hk=?3 AND rk=?4 AND tk=?5"),
        insert_item_(conn, "INSERT INTO items(item) VALUES(?1)"),
        update_item_(conn, "UPDATE items SET item=?2 WHERE id=?1"),
        delete_item_(conn, "DELETE FROM items WHERE id=?1"),
        delete_(conn, "DELETE FROM entries WHERE space=?1 AND h=?2 AND hk=?3 AND rk=?4 AND tk=?5"),
        drop_items_(conn, "DELETE FROM items WHERE id IN (SELECT ref FROM entries WHERE space=?1 AND tk=x'')"),
        drop_(conn, "DELETE FROM entries WHERE space=?1"),
        put_table_(conn, "INSERT OR REPLACE INTO tables(id,name,description) VALUES(?1,?2,?3)"),
        delete_table_(conn, "DELETE FROM tables WHERE id=?1"),
        set_next_id_(conn, "UPDATE meta SET value=?1 WHERE key='next_id'"),
        set_next_seq_(conn, "UPDATE meta SET value=?1 WHERE key='next_seq'"),
        append_record_(conn, "INSERT INTO stream_records(stream,seq,created,record) VALUES(?1,?2,?3,?4)"),
        // Records are in creation order: everything before the first record young enough to keep.
        trim_(conn,
              "DELETE FROM stream_records WHERE seq < coalesce((SELECT seq FROM stream_records WHERE created >= ?1"
              " ORDER BY seq LIMIT 1), 9223372036854775807)"),
        drop_stream_(conn, "DELETE FROM stream_records WHERE stream=?1"),
        put_hook_(conn, "INSERT OR REPLACE INTO stream_hooks(table_name,url,position) VALUES(?1,?2,?3)"),
        delete_hook_(conn, "DELETE FROM stream_hooks WHERE table_name=?1 AND url=?2") {
    next_id_ = conn.QueryInt("SELECT value FROM meta WHERE key='next_id'");
    next_seq_ = conn.QueryInt("SELECT value FROM meta WHERE key='next_seq'");
  }

  int64_t NextSequenceNumber() override {
    seq_dirty_ = true;  // stored once per transaction, by FinishTransaction
    return next_seq_++;
  }
  // Called by the writer just before COMMIT.
  void FinishTransaction() {
    if (!seq_dirty_) return;
    seq_dirty_ = false;
    ResetOnExit reset(set_next_seq_);
    set_next_seq_.BindInt(1, next_seq_);
    set_next_seq_.Step();
  }
  void AppendStreamRecord(int64_t stream, int64_t seq, double created, std::string_view record) override {
    ResetOnExit reset(append_record_);
    append_record_.BindInt(1, stream);
    append_record_.BindInt(2, seq);
    sqlite3_bind_double(append_record_.get(), 3, created);
    append_record_.BindText(4, record);
    append_record_.Step();
  }
  void TrimStreams(double created_before) override {
    ResetOnExit reset(trim_);
    sqlite3_bind_double(trim_.get(), 1, created_before);
    trim_.Step();
  }
  void DropStream(int64_t stream) override {
    ResetOnExit reset(drop_stream_);
    drop_stream_.BindInt(1, stream);
    drop_stream_.Step();
  }
  void PutHook(std::string_view table, std::string_view url, int64_t position) override {
    ResetOnExit reset(put_hook_);
    put_hook_.BindText(1, table);
    put_hook_.BindText(2, url);
    put_hook_.BindInt(3, position);
    put_hook_.Step();
  }
  void DeleteHook(std::string_view table, std::string_view url) override {
    ResetOnExit reset(delete_hook_);
    delete_hook_.BindText(1, table);
    delete_hook_.BindText(2, url);
    delete_hook_.Step();
  }

  std::optional<std::string> Get(int64_t space, const EntryKey& key) override {
    return EntryStatements::Get(space, key);
  }
  int64_t Put(int64_t space, const EntryKey& key, std::string_view item, uint32_t size) override {
    auto [ref, old_size] = FindRef(space, key);
    if (ref != 0) {
      // Overwrite in place: the entry (and every index entry referencing the item) stays put.
      ResetOnExit reset(update_item_);
      update_item_.BindInt(1, ref);
      update_item_.BindText(2, item);
      update_item_.Step();
      if (old_size != size) {
        ResetOnExit reset_size(set_size_);
        set_size_.BindInt(1, space);
        BindKey(set_size_, 2, key);
        set_size_.BindInt(6, size);
        set_size_.Step();
      }
      return ref;
    }
    {
      // A new item row gets the next id, so new items append to the end of the items b-tree.
      ResetOnExit reset(insert_item_);
      insert_item_.BindText(1, item);
      insert_item_.Step();
      ref = sqlite3_last_insert_rowid(conn_.get());
    }
    PutEntry(space, key, size, ref, {});
    return ref;
  }
  void PutIndex(int64_t space, const EntryKey& key, uint32_t size, int64_t ref,
                std::string_view inline_item) override {
    PutEntry(space, key, size, ref, inline_item);
  }
  bool Delete(int64_t space, const EntryKey& key) override {
    const int64_t ref = key.tk.empty() ? FindRef(space, key).first : 0;
    ResetOnExit reset(delete_);
    delete_.BindInt(1, space);
    BindKey(delete_, 2, key);
    delete_.Step();
    const bool removed = sqlite3_changes(conn_.get()) > 0;
    if (ref != 0) {
      ResetOnExit reset_item(delete_item_);
      delete_item_.BindInt(1, ref);
      delete_item_.Step();
    }
    return removed;
  }
  void Scan(const Range& range, const std::function<bool(const EntryView&)>& visit) override {
    EntryStatements::Scan(range, visit);
  }
  void DropSpace(int64_t space) override {
    {
      ResetOnExit reset(drop_items_);  // only base entries (tk empty) own their item rows
      drop_items_.BindInt(1, space);
      drop_items_.Step();
    }
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
  // The entry's item ref (0 if absent or inline) and stored size.
  std::pair<int64_t, int64_t> FindRef(int64_t space, const EntryKey& key) {
    ResetOnExit reset(find_ref_);
    find_ref_.BindInt(1, space);
    BindKey(find_ref_, 2, key);
    if (!find_ref_.Step()) return {0, -1};
    return {find_ref_.Int(0), find_ref_.Int(1)};
  }
  void PutEntry(int64_t space, const EntryKey& key, uint32_t size, int64_t ref, std::string_view inline_item) {
    ResetOnExit reset(put_entry_);
    put_entry_.BindInt(1, space);
    BindKey(put_entry_, 2, key);
    put_entry_.BindInt(6, size);
    put_entry_.BindText(7, inline_item.empty() ? std::string_view("") : inline_item);  // never NULL
    if (ref != 0) put_entry_.BindInt(8, ref);  // else NULL: the item is inline
    put_entry_.Step();
  }

  Statement find_ref_, put_entry_, set_size_, insert_item_, update_item_, delete_item_, delete_, drop_items_, drop_, put_table_, delete_table_, set_next_id_, set_next_seq_, append_record_, trim_,
      drop_stream_, put_hook_, delete_hook_;
  // Ids and sequence numbers only grow; a rolled-back allocation just leaves a gap.
  int64_t next_id_ = 1;
  int64_t next_seq_ = 1;
  bool seq_dirty_ = false;
};

// --- the read side -----------------------------------------------------------------------------

class ReaderImpl final : public Reader {
 public:
  explicit ReaderImpl(const std::string& path)
      : conn_(path, SQLITE_OPEN_READONLY), entries_((Configure(conn_), conn_)),
        catalog_(conn_, "SELECT id, name, description FROM tables ORDER BY name"),
        stream_(conn_, "SELECT seq, created, record FROM stream_records WHERE stream=?1 AND seq>?2 ORDER BY seq"),
        bounds_(conn_, "SELECT coalesce(min(seq),0), coalesce(max(seq),0) FROM stream_records WHERE stream=?1"),
        hooks_(conn_, "SELECT table_name, url, position FROM stream_hooks") {}

  void ReadStream(int64_t stream, int64_t after_seq,
                  const std::function<bool(int64_t, double, std::string_view)>& visit) override {
    ResetOnExit reset(stream_);
    stream_.BindInt(1, stream);
    stream_.BindInt(2, after_seq);
    while (stream_.Step())
      if (!visit(stream_.Int(0), sqlite3_column_double(stream_.get(), 1), stream_.Text(2))) break;
  }
  std::pair<int64_t, int64_t> StreamBounds(int64_t stream) override {
    ResetOnExit reset(bounds_);
    bounds_.BindInt(1, stream);
    bounds_.Step();
    return {bounds_.Int(0), bounds_.Int(1)};
  }
  std::vector<std::tuple<std::string, std::string, int64_t>> LoadHooks() override {
    ResetOnExit reset(hooks_);
    std::vector<std::tuple<std::string, std::string, int64_t>> out;
    while (hooks_.Step()) out.emplace_back(std::string(hooks_.Text(0)), std::string(hooks_.Text(1)), hooks_.Int(2));
    return out;
  }

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
    c.Exec("PRAGMA query_only=1; PRAGMA cache_size=-4096;");
  }
  Connection conn_;
  EntryStatements entries_;
  Statement catalog_, stream_, bounds_, hooks_;
};

// --- the database ------------------------------------------------------------------------------

std::atomic<uint64_t> g_generation{1};

// How many times the writer yields to gather more work into a group before committing.
constexpr int kGatherYields = 3;

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
                        "; PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;"
                        // A WAL left longer than this after a checkpoint is cut back to it.
                        " PRAGMA journal_size_limit=67108864;")
                           .c_str());
    // Checkpoints run on their own thread and connection, so a commit never waits for one (a
    // checkpoint copies and syncs megabytes; on the writer it showed as 100+ ms p99 stalls).
    checkpoint_conn_ = std::make_unique<Connection>(path_, SQLITE_OPEN_READWRITE);
    sqlite3_busy_timeout(checkpoint_conn_->get(), 5000);
    // Without --fsync, the checkpointer does not fsync either: what it copies is already safe from
    // a crash of the process in the OS's cache, and its fsync of tens of MB stalled the writer's
    // WAL appends (PutItem p99 of 12-200 ms). With --fsync it syncs as SQLite normally does.
    checkpoint_conn_->Exec(options.fsync ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=OFF;");
    sqlite3_wal_hook(writer_conn_->get(), &DatabaseImpl::OnWalCommit, this);  // replaces auto-checkpoint
    txn_ = std::make_unique<WriteTxnImpl>(*writer_conn_);
    // Prepared once: a group runs one of each per piece of work, too often to parse them each time.
    begin_ = Statement(*writer_conn_, "BEGIN");
    commit_ = Statement(*writer_conn_, "COMMIT");
    savepoint_ = Statement(*writer_conn_, "SAVEPOINT w");
    release_ = Statement(*writer_conn_, "RELEASE w");
    rollback_to_ = Statement(*writer_conn_, "ROLLBACK TO w");
    writer_ = std::thread([this] { WriterLoop(); });
    checkpointer_ = std::thread([this] { CheckpointLoop(); });
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

  void SetCommitListener(std::function<void()> listener) override { commit_listener_ = std::move(listener); }

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
      std::lock_guard lock(checkpoint_mu_);
      checkpoint_stop_ = true;
    }
    checkpoint_cv_.notify_all();
    if (checkpointer_.joinable()) checkpointer_.join();
    checkpoint_conn_.reset();
    {
      std::lock_guard lock(readers_mu_);
      readers_.clear();
    }
    generation_ = ~uint64_t{0};  // no thread-local cache can match any more
    txn_.reset();
    for (Statement* s : {&begin_, &commit_, &savepoint_, &release_, &rollback_to_}) *s = Statement();
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
  // WAL pages (16 MiB) after which a commit asks the checkpointer to copy the WAL into the
  // database. Larger would copy hot pages (the key b-trees' leaves) less often, but the WAL of
  // --in-memory lives in RAM.
  static constexpr int kCheckpointPages = 4096;

  static int OnWalCommit(void* self, sqlite3*, const char*, int pages) {
    if (pages >= kCheckpointPages) {
      auto* db = static_cast<DatabaseImpl*>(self);
      {
        std::lock_guard lock(db->checkpoint_mu_);
        db->checkpoint_wanted_ = true;
      }
      db->checkpoint_cv_.notify_one();
    }
    return SQLITE_OK;
  }

  void CheckpointLoop() {
    // Normal priority on purpose: a checkpointer that yields to a saturated writer falls behind,
    // and the WAL then grows without bound (690 MB after 5 s of PutItem at nice 10), which every
    // later read and commit pays for.
    for (;;) {
      {
        std::unique_lock lock(checkpoint_mu_);
        checkpoint_cv_.wait(lock, [&] { return checkpoint_stop_ || checkpoint_wanted_; });
        if (checkpoint_stop_) return;
        checkpoint_wanted_ = false;
      }
      // PASSIVE: copies what no reader still needs, without blocking the writer or readers. Once
      // everything is copied, the writer's next transaction starts the WAL over from its beginning.
      sqlite3_wal_checkpoint_v2(checkpoint_conn_->get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
  }

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
      } catch (...) {
        errors[i] = std::current_exception();
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
    } catch (...) {
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
  std::unique_ptr<WriteTxnImpl> txn_;
  Statement begin_, commit_, savepoint_, release_, rollback_to_;
  std::function<void()> commit_listener_;

  std::unique_ptr<Connection> checkpoint_conn_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;
  bool checkpoint_stop_ = false;
  std::thread checkpointer_;

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
