#include "api/query_persons.h"

#include <optional>
#include <utility>
#include <vector>

namespace hoglet::api {

StatusOr<SharedOverrides> LoadOverrides(const ApiContext& context, int64_t team_id) {
  if (context.overrides != nullptr) return context.overrides->Get(team_id);
  return ReadOverrides(*context.persons, team_id);
}

namespace {

filters::Properties ParsedOrNone(std::string_view properties_json) {
  StatusOr<filters::Properties> parsed = filters::ParseProperties(properties_json);
  return parsed.ok() ? *std::move(parsed) : filters::Properties();
}

// The persons of `persons` that `cache` does not hold. A block lists its rows' persons, whose
// events are consecutive: each run is looked up once.
template <typename Cache>
std::vector<Uuid> Missing(const std::vector<Uuid>& persons, const Cache& cache) {
  std::vector<Uuid> missing;
  for (size_t i = 0; i < persons.size(); ++i) {
    if (i > 0 && persons[i] == persons[i - 1]) continue;
    if (!cache.contains(persons[i])) missing.push_back(persons[i]);
  }
  return missing;
}

}  // namespace

StatusOr<const filters::Properties*> StoredPersonProperties::Of(const Uuid& person) {
  if (const filters::Properties* found = cache_.Find(person)) return found;
  HOGLET_ASSIGN_OR_RETURN(std::optional<persons::Person> stored,
                          persons_.PersonByUuid(team_id_, person));
  filters::Properties properties;
  if (stored) properties = ParsedOrNone(stored->properties);
  return cache_.TryEmplace(person, std::move(properties)).first;
}

Status StoredPersonProperties::Load(const std::vector<Uuid>& persons) {
  std::vector<Uuid> missing = Missing(persons, cache_);
  if (missing.empty()) return Status::Ok();
  HOGLET_ASSIGN_OR_RETURN(std::vector<persons::PersonPropertiesRow> rows,
                          persons_.PersonPropertiesByUuid(team_id_, missing));
  for (const persons::PersonPropertiesRow& row : rows) {
    cache_.TryEmplace(row.uuid, ParsedOrNone(row.properties));
  }
  // Persons without a record (personless events) have no properties; remember that too.
  for (const Uuid& person : missing) cache_.TryEmplace(person);
  return Status::Ok();
}

Status StoredPersonCreation::Load(const std::vector<Uuid>& persons) {
  std::vector<Uuid> missing = Missing(persons, cache_);
  if (missing.empty()) return Status::Ok();
  HOGLET_ASSIGN_OR_RETURN(std::vector<persons::PersonCreatedRow> rows,
                          persons_.PersonCreatedAtByUuid(team_id_, missing));
  for (const persons::PersonCreatedRow& row : rows) cache_.TryEmplace(row.uuid, row.created_at_us);
  // Persons without a record (personless events) have no creation time; remember that too.
  for (const Uuid& person : missing) cache_.TryEmplace(person, std::nullopt);
  return Status::Ok();
}

StatusOr<std::optional<int64_t>> StoredPersonCreation::CreatedAtUs(const Uuid& person) {
  if (const std::optional<int64_t>* found = cache_.Find(person)) return *found;
  HOGLET_ASSIGN_OR_RETURN(std::optional<persons::Person> stored,
                          persons_.PersonByUuid(team_id_, person));
  std::optional<int64_t> created;
  if (stored) created = stored->created_at_us;
  cache_.TryEmplace(person, created);
  return created;
}

}  // namespace hoglet::api
