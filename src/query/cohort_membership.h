// Whether a person belongs to a cohort, as a query's cohort filter asks it
// ({"type": "cohort", "key": "id", "value": 12, "operator": "in" | "not_in"}): a static cohort by
// its stored list of persons, a dynamic one by its filters over the person's current properties
// (read as HogQL reads them, filters/property_match.h), cohorts within cohorts included. A deleted
// cohort holds nobody.
//
// One instance serves one query on one thread: each cohort is read once, and each person's static
// cohorts once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "filters/filter_tree.h"
#include "filters/property_match.h"
#include "filters/property_value.h"
#include "query/aggregate.h"

namespace hoglet::query {

struct QueryCohort {
  bool is_static = false;
  bool deleted = false;
  filters::FilterNode root;  // a dynamic cohort's filters
};

// Where cohorts and static memberships come from (the metadata and person stores).
class CohortSource {
 public:
  virtual ~CohortSource() = default;
  // nullopt when the project has no cohort with this id.
  virtual StatusOr<std::optional<QueryCohort>> Cohort(int64_t id) = 0;
  // The static cohorts that list `person`.
  virtual StatusOr<std::vector<int64_t>> StaticCohortsOf(const Uuid& person) = 0;
};

// Cohorts nest at most this deep.
inline constexpr int kMaxCohortDepth = 16;

class CohortMembership {
 public:
  CohortMembership(CohortSource* source, filters::MatchContext context)
      : source_(source), context_(context) {}

  // Whether `filter` (of type cohort) holds for `person`, whose current properties are
  // `properties`. kInvalidArgument for a cohort the project does not have, or cohorts nested
  // deeper than kMaxCohortDepth.
  StatusOr<bool> Matches(const filters::PropertyFilter& filter, const Uuid& person,
                         const filters::Properties& properties);

  // Whether `person` (current properties `properties`) belongs to cohort `cohort_id`; errors as
  // Matches.
  StatusOr<bool> InCohort(int64_t cohort_id, const Uuid& person,
                          const filters::Properties& properties) {
    return Contains(cohort_id, person, properties, 0);
  }

 private:
  StatusOr<bool> Contains(int64_t cohort_id, const Uuid& person,
                          const filters::Properties& properties, int depth);
  StatusOr<const QueryCohort*> Lookup(int64_t cohort_id);

  CohortSource* source_;
  filters::MatchContext context_;
  std::map<int64_t, QueryCohort> cohorts_;
  std::unordered_map<Uuid, std::vector<int64_t>, UuidHash> static_of_;
};

}  // namespace hoglet::query
