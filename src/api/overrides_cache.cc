#include "api/overrides_cache.h"

#include <utility>
#include <vector>

namespace hoglet::api {

StatusOr<SharedOverrides> ReadOverrides(persons::PersonStore& persons, int64_t team_id) {
  HOGLET_ASSIGN_OR_RETURN(std::vector<persons::DistinctIdMapping> mappings,
                          persons.DistinctIdOverrides(team_id));
  auto overrides = std::make_shared<query::PersonOverrides>();
  for (persons::DistinctIdMapping& mapping : mappings) {
    overrides->Set(std::move(mapping.distinct_id), mapping.person_uuid);
  }
  return SharedOverrides(std::move(overrides));
}

StatusOr<SharedOverrides> OverridesCache::Get(int64_t team_id) {
  const uint64_t version = persons_.OverridesVersion(team_id);
  {
    std::lock_guard lock(mu_);
    for (auto entry = entries_.begin(); entry != entries_.end(); ++entry) {
      if (entry->team_id != team_id) continue;
      if (entry->version != version) {
        entries_.erase(entry);
        break;
      }
      entries_.splice(entries_.begin(), entries_, entry);
      return entry->overrides;
    }
  }
  // Read outside the lock: two queries of a changed project may both read; the later keeps its.
  HOGLET_ASSIGN_OR_RETURN(SharedOverrides overrides, ReadOverrides(persons_, team_id));
  std::lock_guard lock(mu_);
  std::erase_if(entries_, [team_id](const Entry& entry) { return entry.team_id == team_id; });
  entries_.push_front(Entry{team_id, version, overrides});
  if (entries_.size() > kMaxProjects) entries_.pop_back();
  return overrides;
}

}  // namespace hoglet::api
