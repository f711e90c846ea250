// Who is in a cohort: the project's newest kMaxScannedPersons persons (api/persons_handler.h)
// examined newest first, membership as the query engine decides it (query/cohort_membership.h:
// a static cohort's stored list, a dynamic cohort's criteria over each person's current
// properties and behaviour, cohorts within cohorts), behavioural criteria read with one scan
// of the events each and persons resolved through the current overrides, as queries do.
//
// And the cohort's `count` (PostHog's last calculation): computed when the cohort is read one
// at a time and its inputs moved since the last count, kept in CohortCounts for the list.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/api_context.h"
#include "base/status.h"
#include "meta/meta_store.h"
#include "persons/person.h"

namespace hoglet::api {

// Calls `visit` with each member, newest first, until it returns false. Errors are the stores'.
Status ForEachCohortMember(const ApiContext& context, const meta::Project& project,
                           int64_t cohort_id, const std::function<bool(persons::Person&&)>& visit);

// The project's cohorts (not deleted) that hold `person`, by id, membership decided as for
// ForEachCohortMember. A cohort whose criteria this server cannot evaluate holds nobody. Errors
// are the stores'.
StatusOr<std::vector<meta::CohortRecord>> CohortsOfPerson(const ApiContext& context,
                                                          const meta::Project& project,
                                                          const persons::Person& person);

// The last count of each cohort, with what it was computed from. Thread-safe.
class CohortCounts {
 public:
  struct Count {
    std::string inputs;  // CohortCountInputs when it was computed
    size_t persons = 0;
    int64_t computed_at_us = 0;
  };

  std::optional<Count> Last(int64_t team_id, int64_t cohort_id) const;
  void Put(int64_t team_id, int64_t cohort_id, Count count);

 private:
  mutable std::mutex mu_;
  std::map<std::pair<int64_t, int64_t>, Count> counts_;  // guarded by mu_
};

// What a cohort's membership depends on, as text: the minute (behavioural criteria count back
// from now), the versions of the project's persons, its events and every cohort of it (a cohort
// may name others). Errors are the meta store's.
StatusOr<std::string> CohortCountInputs(const ApiContext& context, int64_t team_id);

// The cohort's count: the last one when its inputs have not moved, else counted now (and kept
// when the context has CohortCounts). Errors are the stores'.
StatusOr<CohortCounts::Count> CountCohort(const ApiContext& context, const meta::Project& project,
                                          int64_t cohort_id);

}  // namespace hoglet::api
