// Whole database files: copies (snapshots, exports), files rebuilt from another's catalog
// (truncate), and removing a file with its WAL. Used by reset, snapshots and namespaces; they run
// while no writer has the destination open.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "storage/database.h"

namespace localddb::storage {

// What a snapshot file says about itself (kept in its meta table).
struct SnapshotInfo {
  double created = 0;  // seconds since the epoch, by the server clock
  int64_t tables = 0;
  int64_t items = 0;
  int64_t bytes = 0;  // the file's size
};

// Copies the database at source (it may be in use: the copy is one consistent read) into a new,
// self-contained file at dest (no WAL beside it), which --db can open.
void CopyDatabase(const std::string& source, const std::string& dest);

// Turns a copy into a snapshot: without its stream records unless keep_stream_records, with what
// it holds (its tables and items, counted in the copy itself) recorded in it. Returns the info.
SnapshotInfo SealSnapshot(const std::string& path, bool keep_stream_records, double created);
SnapshotInfo ReadSnapshotInfo(const std::string& path);

// A new database file at path holding these tables (their catalog rows, spaces unchanged) and no
// items or stream records; hooks kept at position 0; the counters continued (ids and sequence
// numbers are never reused).
void CreateEmptyCopy(const std::string& path, const std::vector<TableRow>& tables, const std::vector<StoredHook>& hooks,
                     int64_t next_id, int64_t next_seq);

// Removes the file and its -wal and -shm; no error if they are not there. The names are free at
// once; the space of large files is given back in the background (freeing a big file's blocks
// took milliseconds a reset does not need to wait for).
void RemoveDatabaseFiles(const std::string& path);

}  // namespace localddb::storage
