#include "server/test_double.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "api/admin/seed.h"
#include "api/json.h"

namespace localddb::server {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSnapshotSuffix = ".sqlite";

std::string SnapshotPath(NamespaceRegistry& registry, std::string_view ns, std::string_view name) {
  if (auto why = NamespaceRegistry::Invalid(name, "snapshot"); !why.empty())
    throw TestDoubleError("InvalidSnapshotName", 400, why);
  return registry.SnapshotDir(ns) + "/" + std::string(name) + std::string(kSnapshotSuffix);
}

// Items of every table of a namespace (for what a reset or snapshot reports).
std::pair<int64_t, int64_t> CountTablesAndItems(Namespace& ns) {
  const auto tables = ns.catalog().List();
  int64_t items = 0;
  for (const auto& t : tables) items += ns.db().reader().CountSpace(t->space).first;
  return {static_cast<int64_t>(tables.size()), items};
}

}  // namespace

ResetResult Reset(NamespaceRegistry& registry, std::string_view ns, bool truncate) {
  ResetResult result;
  std::vector<storage::TableRow> rows;
  std::vector<storage::StoredHook> hooks;
  std::pair<int64_t, int64_t> counters;
  registry.Replace(
      ns,
      [&](Namespace& old) {
        std::tie(result.tables, result.items) = CountTablesAndItems(old);
        if (!truncate) return;
        rows = old.db().reader().LoadCatalog();
        hooks = old.db().reader().LoadHooks();
        counters = old.db().reader().LoadCounters();
      },
      [&](const std::string& path) {
        if (truncate) storage::CreateEmptyCopy(path, rows, hooks, counters.first, counters.second);
      });
  if (truncate) {
    // Every table and index of the new file is empty: say so, and the next reset counts nothing.
    NamespaceRegistry::Lease lease = registry.Acquire(ns);
    std::vector<int64_t> spaces;
    for (const auto& t : lease->catalog().List()) {
      spaces.push_back(t->space);
      for (const auto& i : t->indexes) spaces.push_back(i.space);
    }
    lease->db().KnowEmpty(spaces);
  }
  return result;
}

SnapshotEntry SaveSnapshot(NamespaceRegistry& registry, std::string_view ns, std::string_view name, bool stream_records,
                           double created) {
  const std::string path = SnapshotPath(registry, ns, name);
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  NamespaceRegistry::Lease lease = registry.Acquire(ns);
  // Written beside its final name and renamed: a snapshot is either the old one or the new one.
  const std::string partial = path + ".partial";
  storage::CopyDatabase(lease->db().path(), partial);
  storage::SnapshotInfo info = storage::SealSnapshot(partial, stream_records, created);
  fs::rename(partial, path);
  return {std::string(name), info};
}

void RestoreSnapshot(NamespaceRegistry& registry, std::string_view ns, std::string_view name) {
  const std::string path = SnapshotPath(registry, ns, name);
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw TestDoubleError("SnapshotNotFound", 404, "no snapshot named '" + std::string(name) + "'");
  registry.Replace(
      ns, [](Namespace&) {}, [&](const std::string& target) { fs::copy_file(path, target); });
}

std::vector<SnapshotEntry> ListSnapshots(NamespaceRegistry& registry, std::string_view ns) {
  std::vector<SnapshotEntry> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(registry.SnapshotDir(ns), ec)) {
    const std::string file = entry.path().filename().string();
    if (!file.ends_with(kSnapshotSuffix) || file.size() == kSnapshotSuffix.size()) continue;
    try {
      out.push_back({file.substr(0, file.size() - kSnapshotSuffix.size()), storage::ReadSnapshotInfo(entry.path())});
    } catch (const std::exception&) {
      // Not a readable snapshot (a stray file): not listed.
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

bool DeleteSnapshot(NamespaceRegistry& registry, std::string_view ns, std::string_view name) {
  std::error_code ec;
  return fs::remove(SnapshotPath(registry, ns, name), ec);
}

std::string SnapshotFile(NamespaceRegistry& registry, std::string_view ns, std::string_view name) {
  const std::string path = SnapshotPath(registry, ns, name);
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw TestDoubleError("SnapshotNotFound", 404, "no snapshot named '" + std::string(name) + "'");
  return path;
}

std::vector<int64_t> AddFaultRules(NamespaceRegistry& registry, std::string_view ns, const json::Value& body) {
  if (!body.IsObject() || !body.HasMember("rules") || !body["rules"].IsArray())
    throw TestDoubleError("InvalidFaultRule", 400, "expected {\"rules\": [<rule>, ...]}");
  // Grouped by namespace, each group checked on a scratch set before anything is added.
  std::vector<std::string> names;
  std::map<std::string, json::Document> groups;
  std::vector<std::pair<std::string, size_t>> order;  // (namespace, index in its group), per rule
  for (const auto& rule : body["rules"].GetArray()) {
    std::string target(ns);
    if (rule.IsObject()) {
      if (auto it = rule.FindMember("namespace"); it != rule.MemberEnd()) {
        if (!it->value.IsString()) throw TestDoubleError("InvalidFaultRule", 400, "namespace is a string");
        target = std::string(json::View(it->value));
        if (auto why = NamespaceRegistry::Invalid(target); !why.empty())
          throw TestDoubleError("InvalidNamespace", 400, why);
      }
    }
    auto [it, fresh] = groups.try_emplace(target);
    if (fresh) {
      it->second.SetObject();
      it->second.AddMember("rules", json::Value(rapidjson::kArrayType), it->second.GetAllocator());
      names.push_back(target);
    }
    json::Value copy(rule, it->second.GetAllocator());
    order.emplace_back(target, it->second["rules"].Size());
    it->second["rules"].PushBack(copy, it->second.GetAllocator());
  }
  try {
    for (const auto& name : names) FaultRules().Add(groups[name]);
  } catch (const FaultError& e) {
    throw TestDoubleError("InvalidFaultRule", 400, e.what());
  }
  std::map<std::string, std::vector<int64_t>> added;
  for (const auto& name : names) added[name] = registry.Faults(name).Add(groups[name]);
  std::vector<int64_t> ids;
  for (const auto& [name, index] : order) ids.push_back(added[name][index]);
  return ids;
}

void AddFaultRulesFromFile(NamespaceRegistry& registry, std::string_view ns, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TestDoubleError("InvalidFaultRule", 400, "faults file " + path + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  json::Document doc;
  if (json::Parse(doc, text.str()) != json::ParseStatus::kOk)
    throw TestDoubleError("InvalidFaultRule", 400, "faults file " + path + ": not a JSON document");
  try {
    AddFaultRules(registry, ns, doc);
  } catch (const TestDoubleError& e) {
    throw TestDoubleError(e.kind, e.status, "faults file " + path + ": " + e.what());
  }
}

void SeedFromPath(NamespaceRegistry& registry, std::string_view ns, const std::string& path) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec))
      if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
  } else {
    files.emplace_back(path);
  }
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw TestDoubleError("InvalidSeed", 400, "seed " + file.string() + ": cannot be read");
    std::stringstream text;
    text << in.rdbuf();
    json::Document doc;
    if (json::Parse(doc, text.str()) != json::ParseStatus::kOk)
      throw TestDoubleError("InvalidSeed", 400, "seed " + file.string() + ": not a JSON document");
    NamespaceRegistry::Lease lease = registry.Acquire(ns);
    try {
      api::ApplySeed(lease->ctx(), doc, file.string());
    } catch (const api::SeedError& e) {
      throw TestDoubleError("InvalidSeed", 400, e.what());
    }
  }
}

}  // namespace localddb::server
