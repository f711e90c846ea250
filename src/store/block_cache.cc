#include "store/block_cache.h"

namespace hoglet::store {

size_t DecodedBytes(const std::vector<int64_t>& column) {
  return sizeof column + column.capacity() * sizeof(int64_t);
}

size_t DecodedBytes(const std::vector<uint32_t>& column) {
  return sizeof column + column.capacity() * sizeof(uint32_t);
}

size_t DecodedBytes(const std::vector<Uuid>& column) {
  return sizeof column + column.capacity() * sizeof(Uuid);
}

size_t DecodedBytes(const DictStrings& column) {
  size_t bytes = sizeof column + column.index.capacity() * sizeof(uint32_t) +
                 column.dict.capacity() * sizeof(std::string);
  for (const std::string& text : column.dict) {
    if (text.capacity() > 15) bytes += text.capacity() + 1;  // past the inline buffer
  }
  return bytes;
}

size_t DecodedBytes(const PropertyColumnData& column) { return column.MemoryBytes(); }

std::shared_ptr<const void> BlockCache::Find(uint64_t part, size_t block, std::string_view column) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(KeyView{part, block, column});
  if (it == entries_.end()) return nullptr;
  used_.splice(used_.begin(), used_, it->second.used);
  return it->second.column;
}

void BlockCache::Put(uint64_t part, size_t block, std::string_view column,
                     std::shared_ptr<const void> decoded, size_t bytes) {
  if (bytes > capacity_ / 16) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (bytes_ + bytes > capacity_ && ++offered_when_full_ % kKeepOneIn != 0) return;
  auto [it, inserted] = entries_.try_emplace(Key{part, block, std::string(column)});
  if (!inserted) return;  // another scan kept its copy first
  used_.push_front(&it->first);
  it->second = Entry{std::move(decoded), bytes, used_.begin()};
  bytes_ += bytes;
  while (bytes_ > capacity_) {
    Erase(entries_.find(*used_.back()));
  }
}

void BlockCache::Forget(uint64_t part) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.lower_bound(KeyView{part, 0, {}});
  while (it != entries_.end() && it->first.part == part) Erase(it++);
}

void BlockCache::Erase(std::map<Key, Entry, KeyLess>::iterator it) {
  bytes_ -= it->second.bytes;
  used_.erase(it->second.used);
  entries_.erase(it);
}

size_t BlockCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

size_t BlockCache::entries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace hoglet::store
