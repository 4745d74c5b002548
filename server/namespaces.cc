#include "server/namespaces.h"

#include <algorithm>
#include <cstdio>

#include "common/log.h"
#include "storage/database_files.h"
#include "storage/memory_dir.h"

namespace localddb::server {

namespace fs = std::filesystem;

namespace {
constexpr std::string_view kFileSuffix = ".sqlite";
}  // namespace

// --- one namespace --------------------------------------------------------------------------------

Namespace::Namespace(std::string name, const std::string& path, const NamespaceOptions& options,
                     const std::vector<streams::HookSpec>& hooks, FaultRules& faults)
    : name_(std::move(name)), faults_(faults) {
  storage::Options storage_options;
  storage_options.path = path;
  storage_options.in_memory = options.in_memory;
  storage_options.fsync = options.fsync;
  storage_options.mmap_bytes = options.mmap_bytes;
  db_ = storage::Database::Open(storage_options);
  catalog_.Load(db_->reader());
  ServerClock* clock = options.clock;
  ctx_ = std::make_unique<api::Context>(
      api::Context{*db_, catalog_,
                   api::Settings{options.region, NamespaceRegistry::AccountId(name_),
                                 !options.s3_dir.empty() ? options.s3_dir
                                 : options.in_memory     ? std::string()
                                                         : options.db_path + ".s3"},
                   clock ? api::Clock([clock] { return clock->Now(); }) : api::Clock(api::SystemClock)});
  hooks_ = std::make_unique<streams::HookDispatcher>(*ctx_, options.hooks);
  db_->SetCommitListener([d = hooks_.get()] { d->Notify(); });
  hooks_->Start(hooks);
}

Namespace::~Namespace() {
  if (discarded_) return;
  hooks_->Stop();
  db_->Close();
}

void Namespace::Discard() {
  discarded_ = true;
  hooks_->Stop();
  db_->Discard();
}

// --- the registry ---------------------------------------------------------------------------------

NamespaceRegistry::NamespaceRegistry(NamespaceOptions options) : options_(std::move(options)) {
  if (options_.in_memory) memory_dir_ = storage::MakeMemoryDir();
  // The default namespace opens now: a database that cannot be used stops the server at start-up.
  auto slot = SlotFor(kDefault, true);
  std::lock_guard lock(slot->mu);
  slot->ns = Open(kDefault);
}

NamespaceRegistry::~NamespaceRegistry() {
  for (const auto& slot : Slots()) {
    std::lock_guard slot_lock(slot->mu);
    slot->ns.reset();
  }
  slots_.clear();
  if (!memory_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(memory_dir_, ec);
  }
}

std::string NamespaceRegistry::Invalid(std::string_view name, std::string_view what) {
  const std::string a = "a " + std::string(what) + " name";
  if (name.empty()) return a + " may not be empty";
  if (name.size() > 64) return a + " has at most 64 characters";
  if (name.front() == '.') return a + " may not start with '.'";
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
          c == '.'))
      return a + " has only letters, digits, '_', '-' and '.'";
  return {};
}

std::string NamespaceRegistry::AccountId(std::string_view name) {
  if (name == kDefault) return "000000000000";
  // FNV-1a: stable across runs and builds, so a namespace's ARNs are too.
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%012llu", static_cast<unsigned long long>(h % 1000000000000ull));
  return std::string(buf) == "000000000000" ? "000000000001" : buf;
}

std::string NamespaceRegistry::PathOf(const std::string& name) const {
  if (options_.in_memory) return (memory_dir_ / (name + std::string(kFileSuffix))).string();
  if (name == kDefault) return options_.db_path;
  return options_.db_path + ".namespaces/" + name + std::string(kFileSuffix);
}

FaultRules& NamespaceRegistry::Faults(std::string_view name) {
  std::lock_guard lock(faults_mu_);
  auto it = faults_.find(name);
  if (it == faults_.end()) it = faults_.emplace(std::string(name), std::make_unique<FaultRules>()).first;
  return *it->second;
}

std::string NamespaceRegistry::SnapshotDir(std::string_view name) const {
  fs::path base = !options_.snapshot_dir.empty() ? fs::path(options_.snapshot_dir)
                  : options_.in_memory           ? memory_dir_ / "snapshots"
                                                 : fs::path(options_.db_path + ".snapshots");
  return (base / std::string(name)).string();
}

std::unique_ptr<Namespace> NamespaceRegistry::Open(const std::string& name) {
  const std::string path = PathOf(name);
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  return std::make_unique<Namespace>(
      name, path, options_, name == kDefault ? options_.default_hooks : std::vector<streams::HookSpec>{}, Faults(name));
}

std::shared_ptr<NamespaceRegistry::Slot> NamespaceRegistry::SlotFor(const std::string& name, bool create) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(name);
  if (it != slots_.end()) return it->second;
  if (!create) return nullptr;
  return slots_.emplace(name, std::make_shared<Slot>()).first->second;
}

NamespaceRegistry::Lease NamespaceRegistry::LeaseOn(const std::shared_ptr<Slot>& slot) {
  // REQUIRES: slot->mu held, slot->ns open, no replacement under way.
  ++slot->leases;
  return Lease(slot->ns.get(), [slot](Namespace*) {
    std::lock_guard lock(slot->mu);
    if (--slot->leases == 0) slot->cv.notify_all();
  });
}

NamespaceRegistry::Lease NamespaceRegistry::Acquire(std::string_view name) {
  if (auto why = Invalid(name); !why.empty()) throw NamespaceError(why);
  const std::string key(name);
  for (;;) {
    auto slot = SlotFor(key, true);
    std::unique_lock lock(slot->mu);
    slot->cv.wait(lock, [&] { return !slot->replacing; });
    if (slot->removed) continue;  // removed meanwhile: start over with a new slot
    if (!slot->ns) slot->ns = Open(key);
    return LeaseOn(slot);
  }
}

std::vector<std::shared_ptr<NamespaceRegistry::Slot>> NamespaceRegistry::Slots() {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<Slot>> slots;
  for (const auto& [name, slot] : slots_) slots.push_back(slot);
  return slots;
}

std::vector<std::string> NamespaceRegistry::OpenNames() {
  std::vector<std::pair<std::string, std::shared_ptr<Slot>>> slots;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, slot] : slots_) slots.emplace_back(name, slot);
  }
  std::vector<std::string> names;
  for (const auto& [name, slot] : slots) {
    std::lock_guard slot_lock(slot->mu);
    if (slot->ns) names.push_back(name);
  }
  return names;
}

NamespaceRegistry::Lease NamespaceRegistry::Find(std::string_view name) {
  if (!Invalid(name).empty()) return nullptr;
  if (auto slot = SlotFor(std::string(name), false)) {
    std::unique_lock lock(slot->mu);
    slot->cv.wait(lock, [&] { return !slot->replacing; });
    if (slot->ns) return LeaseOn(slot);
  }
  std::error_code ec;
  if (!fs::exists(PathOf(std::string(name)), ec)) return nullptr;
  return Acquire(name);
}

std::vector<std::string> NamespaceRegistry::Names() {
  std::vector<std::string> names;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, slot] : slots_) names.push_back(name);
  }
  const fs::path dir = options_.in_memory ? memory_dir_ : fs::path(options_.db_path + ".namespaces");
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string file = entry.path().filename().string();
    if (file.size() > kFileSuffix.size() && file.ends_with(kFileSuffix))
      names.push_back(file.substr(0, file.size() - kFileSuffix.size()));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

void NamespaceRegistry::Replace(std::string_view name, const std::function<void(Namespace& old)>& before_close,
                                const std::function<void(const std::string& path)>& lay_down) {
  if (auto why = Invalid(name); !why.empty()) throw NamespaceError(why);
  const std::string key(name);
  auto slot = SlotFor(key, true);
  std::unique_lock lock(slot->mu);
  slot->cv.wait(lock, [&] { return !slot->replacing; });
  slot->replacing = true;  // from here on, new requests wait
  slot->cv.wait(lock, [&] { return slot->leases == 0; });
  std::unique_ptr<Namespace> old = std::move(slot->ns);
  lock.unlock();

  std::exception_ptr failure;
  try {
    if (!old) old = Open(key);
    before_close(*old);
  } catch (...) {
    // Nothing is replaced: the namespace goes on as it was.
    lock.lock();
    slot->ns = std::move(old);
    slot->replacing = false;
    slot->cv.notify_all();
    throw;
  }
  const std::string path = PathOf(key);
  try {
    old->Discard();
    old.reset();
    storage::RemoveDatabaseFiles(path);
    lay_down(path);
  } catch (...) {
    failure = std::current_exception();
  }
  std::unique_ptr<Namespace> fresh;
  try {
    fresh = Open(key);
  } catch (...) {
    // What was laid down cannot be opened: start the namespace empty rather than leave it closed.
    Log(LogLevel::kError, "namespace " + key + ": the replacement could not be opened; starting it empty");
    if (!failure) failure = std::current_exception();
    storage::RemoveDatabaseFiles(path);
    fresh = Open(key);
  }
  lock.lock();
  slot->ns = std::move(fresh);
  slot->replacing = false;
  slot->cv.notify_all();
  lock.unlock();
  if (failure) std::rethrow_exception(failure);
}

bool NamespaceRegistry::Remove(std::string_view name) {
  if (!Invalid(name).empty() || name == kDefault) return false;
  const std::string key(name);
  auto slot = SlotFor(key, false);
  std::error_code ec;
  const bool on_disk = fs::exists(PathOf(key), ec);
  if (!slot && !on_disk) return false;
  if (slot) {
    std::unique_lock lock(slot->mu);
    slot->cv.wait(lock, [&] { return !slot->replacing; });
    slot->replacing = true;
    slot->cv.wait(lock, [&] { return slot->leases == 0; });
    if (slot->ns) slot->ns->Discard();
    slot->ns.reset();
    slot->removed = true;
    slot->replacing = false;
    slot->cv.notify_all();
    lock.unlock();  // before mu_: see the lock order in namespaces.h
    std::lock_guard map_lock(mu_);
    if (auto it = slots_.find(key); it != slots_.end() && it->second == slot) slots_.erase(it);
  }
  storage::RemoveDatabaseFiles(PathOf(key));
  fs::remove_all(SnapshotDir(key), ec);
  {
    std::lock_guard faults_lock(faults_mu_);
    if (auto it = faults_.find(key); it != faults_.end()) it->second->Clear();
  }
  return true;
}

}  // namespace localddb::server
