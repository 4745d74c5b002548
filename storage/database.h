// Database: the SQLite file (or in-memory database) behind localddb.
//
// Threading model: ONE writer thread owns the only write connection and applies submitted work in
// arrival order, many pieces of work per SQLite transaction (group commit); every other thread
// reads through its own read-only connection (WAL mode lets readers run beside the writer and see
// only committed data). Storage knows SQL and bytes, not DynamoDB: keys arrive already encoded.
//
// Data model: every DynamoDB table and every secondary index is a "space" (an integer id) of
// entries ordered by (h, hk, rk, tk):
//   h   32-bit partition hash of hk (scan order and parallel-scan segments)
//   hk  encoded partition key,   rk  encoded sort key (empty when there is none)
//   tk  for index entries, the encoded key of the base item (keeps entries with equal index keys
//       apart); empty for base-table entries
//   size  the DynamoDB size in bytes of the (projected) item
//   ref   the item's row in the items table, where items are kept apart from the keys: a base
//         entry owns its item row; an index entry references its base item's row (readers apply
//         the index projection). Entries written by schema v2 hold their item inline (ref 0).
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "storage/storage_error.h"

namespace localddb::storage {

// Position of one entry in a space.
struct EntryKey {
  uint32_t h = 0;
  std::string hk;
  std::string rk;
  std::string tk;
};

// One entry as seen while iterating; the views are valid only during the visit call.
struct EntryView {
  uint32_t h;
  std::string_view hk, rk, tk;
  // For an index entry with ref != 0, the whole base item (not yet projected); otherwise the item
  // stored for the entry.
  std::string_view item;
  uint32_t size;
  int64_t ref;
};

struct Bound {
  std::string bytes;
  bool inclusive = true;
};

// What a range read visits, in key order (or reverse order when !forward).
struct Range {
  int64_t space = 0;
  // Only the entries of one partition (Query); otherwise the whole space (Scan).
  struct Partition {
    uint32_t h;
    std::string hk;
  };
  std::optional<Partition> partition;
  // Sort-key bounds, only with a partition.
  std::optional<Bound> rk_low, rk_high;
  // Partition-hash bounds (inclusive), only without a partition: one parallel-scan segment.
  uint32_t h_low = 0, h_high = UINT32_MAX;
  bool forward = true;
  // Resume strictly after (forward) or before (reverse) this position.
  std::optional<EntryKey> after;

  // Every entry of a space, in order.
  static Range Whole(int64_t space) {
    Range r;
    r.space = space;
    return r;
  }
};

// A catalog row: one DynamoDB table's description, kept as JSON text owned by the API layer.
struct TableRow {
  int64_t id;
  std::string name;
  std::string description;
};

// A stream hook as stored: its target, its delivery position (the last sequence number delivered),
// its settings (JSON owned by the streams layer), and how it was declared.
struct StoredHook {
  std::string table;
  std::string url;
  int64_t position = 0;
  std::string settings = "{}";
  bool paused = false;
  bool from_flag = false;  // declared by a --stream-hook flag: lives as long as the process
};

// One entry of a hook's delivery history ("delivery") or given-up batches ("failure"): JSON owned
// by the streams layer; ids grow with time across all hooks.
struct HookLogRow {
  int64_t id = 0;
  std::string hook;
  std::string kind;
  std::string entry;
};

// An on-demand backup as stored: its items are the entries of `space` (a copy of the table's base
// entries when it was made); description is JSON owned by the API layer.
struct BackupRow {
  std::string arn;
  int64_t space = 0;
  std::string description;
};

// A long-running job as stored (a table export or import): kind names the family, id is unique
// within it; description is JSON owned by the API layer.
struct JobRow {
  std::string kind;
  std::string id;
  std::string description;
};

// One change of an item in a table with point-in-time recovery on: the item before it (empty
// when it did not exist) and when it happened.
struct PitrChange {
  double time = 0;
  EntryKey key;  // base-table position (tk empty)
  std::string old_item;
  uint32_t old_size = 0;
};

// Reads through this thread's own read-only connection. Not shareable across threads.
class Reader {
 public:
  virtual ~Reader() = default;
  // The item of the entry with exactly this key, if any.
  virtual std::optional<std::string> Get(int64_t space, const EntryKey& key) = 0;
  // Visits entries of the range in order until visit returns false or the range ends.
  // All visits of one call see one consistent snapshot.
  virtual void Scan(const Range& range, const std::function<bool(const EntryView&)>& visit) = 0;
  // Runs reads in one read transaction: every Get and Scan they make sees the same committed
  // state, as TransactGetItems needs (separate Gets may each see a later commit). Not nestable.
  virtual void InSnapshot(const std::function<void()>& reads) = 0;
  // Number of entries and the sum of their sizes.
  virtual std::pair<int64_t, int64_t> CountSpace(int64_t space) = 0;
  virtual std::vector<TableRow> LoadCatalog() = 0;

  // Stream records of one stream with seq > after_seq, in order, until visit returns false.
  virtual void ReadStream(int64_t stream, int64_t after_seq,
                          const std::function<bool(int64_t seq, double created, std::string_view record)>& visit) = 0;
  // The lowest and highest sequence number held for a stream; {0, 0} if it holds none.
  virtual std::pair<int64_t, int64_t> StreamBounds(int64_t stream) = 0;
  virtual std::vector<StoredHook> LoadHooks() = 0;
  // Every hook's history, oldest first.
  virtual std::vector<HookLogRow> LoadHookLog() = 0;
  virtual std::vector<BackupRow> LoadBackups() = 0;
  // Every job of one kind, ordered by id.
  virtual std::vector<JobRow> LoadJobs(std::string_view kind) = 0;
  // The id and sequence-number counters (never reused: a file rebuilt from this one keeps them).
  virtual std::pair<int64_t, int64_t> LoadCounters() = 0;
};

// The write side, used only on the writer thread inside Database::Submit work.
class WriteTxn {
 public:
  virtual ~WriteTxn() = default;
  virtual std::optional<std::string> Get(int64_t space, const EntryKey& key) = 0;
  // Inserts or replaces the base-table entry at key (key.tk empty) and its item; returns the
  // item's ref, for the index entries that point at it.
  virtual int64_t Put(int64_t space, const EntryKey& key, std::string_view item, uint32_t size) = 0;
  // Inserts or replaces an index entry (key.tk = the base key) referencing the base item `ref`;
  // size is the projected item's size. ref 0 stores inline_item instead (a base entry from v2).
  virtual void PutIndex(int64_t space, const EntryKey& key, uint32_t size, int64_t ref,
                        std::string_view inline_item = {}) = 0;
  // Removes the entry at key if present (and, for a base entry, its item); returns whether one was removed.
  virtual bool Delete(int64_t space, const EntryKey& key) = 0;
  // Same scan as Reader::Scan, seeing this transaction's own writes (index backfill).
  virtual void Scan(const Range& range, const std::function<bool(const EntryView&)>& visit) = 0;
  // Removes every entry of a space (DeleteTable, deleting an index).
  virtual void DropSpace(int64_t space) = 0;

  // Catalog. Ids are never reused, for tables and index spaces alike.
  virtual int64_t AllocateId() = 0;
  virtual void PutTable(const TableRow& row) = 0;  // insert or replace by id
  virtual void DeleteTable(int64_t id) = 0;

  // Streams. Sequence numbers are global and only grow.
  virtual int64_t NextSequenceNumber() = 0;
  virtual void AppendStreamRecord(int64_t stream, int64_t seq, double created, std::string_view record) = 0;
  // Removes records created before the cutoff (retention).
  virtual void TrimStreams(double created_before) = 0;
  virtual void DropStream(int64_t stream) = 0;
  // TTL: when the base entry at key (of space) expires, in whole seconds since the epoch.
  virtual void PutExpiry(int64_t space, int64_t expires, const EntryKey& key) = 0;
  virtual void DeleteExpiry(int64_t space, int64_t expires, const EntryKey& key) = 0;
  // Entries of space expiring in [from, before), earliest first, at most limit of them, with when.
  virtual std::vector<std::pair<int64_t, EntryKey>> Expired(int64_t space, int64_t from, int64_t before,
                                                            int64_t limit) = 0;
  virtual void DropExpiries(int64_t space) = 0;
  // Inserts or replaces the hook of (table, url).
  virtual void PutHook(const StoredHook& hook) = 0;
  // Removes the hook of (table, url), and the history of the hook with that id.
  virtual void DeleteHook(std::string_view table, std::string_view url, std::string_view id) = 0;
  // Inserts or replaces a history entry, then keeps only the newest `keep` of its hook and kind.
  virtual void PutHookLog(const HookLogRow& row, int64_t keep) = 0;

  // Backups (the caller copies the items into the backup's space and drops it on delete).
  virtual void PutBackup(const BackupRow& row) = 0;
  virtual void DeleteBackup(std::string_view arn) = 0;
  // Whether the backup is still there (a restore checks it in its own transaction: a DeleteBackup
  // or the sweeper may have dropped it since the restore read it).
  virtual bool HasBackup(std::string_view arn) = 0;
  // Jobs: inserts or replaces the job of (kind, id).
  virtual void PutJob(const JobRow& row) = 0;
  // Point-in-time recovery: record a change; visit the changes made after `after`, newest first;
  // forget those older than `before` (retention), or all of a space's.
  virtual void AppendPitr(int64_t space, const PitrChange& change) = 0;
  virtual void ReadPitrAfter(int64_t space, double after, const std::function<void(const PitrChange&)>& visit) = 0;
  virtual void TrimPitr(double before) = 0;
  virtual void DropPitr(int64_t space) = 0;
};

// How much of the database file each reading thread maps by default (--mmap-mib).
inline constexpr int64_t kDefaultMmapBytes = int64_t{256} << 20;

struct Options {
  // The SQLite file. With in_memory and no path, a file in a private tmpfs directory, removed
  // at Close.
  std::string path;
  // No durability asked for (synchronous=OFF): the file lives in memory (tmpfs).
  bool in_memory = false;
  // fsync on every commit (synchronous=FULL). Without it, a commit survives a crash of the process
  // (kill -9) but not necessarily a power loss (WAL with synchronous=NORMAL).
  bool fsync = false;
  // Most pieces of work one transaction takes before committing.
  int max_group = 256;
  // How much of the file each reading thread maps into memory (SQLite's mmap_size; 0: none).
  // Mapped pages are read without a system call or a copy (a Scan of 100 items made ~96 preads
  // without it). They are the kernel's page cache, clean and shared: they count in the process's
  // resident size but can be dropped by the kernel at any time, unlike the page caches' copies.
  int64_t mmap_bytes = kDefaultMmapBytes;
};

class Database {
 public:
  // Work runs on the writer thread. If it throws, only its own writes are rolled back (each piece
  // runs in a SAVEPOINT) and the exception is handed to its Done.
  using Work = std::function<void(WriteTxn&)>;
  // Called on the writer thread once the transaction holding the work has committed (nullptr), or
  // with the work's exception, or with a StorageError if the commit failed.
  using Done = std::function<void(std::exception_ptr)>;

  // Opens or creates the database, migrating an older schema; throws StorageError with a clear
  // message for an unwritable, corrupt or too-new file. Starts the writer thread.
  static std::unique_ptr<Database> Open(const Options& options);
  virtual ~Database() = default;

  virtual void Submit(Work work, Done done) = 0;
  // Submit and wait: for tests, start-up and administrative paths, never for request threads.
  void Write(Work work);

  // This thread's reader (created on first use).
  virtual Reader& reader() = 0;

  // Called on the writer thread after every successful commit (e.g. to wake stream delivery).
  // Set once, before concurrent use.
  virtual void SetCommitListener(std::function<void()> listener) = 0;

  // Finishes queued work, stops the writer, checkpoints and closes every connection.
  virtual void Close() = 0;
  // Close for a database about to be deleted or replaced: finishes queued work and closes, without
  // copying the WAL back (it is thrown away) and without checking the file is still there.
  virtual void Discard() = 0;

  // Tells the entry counts (Reader::CountSpace) that these spaces are empty, so they need not be
  // counted: for a database just created from another's catalog (a truncate reset).
  virtual void KnowEmpty(const std::vector<int64_t>& spaces) = 0;

  // This database's file (the tmpfs file for an in-memory database).
  virtual const std::string& path() const = 0;

  // WAL checkpoints run since the database was opened.
  virtual uint64_t Checkpoints() const = 0;
};

}  // namespace localddb::storage
