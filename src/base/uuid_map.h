// A map from UUIDs to values for lookups in hot loops: the keys in a base/uuid_index.h (open
// addressing, a lookup touches one slot, usually one cache line, where a node-based map touches a
// bucket, a node and its key), the values apart in a deque so that a pointer to one stays valid
// as the map grows. Persons' properties and creation times are read through one, once per event
// of a scan.
//
// No erase. Not thread-safe.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "base/uuid.h"
#include "base/uuid_index.h"

namespace hoglet {

template <typename T>
class UuidMap {
 public:
  // The value of `key`; null when absent.
  T* Find(const Uuid& key) {
    std::optional<uint32_t> index = index_.Find(key);
    return index ? &values_[*index] : nullptr;
  }
  const T* Find(const Uuid& key) const { return const_cast<UuidMap*>(this)->Find(key); }
  // Find for each of keys[0, count), into out[i]. The keys are looked up a few at a time: their
  // slots fetched from memory together, then their values, so that a batch of keys at random
  // waits for memory about twice per few keys rather than twice per key.
  void FindMany(const Uuid* keys, size_t count, const T** out) const {
    constexpr size_t kAtOnce = 16;
    std::array<std::optional<uint32_t>, kAtOnce> found;
    for (size_t begin = 0; begin < count; begin += kAtOnce) {
      const size_t n = std::min(kAtOnce, count - begin);
      for (size_t i = 0; i < n; ++i) index_.Prefetch(keys[begin + i]);
      for (size_t i = 0; i < n; ++i) {
        found[i] = index_.Find(keys[begin + i]);
        if (found[i]) __builtin_prefetch(&values_[*found[i]]);
      }
      for (size_t i = 0; i < n; ++i) out[begin + i] = found[i] ? &values_[*found[i]] : nullptr;
    }
  }
  bool contains(const Uuid& key) const { return index_.Find(key).has_value(); }
  // Adds `key` with the value made of `args` unless present; the value and whether it was added.
  template <typename... Args>
  std::pair<T*, bool> TryEmplace(const Uuid& key, Args&&... args) {
    if (T* found = Find(key)) return {found, false};
    values_.emplace_back(std::forward<Args>(args)...);
    index_.Insert(key, static_cast<uint32_t>(values_.size() - 1));
    return {&values_.back(), true};
  }
  size_t size() const { return values_.size(); }
  // The heap it takes, about (the values' own heap aside).
  size_t ApproximateBytes() const { return index_.bytes() + values_.size() * sizeof(T); }

 private:
  UuidIndex index_;  // key → its value's index in values_
  std::deque<T> values_;
};

}  // namespace hoglet
