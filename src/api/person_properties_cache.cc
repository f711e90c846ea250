#include "api/person_properties_cache.h"

#include <utility>

namespace hoglet::api {

SharedKeptProperties PersonPropertiesCache::Find(int64_t team_id,
                                                 const std::vector<std::string>& keys,
                                                 uint64_t version) {
  return tables_.Find(team_id, version,
                      [&keys](const KeptPersonProperties& kept) { return kept.keys() == keys; });
}

void PersonPropertiesCache::Put(int64_t team_id, uint64_t version, SharedKeptProperties table) {
  // A project's tables of another version are stale, and one of the same keys is replaced.
  const std::vector<std::string> keys = table->keys();
  tables_.Put(team_id, version, std::move(table),
              [&keys](const KeptPersonProperties& kept) { return kept.keys() == keys; });
}

size_t PersonPropertiesCache::entries() const { return tables_.entries(); }

size_t PersonPropertiesCache::bytes() const { return tables_.bytes(); }

}  // namespace hoglet::api
