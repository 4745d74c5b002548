// StorageError: a real I/O failure or corruption (never an expected outcome such as a missing
// item). Its kind lets the API layer say what the user can do about it.
#pragma once

#include <stdexcept>
#include <string>

namespace localddb::storage {

class StorageError : public std::runtime_error {
 public:
  enum class Kind {
    kOther,
    kFull,      // the disk (or the process's file size limit) is full: nothing was written
    kReadOnly,  // the file or its directory cannot be written
    kGone,      // the database file was deleted or replaced while the server ran
  };
  explicit StorageError(const std::string& message, Kind kind = Kind::kOther)
      : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace localddb::storage
