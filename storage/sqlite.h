// Thin RAII wrappers over the SQLite C API: a connection and a prepared statement.
// Errors become StorageError with SQLite's message and the statement or path involved.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/storage_error.h"

namespace localddb::storage {

class Connection {
 public:
  // Opens path with flags (SQLITE_OPEN_*); throws StorageError naming the path on failure.
  Connection(const std::string& path, int flags);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* get() const { return db_; }
  // Runs one or more statements without results.
  void Exec(const char* sql);
  // Runs a statement that returns one integer (PRAGMA user_version, ...).
  int64_t QueryInt(const char* sql);
  [[noreturn]] void Fail(const std::string& what) const;
  // What the connection's last error means for the user; sys: the errno seen with it, if known.
  StorageError::Kind ErrorKind(int sys = 0) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Statement {
 public:
  Statement() = default;
  Statement(Connection& conn, const std::string& sql);
  ~Statement();
  Statement(Statement&& o) noexcept;
  Statement& operator=(Statement&& o) noexcept;

  // Binding (1-based), as BLOB for keys so memcmp order applies.
  void BindInt(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void BindBlob(int i, std::string_view v) {
    sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void BindText(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }

  // Steps once; true if a row is available.
  bool Step();
  // Steps to completion of a statement with no rows.
  void Run() {
    Step();
    Reset();
  }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  sqlite3_stmt* get() const { return stmt_; }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string_view Blob(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    return {static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
  }
  std::string_view Text(int col) const {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    return {reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
  }

 private:
  Connection* conn_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement when leaving a scope, so an exception never leaves it mid-step.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement& s) : s_(s) {}
  ~ResetOnExit() { s_.Reset(); }

 private:
  Statement& s_;
};

}  // namespace localddb::storage
