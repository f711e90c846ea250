#include "api/query_persons.h"

#include <optional>
#include <string_view>
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
    if (cache.Find(persons[i]) == nullptr) missing.push_back(persons[i]);
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

void StoredPersonProperties::KeepOnly(std::vector<std::string> keys) {
  kept_ = std::make_unique<KeptPersonProperties>(std::move(keys));
  if (cache_ != nullptr) {
    complete_ = cache_->Find(team_id_, kept_->keys(), persons_.DataVersion(team_id_));
  }
}

namespace {

const filters::Properties kNoProperties;

}  // namespace

StatusOr<const filters::Properties*> StoredPersonProperties::Of(const Uuid& person) {
  if (complete_ != nullptr) {
    // Every person of the team is there: one that is not has no record.
    const filters::Properties* found = complete_->Find(person);
    return found != nullptr ? found : &kNoProperties;
  }
  if (kept_ != nullptr) {
    if (const filters::Properties* found = kept_->Find(person)) return found;
    HOGLET_ASSIGN_OR_RETURN(std::optional<persons::Person> stored,
                            persons_.PersonByUuid(team_id_, person));
    return stored ? kept_->Add(person, stored->properties) : kept_->AddNone(person);
  }
  if (const filters::Properties* found = all_keys_.Find(person)) return found;
  HOGLET_ASSIGN_OR_RETURN(std::optional<persons::Person> stored,
                          persons_.PersonByUuid(team_id_, person));
  filters::Properties properties;
  if (stored) properties = ParsedOrNone(stored->properties);
  return all_keys_.TryEmplace(person, std::move(properties)).first;
}

Status StoredPersonProperties::Load(const std::vector<Uuid>& persons) {
  if (complete_ != nullptr) return Status::Ok();
  if (kept_ != nullptr) {
    std::vector<Uuid> missing = Missing(persons, *kept_);
    if (missing.empty()) return Status::Ok();
    HOGLET_ASSIGN_OR_RETURN(bool read_all,
                            read_all_rule_.Count(persons_, team_id_, missing.size()));
    if (read_all) return ReadAll();
    HOGLET_ASSIGN_OR_RETURN(std::vector<persons::PersonPropertiesRow> rows,
                            persons_.PersonPropertiesByUuid(team_id_, missing));
    for (const persons::PersonPropertiesRow& row : rows) kept_->Add(row.uuid, row.properties);
    // Persons without a record (personless events) have no properties; remember that too.
    for (const Uuid& person : missing) kept_->AddNone(person);
    return Status::Ok();
  }
  std::vector<Uuid> missing = Missing(persons, all_keys_);
  if (missing.empty()) return Status::Ok();
  HOGLET_ASSIGN_OR_RETURN(std::vector<persons::PersonPropertiesRow> rows,
                          persons_.PersonPropertiesByUuid(team_id_, missing));
  for (const persons::PersonPropertiesRow& row : rows) {
    if (!all_keys_.contains(row.uuid)) {
      all_keys_.TryEmplace(row.uuid, ParsedOrNone(row.properties));
    }
  }
  for (const Uuid& person : missing) all_keys_.TryEmplace(person);
  return Status::Ok();
}

Status StoredPersonProperties::OfMany(const Uuid* persons, size_t count,
                                      const filters::Properties** out) {
  if (complete_ == nullptr) return PersonProperties::OfMany(persons, count, out);
  complete_->FindMany(persons, count, out);
  // Every person of the team is there: one that is not has no record.
  for (size_t i = 0; i < count; ++i) {
    if (out[i] == nullptr) out[i] = &kNoProperties;
  }
  return Status::Ok();
}

Status StoredPersonProperties::ReadAll() {
  // Read before the persons: a change committed meanwhile makes the table one no query finds.
  const uint64_t version = persons_.DataVersion(team_id_);
  auto complete = std::make_shared<KeptPersonProperties>(kept_->keys());
  HOGLET_RETURN_IF_ERROR(persons_.ScanPersonProperties(
      team_id_, [&complete](const std::vector<persons::PersonPropertiesRow>& rows) -> Status {
        for (const persons::PersonPropertiesRow& row : rows) {
          complete->Add(row.uuid, row.properties);
        }
        return Status::Ok();
      }));
  // kept_ stays: what it handed out is still held by the scan.
  complete_ = complete;
  if (cache_ != nullptr) cache_->Put(team_id_, version, std::move(complete));
  return Status::Ok();
}

StoredPersonCreation::StoredPersonCreation(persons::PersonStore& persons, int64_t team_id,
                                           PersonCreationCache* cache)
    : persons_(persons), team_id_(team_id), cache_(cache) {
  if (cache_ != nullptr) complete_ = cache_->Find(team_id_, persons_.DataVersion(team_id_));
}

Status StoredPersonCreation::Load(const std::vector<Uuid>& persons) {
  if (complete_ != nullptr) return Status::Ok();
  std::vector<Uuid> missing = Missing(persons, read_);
  if (missing.empty()) return Status::Ok();
  HOGLET_ASSIGN_OR_RETURN(bool read_all, read_all_rule_.Count(persons_, team_id_, missing.size()));
  if (read_all) return ReadAll();
  HOGLET_ASSIGN_OR_RETURN(std::vector<persons::PersonCreatedRow> rows,
                          persons_.PersonCreatedAtByUuid(team_id_, missing));
  for (const persons::PersonCreatedRow& row : rows) read_.TryEmplace(row.uuid, row.created_at_us);
  // Persons without a record (personless events) have no creation time; remember that too.
  for (const Uuid& person : missing) read_.TryEmplace(person, std::nullopt);
  return Status::Ok();
}

Status StoredPersonCreation::ReadAll() {
  // Read before the persons: a change committed meanwhile makes the table one no query finds.
  const uint64_t version = persons_.DataVersion(team_id_);
  auto complete = std::make_shared<PersonCreationTable>();
  HOGLET_RETURN_IF_ERROR(persons_.ScanPersonCreatedAt(
      team_id_, [&complete](const std::vector<persons::PersonCreatedRow>& rows) -> Status {
        for (const persons::PersonCreatedRow& row : rows) {
          complete->TryEmplace(row.uuid, row.created_at_us);
        }
        return Status::Ok();
      }));
  complete_ = complete;
  if (cache_ != nullptr) cache_->Put(team_id_, version, std::move(complete));
  return Status::Ok();
}

StatusOr<std::optional<int64_t>> StoredPersonCreation::CreatedAtUs(const Uuid& person) {
  if (complete_ != nullptr) {
    // Every person of the team is there: one that is not has no record.
    const int64_t* found = complete_->Find(person);
    return found != nullptr ? std::optional<int64_t>(*found) : std::nullopt;
  }
  if (const std::optional<int64_t>* found = read_.Find(person)) return *found;
  HOGLET_ASSIGN_OR_RETURN(std::optional<persons::Person> stored,
                          persons_.PersonByUuid(team_id_, person));
  std::optional<int64_t> created;
  if (stored) created = stored->created_at_us;
  read_.TryEmplace(person, created);
  return created;
}

Status StoredPersonCreation::CreatedAtMany(const std::vector<Uuid>& persons,
                                           std::vector<std::optional<int64_t>>* out) {
  if (complete_ == nullptr) return PersonCreation::CreatedAtMany(persons, out);
  std::vector<const int64_t*> found(persons.size());
  complete_->FindMany(persons.data(), persons.size(), found.data());
  out->clear();
  out->reserve(persons.size());
  for (const int64_t* created : found) {
    out->push_back(created != nullptr ? std::optional<int64_t>(*created) : std::nullopt);
  }
  return Status::Ok();
}

}  // namespace hoglet::api
