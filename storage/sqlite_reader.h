// The read side of the database: one read-only connection per reading thread, with its
// statements prepared once (storage/database.cc hands each thread its own).
#pragma once

#include "storage/database.h"
#include "storage/entry_statements.h"
#include "storage/space_counts.h"
#include "storage/sqlite.h"

namespace localddb::storage {

class SqliteReader final : public Reader {
 public:
  // mmap_bytes: how much of the file this reader maps (0: none, every page read through pread).
  SqliteReader(const std::string& path, SpaceCounts& counts, int64_t mmap_bytes)
      : counts_(counts),
        conn_(path, SQLITE_OPEN_READONLY),
        entries_((Configure(conn_, mmap_bytes), conn_)),
        catalog_(conn_, "SELECT id, name, description FROM tables ORDER BY name"),
        stream_(conn_, "SELECT seq, created, record FROM stream_records WHERE stream=?1 AND seq>?2 ORDER BY seq"),
        bounds_(conn_, "SELECT coalesce(min(seq),0), coalesce(max(seq),0) FROM stream_records WHERE stream=?1"),
        hooks_(conn_, "SELECT table_name, url, position, settings, paused, from_flag FROM stream_hooks"),
        hook_log_(conn_, "SELECT id, hook, kind, entry FROM hook_log ORDER BY id"),
        backups_(conn_, "SELECT arn, space, description FROM backups ORDER BY arn"),
        jobs_(conn_, "SELECT kind, id, description FROM jobs WHERE kind=?1 ORDER BY id"),
        counters_(
            conn_,
            "SELECT (SELECT value FROM meta WHERE key='next_id'), (SELECT value FROM meta WHERE key='next_seq')") {}

  std::pair<int64_t, int64_t> LoadCounters() override {
    ResetOnExit reset(counters_);
    counters_.Step();
    return {counters_.Int(0), counters_.Int(1)};
  }

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
  std::vector<StoredHook> LoadHooks() override {
    ResetOnExit reset(hooks_);
    std::vector<StoredHook> out;
    while (hooks_.Step())
      out.push_back({std::string(hooks_.Text(0)), std::string(hooks_.Text(1)), hooks_.Int(2),
                     std::string(hooks_.Text(3)), hooks_.Int(4) != 0, hooks_.Int(5) != 0});
    return out;
  }
  std::vector<HookLogRow> LoadHookLog() override {
    ResetOnExit reset(hook_log_);
    std::vector<HookLogRow> out;
    while (hook_log_.Step())
      out.push_back({hook_log_.Int(0), std::string(hook_log_.Text(1)), std::string(hook_log_.Text(2)),
                     std::string(hook_log_.Text(3))});
    return out;
  }

  std::vector<BackupRow> LoadBackups() override {
    ResetOnExit reset(backups_);
    std::vector<BackupRow> out;
    while (backups_.Step())
      out.push_back({std::string(backups_.Text(0)), backups_.Int(1), std::string(backups_.Text(2))});
    return out;
  }

  std::vector<JobRow> LoadJobs(std::string_view kind) override {
    ResetOnExit reset(jobs_);
    jobs_.BindText(1, kind);
    std::vector<JobRow> out;
    while (jobs_.Step())
      out.push_back({std::string(jobs_.Text(0)), std::string(jobs_.Text(1)), std::string(jobs_.Text(2))});
    return out;
  }

  std::optional<std::string> Get(int64_t space, const EntryKey& key) override { return entries_.Get(space, key); }
  void Scan(const Range& range, const std::function<bool(const EntryView&)>& visit) override {
    entries_.Scan(range, visit);
  }
  void InSnapshot(const std::function<void()>& reads) override {
    // A deferred transaction takes its WAL snapshot at its first read and keeps it to COMMIT.
    conn_.Exec("BEGIN");
    try {
      reads();
    } catch (...) {
      conn_.Exec("COMMIT");
      throw;
    }
    conn_.Exec("COMMIT");
  }
  std::pair<int64_t, int64_t> CountSpace(int64_t space) override {
    return counts_.Get(space, [&] { return entries_.CountSpace(space); });
  }
  std::vector<TableRow> LoadCatalog() override {
    ResetOnExit reset(catalog_);
    std::vector<TableRow> rows;
    while (catalog_.Step())
      rows.push_back({catalog_.Int(0), std::string(catalog_.Text(1)), std::string(catalog_.Text(2))});
    return rows;
  }

 private:
  static void Configure(Connection& c, int64_t mmap_bytes) {
    sqlite3_busy_timeout(c.get(), 5000);
    // The page cache holds what the map does not serve: pages past the mapped size and pages
    // whose newest version is still in the WAL (SQLite reads those with pread).
    c.Exec(
        ("PRAGMA query_only=1; PRAGMA cache_size=-4096; PRAGMA mmap_size=" + std::to_string(mmap_bytes) + ";").c_str());
  }
  SpaceCounts& counts_;
  Connection conn_;
  EntryStatements entries_;
  Statement catalog_, stream_, bounds_, hooks_, hook_log_, backups_, jobs_, counters_;
};

}  // namespace localddb::storage
