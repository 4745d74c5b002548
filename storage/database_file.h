// The database file as a file: refusing, before SQLite touches it, one that cannot be written
// (with a message that says why), and noticing it being deleted or replaced while we run (SQLite
// would go on writing to the unlinked file, and every acknowledged write would be lost at exit).
#pragma once

#include <sys/types.h>

#include <string>

namespace localddb::storage {

// Throws StorageError (kind kReadOnly) if the file, or its directory (where SQLite keeps the
// -wal and -shm files), cannot be written by this process.
void RequireWritable(const std::string& path);

class FileIdentity {
 public:
  // The file at path as it is now (it must exist).
  explicit FileIdentity(const std::string& path);
  // Whether path still names that same file. A stat(2): cheap, but not free, so callers check
  // at most every so often.
  bool StillThere() const;

 private:
  std::string path_;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
};

}  // namespace localddb::storage
