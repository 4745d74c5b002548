#include "storage/database_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "storage/storage_error.h"

namespace localddb::storage {

namespace fs = std::filesystem;

namespace {
// Whether this process may write path: access(2) answers for the real user, and says yes to root
// for any mode, so a root process also looks at the mode bits (root in a container is common,
// and SQLite would then open a 0444 file read-only without a word).
bool Writable(const std::string& path) {
  if (access(path.c_str(), W_OK) != 0) return false;
  if (geteuid() != 0) return true;
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return false;
  return (st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) != 0;
}
}  // namespace

void RequireWritable(const std::string& path) {
  const fs::path file(path);
  const std::string dir = file.has_parent_path() ? file.parent_path().string() : ".";
  std::error_code ec;
  const bool exists = fs::exists(file, ec);
  if (exists && !Writable(path))
    throw StorageError("cannot use " + path +
                           ": the file is read-only (localddb writes to its database; change the "
                           "file's permissions, or copy it elsewhere and pass that copy to --db)",
                       StorageError::Kind::kReadOnly);
  if (!Writable(dir))
    throw StorageError("cannot use " + path + ": its directory " + dir + " is not writable (SQLite keeps " +
                           file.filename().string() + "-wal and " + file.filename().string() +
                           "-shm beside the database file)",
                       StorageError::Kind::kReadOnly);
}

FileIdentity::FileIdentity(const std::string& path) : path_(path) {
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) {
    dev_ = st.st_dev;
    ino_ = st.st_ino;
  }
}

bool FileIdentity::StillThere() const {
  struct stat st {};
  return stat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_;
}

}  // namespace localddb::storage
