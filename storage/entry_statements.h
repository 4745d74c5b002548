// The prepared statements over the entries table, one set per connection. Shared by the read
// side (Reader) and the write side (WriteTxn) so both see the same SQL.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "storage/database.h"
#include "storage/sqlite.h"

namespace localddb::storage {

class EntryStatements {
 public:
  explicit EntryStatements(Connection& conn);

  std::optional<std::string> Get(int64_t space, const EntryKey& key);
  // REQUIRES: visit does not start another Scan of the same shape on this connection.
  void Scan(const Range& range, const std::function<bool(const EntryView&)>& visit);
  std::pair<int64_t, int64_t> CountSpace(int64_t space);

 protected:
  void BindKey(Statement& s, int first, const EntryKey& key);
  Connection& conn_;

 private:
  Statement& ScanStatement(const Range& range);

  Statement get_;
  Statement count_;
  // Range reads come in a few SQL shapes; each is prepared once, on first use.
  std::unordered_map<int, Statement> scans_;
};

}  // namespace localddb::storage
