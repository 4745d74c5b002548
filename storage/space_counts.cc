#include "storage/space_counts.h"

namespace localddb::storage {

void SpaceCounts::Merge(std::unordered_map<int64_t, Delta>& into, int64_t space, const Delta& d) {
  Delta& target = into[space];
  if (d.reset) target = Delta{0, 0, true, false};
  target.unknown |= d.unknown;
  target.entries += d.entries;
  target.bytes += d.bytes;
}

void SpaceCounts::Record(int64_t space, int64_t entries, int64_t bytes) {
  Delta& d = work_[space];
  d.entries += entries;
  d.bytes += bytes;
}

void SpaceCounts::Reset(int64_t space) { work_[space] = Delta{0, 0, true, false}; }

void SpaceCounts::Unknown(int64_t space) { work_[space].unknown = true; }

void SpaceCounts::Keep() {
  for (const auto& [space, d] : work_) Merge(group_, space, d);
  work_.clear();
}

void SpaceCounts::Abandon() { work_.clear(); }

void SpaceCounts::Commit() {
  std::lock_guard lock(mu_);
  for (const auto& [space, d] : group_) {
    Known& k = known_[space];
    ++k.version;
    if (d.reset) k.value = std::pair<int64_t, int64_t>{0, 0};
    if (d.unknown) k.value.reset();
    if (k.value) {
      k.value->first += d.entries;
      k.value->second += d.bytes;
    }
  }
  group_.clear();
}

void SpaceCounts::Forget() {
  work_.clear();
  group_.clear();
}

void SpaceCounts::KnowEmpty(int64_t space) {
  std::lock_guard lock(mu_);
  Known& k = known_[space];
  ++k.version;
  k.value = std::pair<int64_t, int64_t>{0, 0};
}

std::pair<int64_t, int64_t> SpaceCounts::Get(int64_t space, const std::function<std::pair<int64_t, int64_t>()>& count) {
  uint64_t version;
  {
    std::lock_guard lock(mu_);
    Known& k = known_[space];
    if (k.value) return *k.value;
    version = k.version;
  }
  const std::pair<int64_t, int64_t> counted = count();
  std::lock_guard lock(mu_);
  Known& k = known_[space];
  // Kept only if no commit touched the space while it was counted (the count may predate it).
  if (!k.value && k.version == version) k.value = counted;
  return counted;
}

}  // namespace localddb::storage
