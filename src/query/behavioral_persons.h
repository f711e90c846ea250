// The persons each behavioural cohort criterion holds for (filters/behavioral_criterion.h), from
// the event store: what CohortMembership asks when a cohort says "performed $pageview 3 times in
// the last 30 days".
//
// Each criterion is computed once per query by one scan of the parts over its window (the
// criterion's span back from the query clock; all its periods for performed_event_regularly; all
// time up to now for performed_event_first_time and restarted_performing_event, which look at
// earlier events), keeping the events of its event or action that pass its event filters
// (query/event_rows.h), and for performed_event_sequence those of its second event or action
// too, each counted for the person its distinct id belongs to now (query/event_persons.h). A
// person with no such event holds no criterion: as in PostHog's cohort queries, which group the
// events by person, "performed fewer than 3 times" means once or twice.
//
// Example:
//   ScannedBehavior behavior({.source = source, .team_id = 1, .now_us = now, …});
//   CohortMembership cohorts(&stored, match, &behavior);
//
// Not thread-safe: one per query, used by the thread running it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>

#include "base/status.h"
#include "filters/behavioral_criterion.h"
#include "filters/property_match.h"
#include "query/cohort_membership.h"
#include "query/event_persons.h"
#include "query/event_rows.h"
#include "query/query_budget.h"
#include "store/scan_source.h"

namespace hoglet::query {

struct BehaviorScanContext {
  const store::ScanSource* source = nullptr;
  int64_t team_id = 0;
  int64_t now_us = 0;                          // the query clock
  const PersonOverrides* overrides = nullptr;  // may be null: stored persons are kept
  const QueryBudget* budget = nullptr;         // may be null
  filters::MatchContext match;                 // how event filters read dates and values
  // The project's action `id`: kInvalidArgument when it has none.
  std::function<StatusOr<ResolvedAction>(int64_t id)> action;
};

class ScannedBehavior final : public BehaviorSource {
 public:
  explicit ScannedBehavior(BehaviorScanContext context) : context_(std::move(context)) {}

  // Errors: the action's, the store's, the budget's.
  StatusOr<const PersonSet*> PersonsOf(const filters::BehavioralCriterion& criterion) override;

  // How many scans ran (one per distinct criterion asked), for tests.
  int scans() const { return scans_; }

 private:
  StatusOr<PersonSet> Scan(const filters::BehavioralCriterion& criterion);

  BehaviorScanContext context_;
  std::map<int64_t, ResolvedAction> actions_;
  std::map<const filters::BehavioralCriterion*, PersonSet> persons_;
  int scans_ = 0;
};

}  // namespace hoglet::query
