#include "storage/schema.h"

#include <array>

namespace localddb::storage {
namespace {

// "LDDB": marks a SQLite file as localddb's.
constexpr int64_t kApplicationId = 0x4C444442;

// Migrations: step i takes a file from version i to version i + 1. Append only; never edit a
// step that has shipped.
constexpr std::array<const char*, kSchemaVersion> kMigrations = {
    // 0 -> 1: the catalog, the id counter and the entries of every table and index.
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO meta(key, value) VALUES('next_id', 1);"
    "CREATE TABLE tables(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, description TEXT NOT NULL);"
    "CREATE TABLE entries(space INTEGER NOT NULL, h INTEGER NOT NULL, hk BLOB NOT NULL,"
    "  rk BLOB NOT NULL, tk BLOB NOT NULL, size INTEGER NOT NULL, item TEXT NOT NULL,"
    "  PRIMARY KEY(space, h, hk, rk, tk)) WITHOUT ROWID;",
    // 1 -> 2: stream records (written in the same transaction as the change) and the durable
    // delivery position of every stream hook.
    "CREATE TABLE stream_records(stream INTEGER NOT NULL, seq INTEGER NOT NULL, created REAL NOT NULL,"
    "  record TEXT NOT NULL, PRIMARY KEY(stream, seq)) WITHOUT ROWID;"
    "CREATE INDEX stream_records_by_time ON stream_records(created);"
    "INSERT INTO meta(key, value) VALUES('next_seq', 1);"
    "CREATE TABLE stream_hooks(table_name TEXT NOT NULL, url TEXT NOT NULL, position INTEGER NOT NULL,"
    "  PRIMARY KEY(table_name, url)) WITHOUT ROWID;",
    // 2 -> 3: items move out of the entries b-tree into a rowid table that new items append to;
    // entries keep only keys and a reference (ref), and an index entry references its base item
    // instead of holding a copy. Entries written before keep their item inline (ref NULL).
    // Stream records move to a rowid table keyed by their (global) sequence number, so a record
    // is an append; the per-stream index holds only (stream, seq), and trimming walks from the
    // oldest record (seq and creation time grow together), so no index on time is kept.
    "ALTER TABLE entries ADD COLUMN ref INTEGER;"
    "CREATE TABLE items(id INTEGER PRIMARY KEY, item TEXT NOT NULL);"
    "CREATE TABLE stream_records_v3(seq INTEGER PRIMARY KEY, stream INTEGER NOT NULL, created REAL NOT NULL,"
    "  record TEXT NOT NULL);"
    "INSERT INTO stream_records_v3(seq, stream, created, record) SELECT seq, stream, created, record FROM "
    "stream_records;"
    "DROP TABLE stream_records;"
    "ALTER TABLE stream_records_v3 RENAME TO stream_records;"
    "CREATE INDEX stream_records_by_stream ON stream_records(stream, seq);",
    // 3 -> 4: when each item of a table with TTL enabled expires, ordered by that time, so a sweep
    // reads just the expired items (never the whole table).
    "CREATE TABLE ttl(space INTEGER NOT NULL, expires INTEGER NOT NULL, h INTEGER NOT NULL, hk BLOB NOT NULL,"
    "  rk BLOB NOT NULL, PRIMARY KEY(space, expires, h, hk, rk)) WITHOUT ROWID;",
    // 4 -> 5: a hook's event-source-mapping settings (JSON, Lambda's names), whether it is paused,
    // and whether a --stream-hook flag declared it (such a row keeps its position for a later run
    // with the same flag, but is not brought back without it); and each hook's bounded delivery
    // history and given-up batches (entry: the inspector's JSON).
    "ALTER TABLE stream_hooks ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';"
    "ALTER TABLE stream_hooks ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE stream_hooks ADD COLUMN from_flag INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE hook_log(id INTEGER PRIMARY KEY, hook TEXT NOT NULL, kind TEXT NOT NULL, entry TEXT NOT NULL);"
    "CREATE INDEX hook_log_by_hook ON hook_log(hook, kind, id);",
    // 5 -> 6: on-demand backups (description: the API layer's JSON; space: the backed-up items,
    // copied), and for tables with point-in-time recovery on, each item's state before each
    // change (old: NULL when the item did not exist), so a restore can step back to any moment.
    "CREATE TABLE backups(arn TEXT PRIMARY KEY, space INTEGER NOT NULL, description TEXT NOT NULL);"
    "CREATE TABLE pitr_log(id INTEGER PRIMARY KEY, space INTEGER NOT NULL, time REAL NOT NULL, h INTEGER NOT NULL,"
    "  hk BLOB NOT NULL, rk BLOB NOT NULL, old TEXT, size INTEGER NOT NULL);"
    "CREATE INDEX pitr_log_by_space ON pitr_log(space, time);",
    // 6 -> 7: long-running jobs the API layer describes later (table exports and imports), one row
    // per job: its kind, its id (unique within the kind) and its description (the API layer's JSON).
    "CREATE TABLE jobs(kind TEXT NOT NULL, id TEXT NOT NULL, description TEXT NOT NULL, PRIMARY KEY(kind, id))"
    "  WITHOUT ROWID;",
};

}  // namespace

void OpenSchema(Connection& conn, const std::string& path) {
  sqlite3_busy_timeout(conn.get(), 5000);
  int64_t app_id, version, objects;
  try {
    app_id = conn.QueryInt("PRAGMA application_id");
    version = conn.QueryInt("PRAGMA user_version");
    objects = conn.QueryInt("SELECT count(*) FROM sqlite_master");
  } catch (const StorageError& e) {
    throw StorageError("cannot use " + path + ": not a localddb database, or it is corrupt (" + e.what() + ")");
  }
  if (app_id != kApplicationId && objects > 0)
    throw StorageError("cannot use " + path +
                       ": it is an SQLite database, but not one of localddb's; choose another --db path");
  if (version > kSchemaVersion)
    throw StorageError("cannot use " + path + ": it was written by a newer localddb (schema version " +
                       std::to_string(version) + "); this build reads up to version " + std::to_string(kSchemaVersion));
  try {
    // 4 KiB pages: every write copies whole pages into the WAL, and the entries b-tree holds only
    // keys; items (in a rowid table) stay inside their cell up to ~4 KB. Only takes effect on a new file.
    if (objects == 0) conn.Exec("PRAGMA page_size=4096");
    // Creating a new, empty file: no fsync (a crash now loses nothing anyone was promised; the
    // opener sets the durability it was asked for right after).
    if (objects == 0) conn.Exec("PRAGMA synchronous=OFF");
    conn.Exec("PRAGMA journal_mode=WAL");
    if (version == kSchemaVersion) return;
    conn.Exec("BEGIN IMMEDIATE");
    for (int64_t v = version; v < kSchemaVersion; ++v) conn.Exec(kMigrations[v]);
    conn.Exec(("PRAGMA application_id=" + std::to_string(kApplicationId) + ";").c_str());
    conn.Exec(("PRAGMA user_version=" + std::to_string(kSchemaVersion) + ";").c_str());
    conn.Exec("COMMIT");
  } catch (const StorageError& e) {
    try {
      conn.Exec("ROLLBACK");
    } catch (...) {
    }
    throw StorageError("cannot initialise " + path + " (is it writable?): " + e.what());
  }
}

}  // namespace localddb::storage
