// An in-memory PersonStore read side for API handler tests: persons, groups, group types and
// warnings are set directly by the test. Writes through transactions are not needed by the
// handlers, so Begin() answers kInternal.
#pragma once

#include <algorithm>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "persons/person_store.h"

namespace hoglet::api::testing {

class FakePersonStore final : public persons::PersonStore {
 public:
  std::vector<persons::Person> persons;  // any order; listed newest first
  std::vector<persons::GroupType> group_types;
  std::vector<persons::Group> groups;
  std::vector<persons::IngestionWarning> warnings;
  std::vector<persons::PersonListQuery> list_queries;  // every ListPersons call
  bool fail = false;                                   // every read answers kUnavailable

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
    return erased == 0 ? NotFoundError("no such person") : Status::Ok();
  }

  StatusOr<std::vector<persons::GroupType>> GroupTypes(int64_t team_id) override {
    if (fail) return UnavailableError("person store down");
    std::vector<persons::GroupType> result;
    for (const auto& type : group_types) {
      if (type.team_id == team_id) result.push_back(type);
    }
    return result;
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
};

}  // namespace hoglet::api::testing
