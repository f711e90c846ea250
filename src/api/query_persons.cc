#include "api/query_persons.h"

#include <simdjson.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "filters/property_value_json.h"

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

bool Kept(const std::vector<std::string>& keys, std::string_view key) {
  return std::binary_search(keys.begin(), keys.end(), key, std::less<>());
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

StatusOr<bool> ReadAllRule::Count(persons::PersonStore& persons, int64_t team_id, size_t lookups) {
  looked_up_ += lookups;
  if (looked_up_ < kCountAfterLookups) return false;
  if (!person_count_) {
    HOGLET_ASSIGN_OR_RETURN(person_count_, persons.PersonCount(team_id));
  }
  return looked_up_ * kLookupCostInScannedRows >= *person_count_;
}

filters::Properties StoredPersonProperties::Parsed(std::string_view properties_json) const {
  if (!kept_keys_) return ParsedOrNone(properties_json);
  // Only the kept members are converted: what a person-property breakdown over many persons
  // would otherwise spend building and freeing maps of every property.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(properties_json.data(), properties_json.size()).get(object) !=
      simdjson::SUCCESS) {
    // Not strict JSON (NaN, large integers…) or not an object: as ParseProperties reads it.
    filters::Properties all = ParsedOrNone(properties_json);
    std::erase_if(all, [this](const auto& member) { return !Kept(*kept_keys_, member.first); });
    return all;
  }
  filters::Properties kept;
  for (simdjson::dom::key_value_pair field : object) {
    if (!Kept(*kept_keys_, field.key)) continue;
    // A repeated key keeps its last value, as ParseProperties does.
    kept.insert_or_assign(std::string(field.key), filters::PropertyValueFromJson(field.value));
  }
  return kept;
}

StatusOr<const filters::Properties*> StoredPersonProperties::Of(const Uuid& person) {
  if (const filters::Properties* found = cache_.Find(person)) return found;
  // Once every person is read, one not read has no record.
  if (read_all_) return cache_.TryEmplace(person).first;
  HOGLET_ASSIGN_OR_RETURN(std::optional<persons::Person> stored,
                          persons_.PersonByUuid(team_id_, person));
  filters::Properties properties;
  if (stored) properties = Parsed(stored->properties);
  return cache_.TryEmplace(person, std::move(properties)).first;
}

Status StoredPersonProperties::Load(const std::vector<Uuid>& persons) {
  if (read_all_) return Status::Ok();
  std::vector<Uuid> missing = Missing(persons, cache_);
  if (missing.empty()) return Status::Ok();
  if (kept_keys_) {
    HOGLET_ASSIGN_OR_RETURN(bool read_all,
                            read_all_rule_.Count(persons_, team_id_, missing.size()));
    if (read_all) return ReadAll();
  }
  HOGLET_ASSIGN_OR_RETURN(std::vector<persons::PersonPropertiesRow> rows,
                          persons_.PersonPropertiesByUuid(team_id_, missing));
  for (const persons::PersonPropertiesRow& row : rows) {
    if (!cache_.contains(row.uuid)) cache_.TryEmplace(row.uuid, Parsed(row.properties));
  }
  // Persons without a record (personless events) have no properties; remember that too.
  for (const Uuid& person : missing) cache_.TryEmplace(person);
  return Status::Ok();
}

Status StoredPersonProperties::ReadAll() {
  HOGLET_RETURN_IF_ERROR(persons_.ScanPersonProperties(
      team_id_, [this](const std::vector<persons::PersonPropertiesRow>& rows) -> Status {
        for (const persons::PersonPropertiesRow& row : rows) {
          if (!cache_.contains(row.uuid)) cache_.TryEmplace(row.uuid, Parsed(row.properties));
        }
        return Status::Ok();
      }));
  read_all_ = true;
  return Status::Ok();
}

Status StoredPersonCreation::Load(const std::vector<Uuid>& persons) {
  if (read_all_) return Status::Ok();
  std::vector<Uuid> missing = Missing(persons, cache_);
  if (missing.empty()) return Status::Ok();
  HOGLET_ASSIGN_OR_RETURN(bool read_all, read_all_rule_.Count(persons_, team_id_, missing.size()));
  if (read_all) return ReadAll();
  HOGLET_ASSIGN_OR_RETURN(std::vector<persons::PersonCreatedRow> rows,
                          persons_.PersonCreatedAtByUuid(team_id_, missing));
  for (const persons::PersonCreatedRow& row : rows) cache_.TryEmplace(row.uuid, row.created_at_us);
  // Persons without a record (personless events) have no creation time; remember that too.
  for (const Uuid& person : missing) cache_.TryEmplace(person, std::nullopt);
  return Status::Ok();
}

Status StoredPersonCreation::ReadAll() {
  HOGLET_RETURN_IF_ERROR(persons_.ScanPersonCreatedAt(
      team_id_, [this](const std::vector<persons::PersonCreatedRow>& rows) -> Status {
        for (const persons::PersonCreatedRow& row : rows) {
          cache_.TryEmplace(row.uuid, row.created_at_us);
        }
        return Status::Ok();
      }));
  read_all_ = true;
  return Status::Ok();
}

StatusOr<std::optional<int64_t>> StoredPersonCreation::CreatedAtUs(const Uuid& person) {
  if (const std::optional<int64_t>* found = cache_.Find(person)) return *found;
  // Once every person is read, one not read has no record.
  if (read_all_) return std::optional<int64_t>();
  HOGLET_ASSIGN_OR_RETURN(std::optional<persons::Person> stored,
                          persons_.PersonByUuid(team_id_, person));
  std::optional<int64_t> created;
  if (stored) created = stored->created_at_us;
  cache_.TryEmplace(person, created);
  return created;
}

}  // namespace hoglet::api
