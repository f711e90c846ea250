// A map from UUIDs to 32-bit numbers for lookups in hot loops, the numbers inline in the slots:
// a lookup touches one slot (where base/uuid_map.h touches a slot, then its value apart), and a
// batch of lookups can fetch the slots it will need ahead of time (Prefetch), so that a scan
// asking for thousands of persons at random waits for memory once per batch rather than once per
// person. Open addressing with linear probing, at most half full.
//
// Example:
//   UuidIndex index;
//   index.Insert(person, 3);
//   for (size_t i = 0; i < n; ++i) {
//     if (i + 8 < n) index.Prefetch(persons[i + 8]);
//     std::optional<uint32_t> found = index.Find(persons[i]);
//   }
//
// No erase. Not thread-safe to write; the const methods may be called from any number of threads
// once it is no longer written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/uuid.h"

namespace hoglet {

class UuidIndex {
 public:
  // The number of `key`, if present.
  std::optional<uint32_t> Find(const Uuid& key) const {
    if (slots_.empty()) return std::nullopt;
    const Slot& slot = slots_[SlotOf(key)];
    if (slot.value_plus_one == 0) return std::nullopt;
    return slot.value_plus_one - 1;
  }
  // Adds `key` with `value` (below 2^32 - 1) unless present; whether it was added.
  bool Insert(const Uuid& key, uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    Slot& slot = slots_[SlotOf(key)];
    if (slot.value_plus_one != 0) return false;
    slot = Slot{key, value + 1};
    ++size_;
    return true;
  }
  // Starts bringing the first slot `key` probes into the cache.
  void Prefetch(const Uuid& key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[HashOf(key) & (slots_.size() - 1)]);
  }
  size_t size() const { return size_; }
  // The heap the slots take.
  size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    Uuid key;
    uint32_t value_plus_one = 0;  // 0: empty
  };

  static size_t HashOf(const Uuid& key) {
    const uint64_t high = key.HighWord();
    const uint64_t low = key.LowWord();
    return static_cast<size_t>((high ^ (low * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL >>
                               17);
  }
  // The slot holding `key`, or the empty one where it would go.
  size_t SlotOf(const Uuid& key) const {
    const size_t mask = slots_.size() - 1;
    for (size_t i = HashOf(key) & mask;; i = (i + 1) & mask) {
      if (slots_[i].value_plus_one == 0 || slots_[i].key == key) return i;
    }
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    for (const Slot& slot : old) {
      if (slot.value_plus_one != 0) slots_[SlotOf(slot.key)] = slot;
    }
  }

  std::vector<Slot> slots_;  // a power of two, at most half full
  size_t size_ = 0;
};

}  // namespace hoglet
