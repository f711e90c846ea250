#include "persons/person_cache.h"

#include <cstring>

namespace hoglet::persons {
namespace {

// Per-entry cost beyond the key and value payloads: a list node (two pointers plus the node
// struct), a hash node (pointer, hash, key view, iterator) and about one bucket pointer.
constexpr size_t kEntryOverheadBytes = 2 * sizeof(void*) + 6 * sizeof(void*) + sizeof(void*);

std::string TeamKey(int64_t team_id, std::string_view rest) {
  std::string key(sizeof(team_id), '\0');
  std::memcpy(key.data(), &team_id, sizeof(team_id));
  key.append(rest);
  return key;
}

std::string PersonKey(int64_t team_id, const Uuid& uuid) {
  return TeamKey(team_id, std::string_view(reinterpret_cast<const char*>(uuid.bytes.data()),
                                           uuid.bytes.size()));
}

size_t StringBytes(const std::string& s) {
  // Short strings live inside the object (small-string optimisation).
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

}  // namespace

template <typename Value>
Value* PersonCache::Find(Lru<Value>& lru, const std::string& key) {
  auto it = lru.index.find(key);
  if (it == lru.index.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  lru.order.splice(lru.order.begin(), lru.order, it->second);
  return &it->second->value;
}

template <typename Value>
void PersonCache::Put(Lru<Value>& lru, std::string key, Value value, size_t value_bytes) {
  if (capacity_ == 0) return;
  Erase(lru, key);
  size_t bytes =
      sizeof(typename Lru<Value>::Node) + kEntryOverheadBytes + StringBytes(key) + value_bytes;
  lru.order.push_front({std::move(key), std::move(value), bytes});
  lru.index.emplace(lru.order.front().key, lru.order.begin());
  lru.bytes += bytes;
  bytes_.fetch_add(bytes, std::memory_order_relaxed);
  // The entry just put stays even when it alone is over max_bytes_: the caller may be holding
  // on to it for the rest of the transaction.
  while (lru.order.size() > capacity_ || (lru.bytes > max_bytes_ && lru.order.size() > 1)) {
    auto& last = lru.order.back();
    lru.bytes -= last.bytes;
    bytes_.fetch_sub(last.bytes, std::memory_order_relaxed);
    lru.index.erase(last.key);
    lru.order.pop_back();
  }
}

template <typename Value>
void PersonCache::Erase(Lru<Value>& lru, const std::string& key) {
  auto it = lru.index.find(key);
  if (it == lru.index.end()) return;
  auto node = it->second;
  lru.bytes -= node->bytes;
  bytes_.fetch_sub(node->bytes, std::memory_order_relaxed);
  lru.index.erase(it);
  lru.order.erase(node);
}

const DistinctIdEntry* PersonCache::FindDistinctId(int64_t team_id, std::string_view distinct_id) {
  return Find(distinct_ids_, TeamKey(team_id, distinct_id));
}

void PersonCache::PutDistinctId(int64_t team_id, std::string_view distinct_id,
                                DistinctIdEntry entry) {
  Put(distinct_ids_, TeamKey(team_id, distinct_id), entry, 0);
  distinct_count_.store(distinct_ids_.order.size(), std::memory_order_relaxed);
}

void PersonCache::EraseDistinctId(int64_t team_id, std::string_view distinct_id) {
  Erase(distinct_ids_, TeamKey(team_id, distinct_id));
  distinct_count_.store(distinct_ids_.order.size(), std::memory_order_relaxed);
}

const Person* PersonCache::FindPerson(int64_t team_id, const Uuid& uuid) {
  return Find(persons_, PersonKey(team_id, uuid));
}

void PersonCache::PutPerson(const Person& person) {
  Person copy = person;
  copy.distinct_ids.clear();
  size_t value_bytes = StringBytes(copy.properties);
  Put(persons_, PersonKey(person.team_id, person.uuid), std::move(copy), value_bytes);
  person_count_.store(persons_.order.size(), std::memory_order_relaxed);
}

void PersonCache::ErasePerson(int64_t team_id, const Uuid& uuid) {
  Erase(persons_, PersonKey(team_id, uuid));
  person_count_.store(persons_.order.size(), std::memory_order_relaxed);
}

void PersonCache::Clear() {
  distinct_ids_.index.clear();
  distinct_ids_.order.clear();
  distinct_ids_.bytes = 0;
  persons_.index.clear();
  persons_.order.clear();
  persons_.bytes = 0;
  distinct_count_.store(0);
  person_count_.store(0);
  bytes_.store(0);
}

PersonCacheStats PersonCache::Stats() const {
  PersonCacheStats stats;
  stats.distinct_id_entries = distinct_count_.load(std::memory_order_relaxed);
  stats.person_entries = person_count_.load(std::memory_order_relaxed);
  stats.approximate_bytes = bytes_.load(std::memory_order_relaxed);
  stats.hits = hits_.load(std::memory_order_relaxed);
  stats.misses = misses_.load(std::memory_order_relaxed);
  return stats;
}

}  // namespace hoglet::persons
