#include "store/uuid_dedupe.h"

namespace hoglet::store {

size_t UuidDedupe::KeyHash::operator()(const Key& k) const {
  // UUIDv7 front bytes are a timestamp and the back bytes random: mix both halves with the team.
  uint64_t hi, lo;
  std::memcpy(&hi, k.uuid.bytes.data(), 8);
  std::memcpy(&lo, k.uuid.bytes.data() + 8, 8);
  uint64_t h =
      hi * 0x9e3779b97f4a7c15ULL ^ lo ^ static_cast<uint64_t>(k.team_id) * 0xc2b2ae3d27d4eb4fULL;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 32;
  return static_cast<size_t>(h);
}

bool UuidDedupe::Contains(int64_t team_id, const Uuid& uuid) const {
  return set_.count(Key{team_id, uuid}) != 0;
}

void UuidDedupe::Insert(int64_t team_id, const Uuid& uuid) {
  if (max_entries_ == 0) return;
  Key key{team_id, uuid};
  if (!set_.insert(key).second) return;
  order_.push_back(key);
  while (set_.size() > max_entries_) {
    set_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace hoglet::store
