#include "storage/database_files.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "storage/schema.h"
#include "storage/sqlite.h"

namespace localddb::storage {

namespace fs = std::filesystem;

namespace {

// Files larger than this are deleted on another thread (see RemoveDatabaseFiles).
constexpr uintmax_t kRemoveAsideBytes = 1 << 20;

// Leaves path as one file: the WAL folded in and removed, no journal beside it.
void Finish(Connection& conn) { conn.Exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;"); }

int64_t MetaValue(Connection& conn, const std::string& key, int64_t fallback) {
  Statement s(conn, "SELECT value FROM meta WHERE key='" + key + "'");
  return s.Step() ? s.Int(0) : fallback;
}

}  // namespace

void CopyDatabase(const std::string& source, const std::string& dest) {
  RemoveDatabaseFiles(dest);
  Connection from(source, SQLITE_OPEN_READONLY);
  sqlite3_busy_timeout(from.get(), 5000);
  Connection to(dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  to.Exec("PRAGMA synchronous=OFF");
  sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.get(), "main");
  if (!backup) to.Fail("cannot copy " + source);
  const int rc = sqlite3_backup_step(backup, -1);  // every page, in one read of the source
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) to.Fail("copy of " + source);
  Finish(to);
}

SnapshotInfo SealSnapshot(const std::string& path, bool keep_stream_records, double created) {
  {
    Connection conn(path, SQLITE_OPEN_READWRITE);
    // Counted in the copy: what the snapshot holds, whatever was written while it was taken. An
    // item is a row of `items`, or an entry holding its item inline (written by schema v2).
    const int64_t tables = conn.QueryInt("SELECT count(*) FROM tables");
    const int64_t items = conn.QueryInt("SELECT count(*) FROM items") +
                          conn.QueryInt("SELECT count(*) FROM entries WHERE ref IS NULL AND tk=x''");
    conn.Exec("BEGIN");
    if (!keep_stream_records) conn.Exec("DELETE FROM stream_records");
    Statement put(conn, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)");
    for (const auto& [key, value] :
         {std::pair<const char*, int64_t>{"snapshot_created_ms", static_cast<int64_t>(created * 1000)},
          {"snapshot_tables", tables},
          {"snapshot_items", items}}) {
      put.BindText(1, key);
      put.BindInt(2, value);
      put.Run();
    }
    conn.Exec("COMMIT");
    if (!keep_stream_records) conn.Exec("VACUUM");  // give back the records' pages
    Finish(conn);
  }
  return ReadSnapshotInfo(path);
}

SnapshotInfo ReadSnapshotInfo(const std::string& path) {
  SnapshotInfo info;
  Connection conn(path, SQLITE_OPEN_READONLY);
  info.created = static_cast<double>(MetaValue(conn, "snapshot_created_ms", 0)) / 1000;
  info.tables = MetaValue(conn, "snapshot_tables", 0);
  info.items = MetaValue(conn, "snapshot_items", 0);
  std::error_code ec;
  info.bytes = static_cast<int64_t>(fs::file_size(path, ec));
  return info;
}

void CreateEmptyCopy(const std::string& path, const std::vector<TableRow>& tables, const std::vector<StoredHook>& hooks,
                     int64_t next_id, int64_t next_seq) {
  RemoveDatabaseFiles(path);
  Connection conn(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  OpenSchema(conn, path);
  conn.Exec("PRAGMA synchronous=OFF; BEGIN");
  Statement table(conn, "INSERT INTO tables(id, name, description) VALUES(?1, ?2, ?3)");
  for (const auto& t : tables) {
    table.BindInt(1, t.id);
    table.BindText(2, t.name);
    table.BindText(3, t.description);
    table.Run();
  }
  Statement hook(conn,
                 "INSERT INTO stream_hooks(table_name, url, position, settings, paused, from_flag) "
                 "VALUES(?1, ?2, 0, ?3, ?4, ?5)");
  for (const auto& h : hooks) {
    hook.BindText(1, h.table);
    hook.BindText(2, h.url);
    hook.BindText(3, h.settings);
    hook.BindInt(4, h.paused ? 1 : 0);
    hook.BindInt(5, h.from_flag ? 1 : 0);
    hook.Run();
  }
  Statement counter(conn, "UPDATE meta SET value=?2 WHERE key=?1");
  for (const auto& [key, value] : {std::pair<const char*, int64_t>{"next_id", next_id}, {"next_seq", next_seq}}) {
    counter.BindText(1, key);
    counter.BindInt(2, value);
    counter.Run();
  }
  conn.Exec("COMMIT");
  Finish(conn);
}

void RemoveDatabaseFiles(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  std::vector<std::string> doomed;
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string file = path + suffix;
    if (!fs::exists(file, ec)) continue;
    // Renamed aside first, so the name can be reused at once; deleted on another thread.
    const std::string aside = file + ".removed-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
    if (fs::file_size(file, ec) > kRemoveAsideBytes && !ec && (fs::rename(file, aside, ec), !ec))
      doomed.push_back(aside);
    else
      fs::remove(file, ec);
  }
  if (!doomed.empty())
    std::thread([doomed] {
      std::error_code ignored;
      for (const auto& f : doomed) fs::remove(f, ignored);
    }).detach();
}

}  // namespace localddb::storage
