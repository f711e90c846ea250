#include "api/query_persons.h"

#include <optional>
#include <utility>
#include <vector>

namespace hoglet::api {

StatusOr<query::PersonOverrides> LoadOverrides(persons::PersonStore& persons, int64_t team_id) {
  HOGLET_ASSIGN_OR_RETURN(std::vector<persons::DistinctIdMapping> mappings,
                          persons.DistinctIdOverrides(team_id));
  query::PersonOverrides overrides;
  overrides.person_of.reserve(mappings.size());
  for (persons::DistinctIdMapping& mapping : mappings) {
    overrides.person_of.emplace(std::move(mapping.distinct_id), mapping.person_uuid);
  }
  return overrides;
}

StatusOr<const filters::Properties*> StoredPersonProperties::Of(const Uuid& person) {
  auto found = cache_.find(person);
  if (found != cache_.end()) return &found->second;
  HOGLET_ASSIGN_OR_RETURN(std::optional<persons::Person> stored,
                          persons_.PersonByUuid(team_id_, person));
  filters::Properties properties;
  if (stored) {
    StatusOr<filters::Properties> parsed = filters::ParseProperties(stored->properties);
    if (parsed.ok()) properties = *std::move(parsed);
  }
  return &cache_.emplace(person, std::move(properties)).first->second;
}

}  // namespace hoglet::api
