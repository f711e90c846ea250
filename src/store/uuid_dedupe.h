// The set of recently stored (team_id, uuid) pairs that makes Append idempotent.
//
// Bounded: beyond `max_entries` the oldest insertions are forgotten first (FIFO), so memory stays
// at roughly 64 bytes per entry. The store fills it at open from the parts ingested within its
// dedupe window and adds every appended event (docs/event-store.md, "Dedupe window").
// Not thread-safe: the store calls it under its append mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <unordered_set>

#include "base/uuid.h"

namespace hoglet::store {

class UuidDedupe final {
 public:
  explicit UuidDedupe(size_t max_entries) : max_entries_(max_entries) {}

  bool Contains(int64_t team_id, const Uuid& uuid) const;
  // Adds the pair (no-op when present), evicting the oldest entries beyond the cap.
  void Insert(int64_t team_id, const Uuid& uuid);
  size_t size() const { return set_.size(); }
  size_t max_entries() const { return max_entries_; }

 private:
  struct Key {
    int64_t team_id;
    Uuid uuid;
    friend bool operator==(const Key& a, const Key& b) {
      return a.team_id == b.team_id && a.uuid == b.uuid;
    }
  };
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };

  size_t max_entries_;
  std::unordered_set<Key, KeyHash> set_;
  std::deque<Key> order_;  // insertion order, for eviction
};

}  // namespace hoglet::store
