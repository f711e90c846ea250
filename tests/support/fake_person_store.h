// An in-memory PersonStore read side for API handler and flags service tests: persons, groups,
// group types and warnings are set directly by the test. Writes through transactions are not
// needed by the readers, so Begin() answers kInternal. The feature flag state (hash key overrides,
// static cohort members) is a real in-memory store with the SQLite store's rules: writes skip
// persons that are not in `persons`, and DeletePerson drops the person's rows. Not thread-safe.
#pragma once

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "persons/person_store.h"

namespace hoglet::testing {

class FakePersonStore final : public persons::PersonStore {
 public:
  std::vector<persons::Person> persons;  // any order; listed newest first
  std::vector<persons::GroupType> group_types;
  std::vector<persons::Group> groups;
  std::vector<persons::IngestionWarning> warnings;
  std::vector<persons::PersonListQuery> list_queries;  // every ListPersons call
  // (team, person) → flag key → hash key.
  std::map<std::pair<int64_t, Uuid>, std::unordered_map<std::string, std::string>>
      hash_key_overrides;
  // (team, cohort id) → members.
  std::map<std::pair<int64_t, int64_t>, std::set<Uuid>> static_cohorts;
  int add_hash_key_override_calls = 0;   // every AddHashKeyOverrides call
  int uuid_reads = 0;                    // every PersonPropertiesByUuid call
  int scans = 0;                         // every ScanPersonProperties and ScanPersonCreatedAt call
  bool fail = false;                     // every call answers kUnavailable
  std::optional<uint64_t> data_version;  // what DataVersion answers, when set

  StatusOr<std::unique_ptr<persons::Transaction>> Begin() override {
    return InternalError("the fake person store has no transactions");
  }

  StatusOr<std::optional<persons::Person>> PersonByUuid(int64_t team_id,
                                                        const Uuid& uuid) override {
    if (fail) return UnavailableError("person store down");
    for (const auto& person : persons) {
      if (person.team_id == team_id && person.uuid == uuid) return std::optional(person);
    }
    return std::optional<persons::Person>();
  }

  StatusOr<std::vector<persons::PersonPropertiesRow>> PersonPropertiesByUuid(
      int64_t team_id, const std::vector<Uuid>& uuids) override {
    if (fail) return UnavailableError("person store down");
    ++uuid_reads;
    const std::set<Uuid> wanted(uuids.begin(), uuids.end());
    std::vector<persons::PersonPropertiesRow> rows;
    for (const auto& person : persons) {
      if (person.team_id == team_id && wanted.contains(person.uuid)) {
        rows.push_back({person.uuid, person.properties});
      }
    }
    return rows;
  }

  Status ScanPersonProperties(
      int64_t team_id,
      const std::function<Status(const std::vector<persons::PersonPropertiesRow>&)>& visit)
      override {
    if (fail) return UnavailableError("person store down");
    ++scans;
    std::vector<persons::PersonPropertiesRow> rows;
    for (const auto& person : persons) {
      if (person.team_id == team_id) rows.push_back({person.uuid, person.properties});
    }
    return rows.empty() ? Status::Ok() : visit(rows);
  }

  Status ScanPersonCreatedAt(
      int64_t team_id,
      const std::function<Status(const std::vector<persons::PersonCreatedRow>&)>& visit) override {
    if (fail) return UnavailableError("person store down");
    ++scans;
    std::vector<persons::PersonCreatedRow> rows;
    for (const auto& person : persons) {
      if (person.team_id == team_id) rows.push_back({person.uuid, person.created_at_us});
    }
    return rows.empty() ? Status::Ok() : visit(rows);
  }

  StatusOr<size_t> PersonCount(int64_t team_id) override {
    if (fail) return UnavailableError("person store down");
    return static_cast<size_t>(std::count_if(persons.begin(), persons.end(),
                                             [&](const auto& p) { return p.team_id == team_id; }));
  }

  StatusOr<std::vector<persons::PersonCreatedRow>> PersonCreatedAtByUuid(
      int64_t team_id, const std::vector<Uuid>& uuids) override {
    if (fail) return UnavailableError("person store down");
    std::vector<persons::PersonCreatedRow> rows;
    for (const auto& person : persons) {
      if (person.team_id == team_id &&
          std::find(uuids.begin(), uuids.end(), person.uuid) != uuids.end()) {
        rows.push_back({person.uuid, person.created_at_us});
      }
    }
    return rows;
  }

  StatusOr<std::optional<persons::Person>> PersonByDistinctId(
      int64_t team_id, std::string_view distinct_id) override {
    if (fail) return UnavailableError("person store down");
    for (const auto& person : persons) {
      if (person.team_id == team_id &&
          std::find(person.distinct_ids.begin(), person.distinct_ids.end(), distinct_id) !=
              person.distinct_ids.end()) {
        return std::optional(person);
      }
    }
    return std::optional<persons::Person>();
  }

  StatusOr<std::vector<persons::Person>> ListPersons(
      const persons::PersonListQuery& query) override {
    if (fail) return UnavailableError("person store down");
    list_queries.push_back(query);
    std::vector<persons::Person> matching;
    for (const auto& person : persons) {
      if (person.team_id != query.team_id) continue;
      const auto& ids = person.distinct_ids;
      if (query.distinct_id && std::find(ids.begin(), ids.end(), *query.distinct_id) == ids.end()) {
        continue;
      }
      if (query.search) {
        bool hit = person.properties.find(*query.search) != std::string::npos;
        for (const auto& id : ids) hit = hit || id.find(*query.search) != std::string::npos;
        if (!hit) continue;
      }
      matching.push_back(person);
    }
    std::sort(matching.begin(), matching.end(), [](const auto& a, const auto& b) {
      return a.created_at_us != b.created_at_us ? a.created_at_us > b.created_at_us
                                                : a.uuid.ToString() > b.uuid.ToString();
    });
    if (!query.properties.empty()) {
      if (matching.size() > query.max_scanned) matching.resize(query.max_scanned);
      std::erase_if(matching, [&](const persons::Person& person) {
        return !persons::MatchesPropertyFilters(query, person.properties);
      });
    }
    std::vector<persons::Person> page;
    for (size_t i = query.offset; i < matching.size() && page.size() < query.limit; ++i) {
      page.push_back(matching[i]);
    }
    return page;
  }

  Status DeletePerson(int64_t team_id, const Uuid& uuid) override {
    if (fail) return UnavailableError("person store down");
    auto erased = std::erase_if(persons, [&](const persons::Person& person) {
      return person.team_id == team_id && person.uuid == uuid;
    });
    if (erased == 0) return NotFoundError("no such person");
    hash_key_overrides.erase({team_id, uuid});
    for (auto& [key, members] : static_cohorts) {
      if (key.first == team_id) members.erase(uuid);
    }
    return Status::Ok();
  }

  StatusOr<std::vector<persons::GroupType>> GroupTypes(int64_t team_id) override {
    if (fail) return UnavailableError("person store down");
    std::vector<persons::GroupType> result;
    for (const auto& type : group_types) {
      if (type.team_id == team_id) result.push_back(type);
    }
    return result;
  }

  StatusOr<std::optional<persons::Group>> GroupByKey(int64_t team_id, int group_type_index,
                                                     std::string_view group_key) override {
    if (fail) return UnavailableError("person store down");
    for (const auto& group : groups) {
      if (group.team_id == team_id && group.group_type_index == group_type_index &&
          group.group_key == group_key) {
        return std::optional(group);
      }
    }
    return std::optional<persons::Group>();
  }

  StatusOr<std::vector<persons::Group>> ListGroups(int64_t team_id, int group_type_index,
                                                   size_t limit, size_t offset) override {
    if (fail) return UnavailableError("person store down");
    std::vector<persons::Group> matching;
    for (const auto& group : groups) {
      if (group.team_id == team_id && group.group_type_index == group_type_index) {
        matching.push_back(group);
      }
    }
    std::sort(matching.begin(), matching.end(),
              [](const auto& a, const auto& b) { return a.created_at_us > b.created_at_us; });
    std::vector<persons::Group> page;
    for (size_t i = offset; i < matching.size() && page.size() < limit; ++i) {
      page.push_back(matching[i]);
    }
    return page;
  }

  StatusOr<std::vector<persons::DistinctIdMapping>> DistinctIdMappings(int64_t,
                                                                       const Uuid&) override {
    return InternalError("the fake person store keeps no mapping versions");
  }

  StatusOr<std::vector<persons::DistinctIdMapping>> DistinctIdOverrides(int64_t) override {
    return std::vector<persons::DistinctIdMapping>();  // the fake never merges
  }

  StatusOr<std::unordered_map<std::string, std::string>> HashKeyOverrides(
      int64_t team_id, const Uuid& person_uuid) override {
    if (fail) return UnavailableError("person store down");
    auto found = hash_key_overrides.find({team_id, person_uuid});
    if (found == hash_key_overrides.end()) return std::unordered_map<std::string, std::string>();
    return found->second;
  }

  Status AddHashKeyOverrides(int64_t team_id, const Uuid& person_uuid,
                             const std::vector<std::string>& flag_keys,
                             std::string_view hash_key) override {
    ++add_hash_key_override_calls;
    if (fail) return UnavailableError("person store down");
    if (flag_keys.empty() || !HasPerson(team_id, person_uuid)) return Status::Ok();
    auto& overrides = hash_key_overrides[{team_id, person_uuid}];
    for (const std::string& key : flag_keys) overrides.emplace(key, std::string(hash_key));
    return Status::Ok();
  }

  StatusOr<std::vector<int64_t>> StaticCohortsOf(int64_t team_id,
                                                 const Uuid& person_uuid) override {
    if (fail) return UnavailableError("person store down");
    std::vector<int64_t> cohorts;  // ascending: the map is ordered by (team, cohort id)
    for (const auto& [key, members] : static_cohorts) {
      if (key.first == team_id && members.contains(person_uuid)) cohorts.push_back(key.second);
    }
    return cohorts;
  }

  StatusOr<size_t> AddPersonsToStaticCohort(int64_t team_id, int64_t cohort_id,
                                            const std::vector<Uuid>& person_uuids) override {
    if (fail) return UnavailableError("person store down");
    size_t added = 0;
    for (const Uuid& uuid : person_uuids) {
      if (!HasPerson(team_id, uuid)) continue;
      if (static_cohorts[{team_id, cohort_id}].insert(uuid).second) ++added;
    }
    return added;
  }

  // Tests change the fake's fields directly, so unless a test sets `data_version` every call
  // answers a new number: nothing cached from the fake is ever reused.
  uint64_t DataVersion(int64_t) const override {
    return data_version ? *data_version : ++data_version_calls_;
  }

  StatusOr<size_t> StaticCohortSize(int64_t team_id, int64_t cohort_id) override {
    if (fail) return UnavailableError("person store down");
    auto found = static_cohorts.find({team_id, cohort_id});
    return found == static_cohorts.end() ? size_t{0} : found->second.size();
  }

  StatusOr<std::vector<persons::IngestionWarning>> ListWarnings(int64_t team_id,
                                                                size_t limit) override {
    if (fail) return UnavailableError("person store down");
    std::vector<persons::IngestionWarning> result;
    for (const auto& warning : warnings) {
      if (warning.team_id == team_id) result.push_back(warning);
    }
    std::sort(result.begin(), result.end(),
              [](const auto& a, const auto& b) { return a.timestamp_us > b.timestamp_us; });
    if (result.size() > limit) result.resize(limit);
    return result;
  }

 private:
  bool HasPerson(int64_t team_id, const Uuid& uuid) const {
    return std::any_of(persons.begin(), persons.end(), [&](const persons::Person& person) {
      return person.team_id == team_id && person.uuid == uuid;
    });
  }

  mutable std::atomic<uint64_t> data_version_calls_{0};
};

}  // namespace hoglet::testing
