// A bounded in-memory cache in front of the persons database, so the common event (a known
// distinct id, no property change) costs no SQL at all.
//
// Two LRU maps, each holding at most `capacity` entries and about `max_bytes` bytes (a person's
// properties text can be hundreds of KiB, so the entry count alone does not bound memory):
//   distinct ids  (team, distinct_id) → the person uuid it maps to, or "no person" (a negative
//                 entry), plus whether the id is known to have been used personless;
//   persons       (team, uuid) → the person row (distinct_ids left empty).
//
// Coherence is the owner's job: SqlitePersonStore writes through on every write of a
// transaction and erases every key the transaction touched when it rolls back, so the cache
// never holds a value the database does not (or will not, at commit) hold. The cache assumes it
// is the only writer of its database file.
//
// Thread safety: mutation needs external serialisation (the store's write mutex); the counters
// read by Stats() are atomics and may be read from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/uuid.h"
#include "persons/person.h"

namespace hoglet::persons {

struct DistinctIdEntry {
  std::optional<Uuid> person;      // nullopt: known to map to no person
  std::optional<bool> personless;  // nullopt: not looked up yet
};

struct PersonCacheStats {
  size_t distinct_id_entries = 0;
  size_t person_entries = 0;
  size_t approximate_bytes = 0;  // keys, values and per-entry container overhead
  uint64_t hits = 0;
  uint64_t misses = 0;
};

class PersonCache final {
 public:
  explicit PersonCache(size_t capacity, size_t max_bytes = SIZE_MAX)
      : capacity_(capacity), max_bytes_(max_bytes) {}

  // The entry for a distinct id (refreshing its recency), if cached.
  const DistinctIdEntry* FindDistinctId(int64_t team_id, std::string_view distinct_id);
  void PutDistinctId(int64_t team_id, std::string_view distinct_id, DistinctIdEntry entry);
  void EraseDistinctId(int64_t team_id, std::string_view distinct_id);

  const Person* FindPerson(int64_t team_id, const Uuid& uuid);
  void PutPerson(const Person& person);
  void ErasePerson(int64_t team_id, const Uuid& uuid);

  void Clear();
  PersonCacheStats Stats() const;

 private:
  template <typename Value>
  struct Lru {
    struct Node {
      std::string key;
      Value value;
      size_t bytes;
    };
    std::list<Node> order;  // most recent first
    std::unordered_map<std::string_view, typename std::list<Node>::iterator> index;
    size_t bytes = 0;  // sum of the nodes' bytes
  };

  template <typename Value>
  Value* Find(Lru<Value>& lru, const std::string& key);
  template <typename Value>
  void Put(Lru<Value>& lru, std::string key, Value value, size_t value_bytes);
  template <typename Value>
  void Erase(Lru<Value>& lru, const std::string& key);

  const size_t capacity_;
  const size_t max_bytes_;  // per map
  Lru<DistinctIdEntry> distinct_ids_;
  Lru<Person> persons_;
  std::atomic<size_t> distinct_count_{0};
  std::atomic<size_t> person_count_{0};
  std::atomic<size_t> bytes_{0};
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace hoglet::persons
