#include "api/person_creation_cache.h"

#include <utility>

namespace hoglet::api {

SharedCreationTable PersonCreationCache::Find(int64_t team_id, uint64_t version) {
  return tables_.Find(team_id, version, [](const PersonCreationTable&) { return true; });
}

void PersonCreationCache::Put(int64_t team_id, uint64_t version, SharedCreationTable table) {
  // The project has one table: whatever it kept is replaced.
  tables_.Put(team_id, version, std::move(table), [](const PersonCreationTable&) { return true; });
}

size_t PersonCreationCache::entries() const { return tables_.entries(); }

}  // namespace hoglet::api
