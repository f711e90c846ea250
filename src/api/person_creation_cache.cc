#include "api/person_creation_cache.h"

#include <utility>

namespace hoglet::api {

SharedCreationTable PersonCreationCache::Find(int64_t team_id, uint64_t version) {
  std::lock_guard lock(mu_);
  for (auto entry = entries_.begin(); entry != entries_.end(); ++entry) {
    if (entry->team_id != team_id || entry->version != version) continue;
    entries_.splice(entries_.begin(), entries_, entry);
    return entry->table;
  }
  return nullptr;
}

void PersonCreationCache::Put(int64_t team_id, uint64_t version, SharedCreationTable table) {
  const size_t bytes = table->ApproximateBytes();
  std::lock_guard lock(mu_);
  for (auto entry = entries_.begin(); entry != entries_.end();) {
    if (entry->team_id == team_id) {
      bytes_ -= entry->bytes;
      entry = entries_.erase(entry);
    } else {
      ++entry;
    }
  }
  if (bytes > kMaxBytes) return;
  entries_.push_front(Entry{team_id, version, std::move(table), bytes});
  bytes_ += bytes;
  while (entries_.size() > kMaxEntries || bytes_ > kMaxBytes) {
    bytes_ -= entries_.back().bytes;
    entries_.pop_back();
  }
}

size_t PersonCreationCache::entries() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace hoglet::api
