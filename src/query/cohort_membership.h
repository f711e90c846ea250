// Whether a person belongs to a cohort, as a query's cohort filter asks it
// ({"type": "cohort", "key": "id", "value": 12, "operator": "in" | "not_in"}): a static cohort by
// its stored list of persons, a dynamic one by its filters over the person's current properties
// (read as HogQL reads them, filters/property_match.h), over what the person did (behavioural
// criteria, filters/behavioral_criterion.h: performed an event or action in the last N units, so
// many times, for the first time, stopped or restarted doing it), and cohorts within cohorts. A
// deleted cohort holds nobody.
//
// PostHog precalculates dynamic cohorts into `cohortpeople` periodically; here they are evaluated
// at query time, against the query's clock, so membership never lags. A behavioural criterion is
// answered by a BehaviorSource (query/behavioral_persons.h): the set of persons it holds for,
// computed once per query by one scan of the events of its window, persons resolved as every scan
// resolves them (query/event_persons.h); each person is then a set lookup. A criterion this
// server does not evaluate (a behavioural value it does not know) is refused when the cohort is
// saved, and is kInvalidArgument naming it here.
//
// One instance serves one query on one thread: each cohort is read once, and each person's static
// cohorts once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "filters/behavioral_criterion.h"
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

using PersonSet = std::unordered_set<Uuid, UuidHash>;

// What behavioural criteria read: the events of the project.
class BehaviorSource {
 public:
  virtual ~BehaviorSource() = default;
  // The persons for whom `criterion` holds (negation aside) at the query's clock. The pointer
  // stays valid as long as this object. kInvalidArgument for an action the project does not
  // have; the store's and the query budget's errors otherwise.
  virtual StatusOr<const PersonSet*> PersonsOf(const filters::BehavioralCriterion& criterion) = 0;
};

// Cohorts nest at most this deep.
inline constexpr int kMaxCohortDepth = 16;

class CohortMembership {
 public:
  // `behavior` may be null: a cohort with a behavioural criterion is then kInvalidArgument.
  CohortMembership(CohortSource* source, filters::MatchContext context,
                   BehaviorSource* behavior = nullptr)
      : source_(source), context_(context), behavior_(behavior) {}

  // Sets what behavioural criteria read, before the first Matches.
  void SetBehaviorSource(BehaviorSource* behavior) { behavior_ = behavior; }

  // Whether `filter` (of type cohort) holds for `person`, whose current properties are
  // `properties`. kInvalidArgument for a cohort the project does not have, cohorts nested
  // deeper than kMaxCohortDepth, or a behavioural criterion this server does not evaluate (or
  // without a BehaviorSource); the BehaviorSource's errors.
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
  StatusOr<bool> Performed(const filters::PropertyFilter& leaf, const Uuid& person);

  CohortSource* source_;
  filters::MatchContext context_;
  BehaviorSource* behavior_;
  std::map<int64_t, QueryCohort> cohorts_;
  std::unordered_map<Uuid, std::vector<int64_t>, UuidHash> static_of_;
};

}  // namespace hoglet::query
