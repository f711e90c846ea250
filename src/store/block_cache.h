// Decoded column blocks kept in memory from one scan to the next: a scan that finds a block's
// column here skips its read, checksum, decompression and decoding. Parts are immutable, so an
// entry never goes stale; a part's entries go with the part (Forget, from ~Part).
//
// Bounded: at most `capacity_bytes` of decoded columns (each entry's DecodedBytes); a column larger
// than a sixteenth of the capacity is decoded for its scan and not kept. A capacity of 0 keeps
// nothing. Once full, one new column in kKeepOneIn is kept, the least recently used leaving for
// it, and the others are decoded for their scan only: a scan over more blocks than the cache holds
// would otherwise push out every column before the next scan reads it again, and keep nothing a
// repeated scan can use; this way the columns kept stay kept and serve every scan, while columns
// read often still come in over those no longer read.
//
// Thread-safe. The columns handed out are shared and immutable; a scan keeps its own reference
// for as long as it reads the block. Two scans missing the same column at once both decode it and
// one of the copies is kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "store/property_column.h"
#include "store/string_column.h"

namespace hoglet::store {

// What a decoded column holds in memory, for the cache's bound.
size_t DecodedBytes(const std::vector<int64_t>& column);
size_t DecodedBytes(const std::vector<uint32_t>& column);
size_t DecodedBytes(const std::vector<Uuid>& column);
size_t DecodedBytes(const DictStrings& column);
size_t DecodedBytes(const PropertyColumnData& column);

class BlockCache {
 public:
  explicit BlockCache(size_t capacity_bytes) : capacity_(capacity_bytes) {}
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;

  // Column `column` of block `block` of the part numbered `part` (Part::serial()), decoded by
  // `decode` when not kept. One name is one type: the caller names each column's type apart
  // ("timestamp", "property:$browser").
  template <typename T>
  StatusOr<std::shared_ptr<const T>> Get(uint64_t part, size_t block, std::string_view column,
                                         const std::function<StatusOr<T>()>& decode) {
    if (std::shared_ptr<const void> kept = Find(part, block, column)) {
      return std::static_pointer_cast<const T>(std::move(kept));
    }
    HOGLET_ASSIGN_OR_RETURN(T decoded, decode());
    const size_t bytes = DecodedBytes(decoded);
    auto shared = std::make_shared<const T>(std::move(decoded));
    Put(part, block, column, shared, bytes);
    return shared;
  }

  // Drops every column of the part numbered `part`.
  void Forget(uint64_t part);

  // Once the cache is full, one new column in this many is kept.
  static constexpr uint32_t kKeepOneIn = 32;

  size_t capacity() const { return capacity_; }
  size_t bytes() const;
  size_t entries() const;

 private:
  struct Key {
    uint64_t part = 0;
    size_t block = 0;
    std::string column;
  };
  struct KeyView {
    uint64_t part = 0;
    size_t block = 0;
    std::string_view column;
  };
  // Orders keys and views of keys alike, so that a lookup builds no string.
  struct KeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      if (a.part != b.part) return a.part < b.part;
      if (a.block != b.block) return a.block < b.block;
      return std::string_view(a.column) < std::string_view(b.column);
    }
  };
  struct Entry {
    std::shared_ptr<const void> column;
    size_t bytes = 0;
    std::list<const Key*>::iterator used;  // its place in used_
  };

  std::shared_ptr<const void> Find(uint64_t part, size_t block, std::string_view column);
  void Put(uint64_t part, size_t block, std::string_view column,
           std::shared_ptr<const void> decoded, size_t bytes);
  // Drops the entry at `it`. Requires mu_.
  void Erase(std::map<Key, Entry, KeyLess>::iterator it);

  const size_t capacity_;
  mutable std::mutex mu_;
  std::map<Key, Entry, KeyLess> entries_;  // guarded by mu_
  std::list<const Key*> used_;             // keys, most recently used first; guarded by mu_
  size_t bytes_ = 0;                       // of entries_; guarded by mu_
  uint32_t offered_when_full_ = 0;         // new columns offered to the full cache; guarded by mu_
};

}  // namespace hoglet::store
