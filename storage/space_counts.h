// SpaceCounts: how many entries a space holds and the sum of their sizes, kept up to date by the
// writer so that DescribeTable's ItemCount and a reset's report cost O(1), not a walk over every
// entry of the space.
//
// A space's count is learned the first time it is asked for (one count(*) by the asking reader),
// then kept by the deltas of every committed transaction. The writer records deltas as it writes
// (Record), drops the ones of a piece of work that rolls back (Abandon), and applies the group's
// at commit (Commit) or forgets them if the commit fails (Forget). A count is only trusted once
// known and not changed while it was being learned (a per-space version guards the race).
//
// Thread safety: Record/Abandon/Keep/Commit/Forget on the writer thread; Get/Learn from any.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

namespace localddb::storage {

class SpaceCounts {
 public:
  // Writer side.
  void Record(int64_t space, int64_t entries, int64_t bytes);
  void Reset(int64_t space);    // the space was emptied (DropSpace)
  void Unknown(int64_t space);  // changed by an amount not known (index entries): learn it again
  void Keep();                  // the piece of work committed to its savepoint: its deltas join the group
  void Abandon();               // the piece of work rolled back
  void Commit();                // the group committed: its deltas apply
  void Forget();                // the group did not commit

  // Known to be empty (a new database), whatever was known.
  void KnowEmpty(int64_t space);

  // Reader side: the count if known; otherwise count() is run (outside the lock) and its answer
  // kept if nothing changed the space meanwhile.
  std::pair<int64_t, int64_t> Get(int64_t space, const std::function<std::pair<int64_t, int64_t>()>& count);

 private:
  struct Delta {
    int64_t entries = 0, bytes = 0;
    bool reset = false;    // starts from zero (a dropped space)
    bool unknown = false;  // forget what is known
  };
  struct Known {
    std::optional<std::pair<int64_t, int64_t>> value;
    uint64_t version = 0;
  };
  static void Merge(std::unordered_map<int64_t, Delta>& into, int64_t space, const Delta& d);

  std::unordered_map<int64_t, Delta> work_, group_;  // writer thread only
  std::mutex mu_;
  std::unordered_map<int64_t, Known> known_;
};

}  // namespace localddb::storage
