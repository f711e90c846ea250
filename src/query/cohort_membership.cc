#include "query/cohort_membership.h"

#include <algorithm>
#include <string>

namespace hoglet::query {

StatusOr<bool> CohortMembership::Matches(const filters::PropertyFilter& filter, const Uuid& person,
                                         const filters::Properties& properties) {
  HOGLET_ASSIGN_OR_RETURN(
      bool in, Contains(static_cast<int64_t>(filter.value.number), person, properties, 0));
  return in != (filter.op == filters::Operator::kNotIn);
}

StatusOr<const QueryCohort*> CohortMembership::Lookup(int64_t cohort_id) {
  auto found = cohorts_.find(cohort_id);
  if (found != cohorts_.end()) return &found->second;
  HOGLET_ASSIGN_OR_RETURN(std::optional<QueryCohort> cohort, source_->Cohort(cohort_id));
  if (!cohort) {
    return InvalidArgumentError(
        "cohort " + std::to_string(cohort_id) + " does not exist in this project", "invalid_input");
  }
  return &cohorts_.emplace(cohort_id, *std::move(cohort)).first->second;
}

StatusOr<bool> CohortMembership::Performed(const filters::PropertyFilter& leaf,
                                           const Uuid& person) {
  if (leaf.behavioral == nullptr) {
    return InvalidArgumentError("cohort criterion on '" + leaf.key + "': " + leaf.behavioral_error,
                                "invalid_input");
  }
  if (behavior_ == nullptr) {
    return InvalidArgumentError("behavioral cohort criteria cannot be evaluated here",
                                "unsupported");
  }
  HOGLET_ASSIGN_OR_RETURN(const PersonSet* persons, behavior_->PersonsOf(*leaf.behavioral));
  return persons->contains(person);
}

StatusOr<bool> CohortMembership::Contains(int64_t cohort_id, const Uuid& person,
                                          const filters::Properties& properties, int depth) {
  if (depth >= kMaxCohortDepth) {
    return InvalidArgumentError("cohorts nest more than " + std::to_string(kMaxCohortDepth) +
                                    " deep (or refer to each other in a loop)",
                                "invalid_input");
  }
  HOGLET_ASSIGN_OR_RETURN(const QueryCohort* cohort, Lookup(cohort_id));
  if (cohort->deleted) return false;
  if (cohort->is_static) {
    auto found = static_of_.find(person);
    if (found == static_of_.end()) {
      HOGLET_ASSIGN_OR_RETURN(std::vector<int64_t> ids, source_->StaticCohortsOf(person));
      found = static_of_.emplace(person, std::move(ids)).first;
    }
    return std::find(found->second.begin(), found->second.end(), cohort_id) != found->second.end();
  }
  Status error = Status::Ok();
  bool matches = filters::MatchTree(cohort->root, [&](const filters::PropertyFilter& leaf) {
    if (!error.ok()) return false;
    if (leaf.type_name == "behavioral") {
      StatusOr<bool> performed = Performed(leaf, person);
      if (!performed.ok()) {
        error = performed.status();
        return false;
      }
      return *performed;
    }
    if (leaf.type != filters::FilterType::kCohort) {
      return filters::MatchProperty(leaf, properties, context_);
    }
    StatusOr<bool> in =
        Contains(static_cast<int64_t>(leaf.value.number), person, properties, depth + 1);
    if (!in.ok()) {
      error = in.status();
      return false;
    }
    return *in != (leaf.op == filters::Operator::kNotIn);
  });
  HOGLET_RETURN_IF_ERROR(error);
  return matches;
}

}  // namespace hoglet::query
