#include "storage/sqlite.h"

#include <cerrno>
#include <cstring>

namespace localddb::storage {

Connection::Connection(const std::string& path, int flags) : path_(path) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StorageError("cannot open database file " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() {
  if (db_) sqlite3_close_v2(db_);
}

StorageError::Kind Connection::ErrorKind(int sys) const {
  const int code = sqlite3_extended_errcode(db_);
  if (sys == 0) sys = sqlite3_system_errno(db_);
  // A write that runs out of space surfaces as SQLITE_FULL, or as an I/O error whose cause is
  // ENOSPC, EDQUOT or EFBIG (the process's file size limit).
  if ((code & 0xff) == SQLITE_FULL ||
      ((code & 0xff) == SQLITE_IOERR && (sys == ENOSPC || sys == EDQUOT || sys == EFBIG)))
    return StorageError::Kind::kFull;
  if ((code & 0xff) == SQLITE_READONLY || ((code & 0xff) == SQLITE_CANTOPEN && (sys == EACCES || sys == EROFS)))
    return StorageError::Kind::kReadOnly;
  return StorageError::Kind::kOther;
}

void Connection::Fail(const std::string& what) const {
  throw StorageError("database " + path_ + ": " + what + ": " + sqlite3_errmsg(db_), ErrorKind());
}

void Connection::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw StorageError("database " + path_ + ": " + msg + " (in: " + std::string(sql).substr(0, 80) + ")", ErrorKind());
  }
}

int64_t Connection::QueryInt(const char* sql) {
  Statement s(*this, sql);
  int64_t v = s.Step() ? s.Int(0) : 0;
  return v;
}

Statement::Statement(Connection& conn, const std::string& sql) : conn_(&conn) {
  if (sqlite3_prepare_v3(conn.get(), sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_,
                         nullptr) != SQLITE_OK)
    conn.Fail("prepare \"" + sql.substr(0, 80) + "\"");
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& o) noexcept : conn_(o.conn_), stmt_(o.stmt_) { o.stmt_ = nullptr; }

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    conn_ = o.conn_;
    stmt_ = o.stmt_;
    o.stmt_ = nullptr;
  }
  return *this;
}

bool Statement::Step() {
  errno = 0;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // SQLite reports a failed pwrite(2) as SQLITE_IOERR_WRITE without keeping its errno
  // (sqlite3_system_errno is 0), but errno itself still holds it here.
  const int sys = errno;
  std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
  const StorageError::Kind kind = conn_->ErrorKind(sys);
  const std::string message = sqlite3_errmsg(conn_->get());
  sqlite3_reset(stmt_);
  throw StorageError("database step \"" + sql.substr(0, 80) + "\": " + message +
                         (sys ? std::string(" (") + std::strerror(sys) + ")" : std::string()),
                     kind);
}

}  // namespace localddb::storage
