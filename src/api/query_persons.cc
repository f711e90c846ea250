#include "api/query_persons.h"

#include <optional>
#include <utility>
#include <vector>

namespace hoglet::api {

StatusOr<query::PersonOverrides> LoadOverrides(persons::PersonStore& persons, int64_t team_id) {
  HOGLET_ASSIGN_OR_RETURN(std::vector<persons::DistinctIdMapping> mappings,
                          persons.DistinctIdOverrides(team_id));
  query::PersonOverrides overrides;
  for (persons::DistinctIdMapping& mapping : mappings) {
    overrides.Set(std::move(mapping.distinct_id), mapping.person_uuid);
  }
  return overrides;
}

namespace {

filters::Properties ParsedOrNone(std::string_view properties_json) {
  StatusOr<filters::Properties> parsed = filters::ParseProperties(properties_json);
  return parsed.ok() ? *std::move(parsed) : filters::Properties();
}

}  // namespace

StatusOr<const filters::Properties*> StoredPersonProperties::Of(const Uuid& person) {
  auto found = cache_.find(person);
  if (found != cache_.end()) return &found->second;
  HOGLET_ASSIGN_OR_RETURN(std::optional<persons::Person> stored,
                          persons_.PersonByUuid(team_id_, person));
  filters::Properties properties;
  if (stored) properties = ParsedOrNone(stored->properties);
  return &cache_.emplace(person, std::move(properties)).first->second;
}

Status StoredPersonProperties::Load(const std::vector<Uuid>& persons) {
  std::vector<Uuid> missing;
  for (const Uuid& person : persons) {
    if (!cache_.contains(person)) missing.push_back(person);
  }
  if (missing.empty()) return Status::Ok();
  HOGLET_ASSIGN_OR_RETURN(std::vector<persons::PersonPropertiesRow> rows,
                          persons_.PersonPropertiesByUuid(team_id_, missing));
  for (const persons::PersonPropertiesRow& row : rows) {
    cache_.try_emplace(row.uuid, ParsedOrNone(row.properties));
  }
  // Persons without a record (personless events) have no properties; remember that too.
  for (const Uuid& person : missing) cache_.try_emplace(person);
  return Status::Ok();
}

Status StoredPersonCreation::Load(const std::vector<Uuid>& persons) {
  std::vector<Uuid> missing;
  for (const Uuid& person : persons) {
    if (!cache_.contains(person)) missing.push_back(person);
  }
  if (missing.empty()) return Status::Ok();
  HOGLET_ASSIGN_OR_RETURN(std::vector<persons::PersonCreatedRow> rows,
                          persons_.PersonCreatedAtByUuid(team_id_, missing));
  for (const persons::PersonCreatedRow& row : rows) cache_.try_emplace(row.uuid, row.created_at_us);
  // Persons without a record (personless events) have no creation time; remember that too.
  for (const Uuid& person : missing) cache_.try_emplace(person, std::nullopt);
  return Status::Ok();
}

StatusOr<std::optional<int64_t>> StoredPersonCreation::CreatedAtUs(const Uuid& person) {
  auto found = cache_.find(person);
  if (found != cache_.end()) return found->second;
  HOGLET_ASSIGN_OR_RETURN(std::optional<persons::Person> stored,
                          persons_.PersonByUuid(team_id_, person));
  std::optional<int64_t> created;
  if (stored) created = stored->created_at_us;
  cache_.emplace(person, created);
  return created;
}

}  // namespace hoglet::api
