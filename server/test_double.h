// What makes localddb a test double, on top of the namespaces: reset, snapshots and seed data.
// Each replaces or fills one namespace atomically: requests see it entirely before or after.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "api/json.h"
#include "server/namespaces.h"
#include "storage/database_files.h"

namespace localddb::server {

// A request the test double cannot carry out; kind is the admin error's name, status its HTTP
// status (404 for an unknown snapshot, 400 for bad input).
struct TestDoubleError : std::runtime_error {
  TestDoubleError(std::string kind, int status, const std::string& message)
      : std::runtime_error(message), kind(std::move(kind)), status(status) {}
  std::string kind;
  int status;
};

struct ResetResult {
  int64_t tables = 0;  // removed (drop) or emptied (truncate)
  int64_t items = 0;   // removed
};

// drop: every table, index, stream, stream record and hook of the namespace is gone.
// truncate: tables and indexes stay with their settings (and stream ARNs stay valid); every item,
// stream record and hook position is gone. Either way O(tables): a new file, not deletes.
ResetResult Reset(NamespaceRegistry& registry, std::string_view ns, bool truncate);

struct SnapshotEntry {
  std::string name;
  storage::SnapshotInfo info;
};

// Saves the namespace's whole state (without its stream records unless asked) as snapshot `name`,
// replacing one of that name. created: the server clock's time.
SnapshotEntry SaveSnapshot(NamespaceRegistry& registry, std::string_view ns, std::string_view name, bool stream_records,
                           double created);
// Makes the namespace exactly the snapshot's state again.
void RestoreSnapshot(NamespaceRegistry& registry, std::string_view ns, std::string_view name);
std::vector<SnapshotEntry> ListSnapshots(NamespaceRegistry& registry, std::string_view ns);
bool DeleteSnapshot(NamespaceRegistry& registry, std::string_view ns, std::string_view name);
// The snapshot's file (a self-contained SQLite file --db can open); throws if there is none.
std::string SnapshotFile(NamespaceRegistry& registry, std::string_view ns, std::string_view name);

// Adds fault rules ({"rules": [...]}, see server/faults.h) to a namespace; a rule with a
// "namespace" member goes to that one instead. All or none. Returns the ids, in order.
std::vector<int64_t> AddFaultRules(NamespaceRegistry& registry, std::string_view ns, const json::Value& body);
// The same from a file (--faults).
void AddFaultRulesFromFile(NamespaceRegistry& registry, std::string_view ns, const std::string& path);

// Seed documents (see api/admin/seed.h): one file, or every *.json file of a directory in name
// order (each its own transaction). Throws TestDoubleError naming the file on a bad document.
void SeedFromPath(NamespaceRegistry& registry, std::string_view ns, const std::string& path);

}  // namespace localddb::server
