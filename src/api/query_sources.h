// What a query reads from the person and metadata stores besides persons (query_persons.h):
// groups' current properties, cohorts, the project's test-account filters and actions. Shared
// by every query kind that narrows events with the filter engine (query/event_rows.h).
//
// Not thread-safe: one object of each per query, used by the thread running it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "filters/filter_tree.h"
#include "flags/cohort.h"
#include "meta/meta_store.h"
#include "persons/person_store.h"
#include "query/behavioral_persons.h"
#include "query/cohort_membership.h"
#include "query/event_rows.h"
#include "query/query_budget.h"
#include "store/scan_source.h"

namespace hoglet::api {

// Groups' current properties from the person store, each group read once per query.
class StoredGroupProperties final : public query::GroupProperties {
 public:
  StoredGroupProperties(persons::PersonStore& persons, int64_t team_id)
      : persons_(persons), team_id_(team_id) {}

  StatusOr<const filters::Properties*> Of(int group_type_index, std::string_view key) override {
    std::pair<int, std::string> id(group_type_index, std::string(key));
    auto found = cache_.find(id);
    if (found != cache_.end()) return &found->second;
    HOGLET_ASSIGN_OR_RETURN(std::optional<persons::Group> stored,
                            persons_.GroupByKey(team_id_, group_type_index, key));
    filters::Properties properties;
    if (stored) {
      StatusOr<filters::Properties> parsed = filters::ParseProperties(stored->properties);
      if (parsed.ok()) properties = *std::move(parsed);
    }
    return &cache_.emplace(std::move(id), std::move(properties)).first->second;
  }

 private:
  persons::PersonStore& persons_;
  const int64_t team_id_;
  std::map<std::pair<int, std::string>, filters::Properties> cache_;
};

// The project's cohorts from the metadata store, static memberships from the person store.
class StoredCohorts final : public query::CohortSource {
 public:
  StoredCohorts(const meta::MetaStore& meta, persons::PersonStore& persons, int64_t team_id)
      : meta_(meta), persons_(persons), team_id_(team_id) {}

  StatusOr<std::optional<query::QueryCohort>> Cohort(int64_t id) override {
    StatusOr<meta::CohortRecord> record = meta_.CohortById(team_id_, id);
    if (record.status().code() == StatusCode::kNotFound) return std::nullopt;
    HOGLET_RETURN_IF_ERROR(record.status());
    query::QueryCohort cohort;
    cohort.is_static = record->is_static;
    cohort.deleted = record->deleted;
    if (!cohort.is_static) {
      HOGLET_ASSIGN_OR_RETURN(cohort.root, flags::ParseCohortFilters(record->filters_json));
    }
    return cohort;
  }

  StatusOr<std::vector<int64_t>> StaticCohortsOf(const Uuid& person) override {
    return persons_.StaticCohortsOf(team_id_, person);
  }

 private:
  const meta::MetaStore& meta_;
  persons::PersonStore& persons_;
  const int64_t team_id_;
};

// The project's test-account filters (filterTestAccounts). kInvalidArgument for a filter of a
// type queries cannot apply.
StatusOr<filters::FilterNode> TestAccountFilters(const meta::Project& project);

// The action `id` of the project. kInvalidArgument naming `id_field` for an action the project
// does not have.
StatusOr<query::ResolvedAction> ResolveAction(const meta::MetaStore& meta, int64_t team_id,
                                              int64_t id, const std::string& id_field);

// What the behavioural criteria of cohorts read in one query run (query/behavioral_persons.h):
// the project's events in `source` (null: such a criterion is kUnavailable), persons resolved
// through `overrides`, actions from the metadata store (an unknown one is kInvalidArgument naming
// the cohort filters), windows ending at `now_us`. The pointers must outlive the result.
std::unique_ptr<query::ScannedBehavior> StoredBehavior(
    const meta::MetaStore& meta, const meta::Project& project, const store::ScanSource* source,
    const query::PersonOverrides* overrides, const query::QueryBudget* budget, int64_t now_us);

}  // namespace hoglet::api
