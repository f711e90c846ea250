#include "query/result_cache.h"

#include <utility>

namespace hoglet::query {
namespace {

size_t SizeOf(const std::string& key, const CachedAnswer& answer) {
  return key.size() + answer.json.size();
}

}  // namespace

std::optional<CachedAnswer> ResultCache::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = index_.find(key);
  if (found == index_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, found->second);
  return found->second->answer;
}

void ResultCache::Put(const std::string& key, CachedAnswer answer) {
  const size_t size = SizeOf(key, answer);
  if (size > max_bytes_) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (auto found = index_.find(key); found != index_.end()) {
    bytes_ -= SizeOf(key, found->second->answer);
    lru_.erase(found->second);
    index_.erase(found);
  }
  while (!lru_.empty() && bytes_ + size > max_bytes_) {
    bytes_ -= SizeOf(lru_.back().key, lru_.back().answer);
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
  lru_.push_front({key, std::move(answer)});
  index_[key] = lru_.begin();
  bytes_ += size;
}

size_t ResultCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

}  // namespace hoglet::query
