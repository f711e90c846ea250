// A map from UUIDs to values for lookups in hot loops: open addressing with linear probing, the
// keys inline in one array of slots (a lookup touches one slot, usually one cache line, where a
// node-based map touches a bucket, a node and its key), the values apart in a deque so that a
// pointer to one stays valid as the map grows. Persons' properties and creation times are read
// through one, once per event of a scan.
//
// No erase. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "base/uuid.h"

namespace hoglet {

template <typename T>
class UuidMap {
 public:
  // The value of `key`; null when absent.
  T* Find(const Uuid& key) {
    if (slots_.empty()) return nullptr;
    const Slot& slot = slots_[SlotOf(key)];
    return slot.index != 0 ? &values_[slot.index - 1] : nullptr;
  }
  const T* Find(const Uuid& key) const { return const_cast<UuidMap*>(this)->Find(key); }
  bool contains(const Uuid& key) const { return Find(key) != nullptr; }

  // Adds `key` with the value made of `args` unless present; the value and whether it was added.
  template <typename... Args>
  std::pair<T*, bool> TryEmplace(const Uuid& key, Args&&... args) {
    if (T* found = Find(key)) return {found, false};
    if ((values_.size() + 1) * 2 > slots_.size()) Grow();
    values_.emplace_back(std::forward<Args>(args)...);
    Slot& slot = slots_[SlotOf(key)];
    slot.key = key;
    slot.index = static_cast<uint32_t>(values_.size());
    return {&values_.back(), true};
  }

  size_t size() const { return values_.size(); }

 private:
  struct Slot {
    Uuid key;
    uint32_t index = 0;  // into values_, plus one; 0: empty
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
      if (slots_[i].index == 0 || slots_[i].key == key) return i;
    }
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    for (const Slot& slot : old) {
      if (slot.index != 0) slots_[SlotOf(slot.key)] = slot;
    }
  }

  std::vector<Slot> slots_;  // a power of two, at most half full
  std::deque<T> values_;
};

}  // namespace hoglet
