// Namespaces: isolated sets of tables, streams, hooks and snapshots on one server, so parallel test
// workers never see each other's tables. The default namespace is what a server without them has.
//
// Each namespace is its own SQLite file (the default: --db; others beside it, in
// "<db>.namespaces/"; all in one tmpfs directory with --in-memory), with its own writer, readers,
// catalog and hook delivery, and its own account id in ARNs. Namespaces are created on first use.
//
// A request holds a Lease on its namespace for as long as it runs (a write: until it has
// committed and answered). Reset, restore and removal replace a namespace only while no lease is
// held: they wait for the requests in flight, and requests arriving meanwhile wait for them, so
// every request sees the namespace entirely before or entirely after (ms, not seconds).
#pragma once

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/catalog/catalog.h"
#include "api/context.h"
#include "common/server_clock.h"
#include "server/faults.h"
#include "storage/database.h"
#include "streams/hook_dispatcher.h"

namespace localddb::server {

// A namespace name that cannot be used (the message says why).
struct NamespaceError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

struct NamespaceOptions {
  std::string db_path;  // the default namespace's file (--db)
  bool in_memory = false;
  bool fsync = false;
  int64_t mmap_bytes = storage::kDefaultMmapBytes;  // --mmap-mib
  std::string region = "us-east-1";
  std::string snapshot_dir;  // empty: "<db>.snapshots" (in memory: inside the tmpfs directory)
  std::string s3_dir;        // buckets of exports and imports; empty: "<db>.s3" (in memory: none)
  streams::HookOptions hooks;
  std::vector<streams::HookSpec> default_hooks;  // --stream-hook: the default namespace's
  ServerClock* clock = nullptr;
};

class Namespace {
 public:
  Namespace(std::string name, const std::string& path, const NamespaceOptions& options,
            const std::vector<streams::HookSpec>& hooks, FaultRules& faults);
  ~Namespace();  // stops hook delivery and closes the database (see Discard)
  Namespace(const Namespace&) = delete;
  Namespace& operator=(const Namespace&) = delete;

  const std::string& name() const { return name_; }
  api::Context& ctx() { return *ctx_; }
  storage::Database& db() { return *db_; }
  api::Catalog& catalog() { return catalog_; }
  streams::HookDispatcher& hooks() { return *hooks_; }
  // Its fault rules (owned by the registry: they outlive resets).
  FaultRules& faults() { return faults_; }
  // Stops hooks and closes without folding the WAL in: the file is about to go.
  void Discard();

 private:
  std::string name_;
  std::unique_ptr<storage::Database> db_;
  api::Catalog catalog_;
  std::unique_ptr<api::Context> ctx_;
  std::unique_ptr<streams::HookDispatcher> hooks_;
  FaultRules& faults_;
  bool discarded_ = false;
};

class NamespaceRegistry {
 public:
  static constexpr const char* kDefault = "default";

  // Opens the default namespace (throws StorageError as storage::Database::Open does).
  explicit NamespaceRegistry(NamespaceOptions options);
  ~NamespaceRegistry();

  // Held for one request; copies share it. The namespace stays as it is until the last copy goes.
  using Lease = std::shared_ptr<Namespace>;

  // The namespace, created on first use. Throws NamespaceError for a name that cannot be one.
  Lease Acquire(std::string_view name);
  // The namespace if it exists (open, or a file from an earlier run); nullptr otherwise.
  Lease Find(std::string_view name);
  // Every namespace: the open ones and those with a file.
  std::vector<std::string> Names();
  // Just the open ones (what background work such as TTL sweeps visits).
  std::vector<std::string> OpenNames();

  // Replaces a namespace (creating it if needed) while no request holds it: waits for leases to
  // end, calls before_close(old) so the caller can read what it needs of it, closes it, removes
  // its files, calls lay_down(path) to put the new file in place (or leave none, for an empty
  // namespace), and opens it again. Requests arriving meanwhile wait. Exceptions from the
  // callbacks propagate, after the namespace is opened again on whatever is at its path.
  void Replace(std::string_view name, const std::function<void(Namespace& old)>& before_close,
               const std::function<void(const std::string& path)>& lay_down);
  // Closes and deletes a namespace (not the default one) with its snapshots; false if none.
  bool Remove(std::string_view name);

  // A namespace's fault rules (kept across resets and restores; gone with the namespace).
  FaultRules& Faults(std::string_view name);

  // Where a namespace's snapshots are kept.
  std::string SnapshotDir(std::string_view name) const;

  // The 12-digit account id of a namespace's ARNs (the default: 000000000000).
  static std::string AccountId(std::string_view name);
  // "" if the name is valid, else why not. Snapshot names follow the same rule (what: "snapshot").
  static std::string Invalid(std::string_view name, std::string_view what = "namespace");

 private:
  // Lock order: a slot's mutex is never held while taking mu_ (mu_ may be held while taking a
  // slot's).
  struct Slot {
    std::mutex mu;
    std::condition_variable cv;
    int leases = 0;
    bool replacing = false;
    bool removed = false;  // taken out of the registry: acquirers start over
    std::unique_ptr<Namespace> ns;
  };
  std::vector<std::shared_ptr<Slot>> Slots();
  std::shared_ptr<Slot> SlotFor(const std::string& name, bool create);
  std::string PathOf(const std::string& name) const;
  std::unique_ptr<Namespace> Open(const std::string& name);
  Lease LeaseOn(const std::shared_ptr<Slot>& slot);

  NamespaceOptions options_;
  std::filesystem::path memory_dir_;  // --in-memory: every file lives here
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Slot>, std::less<>> slots_;
  std::mutex faults_mu_;  // taken alone, or last (under a slot's mutex, when opening)
  std::map<std::string, std::unique_ptr<FaultRules>, std::less<>> faults_;
};

}  // namespace localddb::server
