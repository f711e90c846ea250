#include "api/cohort_members.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "api/persons_handler.h"
#include "api/query_persons.h"
#include "api/query_sources.h"
#include "meta/project_time_zone.h"
#include "query/cohort_membership.h"
#include "query/query_budget.h"

namespace hoglet::api {
namespace {

constexpr size_t kScanBatch = 500;

// The filter {"type": "cohort", "key": "id", "value": id} the query engine asks membership with.
filters::PropertyFilter InCohort(int64_t id) {
  filters::PropertyFilter filter;
  filter.type = filters::FilterType::kCohort;
  filter.type_name = "cohort";
  filter.key = "id";
  filter.value = filters::PropertyValue::Number(static_cast<double>(id), std::to_string(id));
  filter.op = filters::Operator::kIn;
  filter.operator_name = "in";
  return filter;
}

// Cohort membership of a project's persons as queries decide it, now: the stored cohorts, the
// current overrides, and the behavioural criteria scanned within the default query budget.
class ProjectMembership {
 public:
  ProjectMembership(const ApiContext& context, const meta::Project& project,
                    SharedOverrides overrides)
      : now_us_(context.clock->NowMicros()),
        source_(*context.meta, *context.persons, project.id),
        overrides_(std::move(overrides)),
        budget_(context.clock, query::kDefaultQueryTimeoutUs, nullptr),
        behavior_(StoredBehavior(*context.meta, project,
                                 context.store != nullptr ? context.store->scan_source() : nullptr,
                                 overrides_.get(), &budget_, now_us_)),
        membership_(&source_, {now_us_, meta::ProjectTimeZone(project), filters::Dialect::kHogQL},
                    behavior_.get()) {}

  // Whether cohort `id` holds `person` (its properties as stored).
  StatusOr<bool> Holds(int64_t id, const persons::Person& person) {
    StatusOr<filters::Properties> properties = filters::ParseProperties(person.properties);
    return membership_.Matches(InCohort(id), person.uuid,
                               properties.ok() ? *properties : filters::Properties());
  }

 private:
  const int64_t now_us_;
  StoredCohorts source_;
  const SharedOverrides overrides_;
  const query::QueryBudget budget_;
  std::unique_ptr<query::ScannedBehavior> behavior_;
  query::CohortMembership membership_;
};

}  // namespace

Status ForEachCohortMember(const ApiContext& context, const meta::Project& project,
                           int64_t cohort_id, const std::function<bool(persons::Person&&)>& visit) {
  HOGLET_ASSIGN_OR_RETURN(SharedOverrides overrides, LoadOverrides(context, project.id));
  ProjectMembership membership(context, project, std::move(overrides));
  for (size_t scanned = 0; scanned < kMaxScannedPersons;) {
    persons::PersonListQuery query;
    query.team_id = project.id;
    query.offset = scanned;
    query.limit = std::min(kScanBatch, kMaxScannedPersons - scanned);
    HOGLET_ASSIGN_OR_RETURN(std::vector<persons::Person> batch,
                            context.persons->ListPersons(query));
    for (persons::Person& person : batch) {
      HOGLET_ASSIGN_OR_RETURN(bool in, membership.Holds(cohort_id, person));
      if (in && !visit(std::move(person))) return Status::Ok();
    }
    if (batch.size() < query.limit) break;
    scanned += batch.size();
  }
  return Status::Ok();
}

StatusOr<std::vector<meta::CohortRecord>> CohortsOfPerson(const ApiContext& context,
                                                          const meta::Project& project,
                                                          const persons::Person& person) {
  HOGLET_ASSIGN_OR_RETURN(SharedOverrides overrides, LoadOverrides(context, project.id));
  ProjectMembership membership(context, project, std::move(overrides));
  HOGLET_ASSIGN_OR_RETURN(std::vector<meta::CohortRecord> cohorts,
                          context.meta->ListCohorts(project.id, /*include_deleted=*/false));
  std::vector<meta::CohortRecord> holding;
  for (meta::CohortRecord& cohort : cohorts) {
    StatusOr<bool> in = membership.Holds(cohort.id, person);
    if (!in.ok() && in.status().code() != StatusCode::kInvalidArgument) return in.status();
    if (in.ok() && *in) holding.push_back(std::move(cohort));
  }
  return holding;
}

std::optional<CohortCounts::Count> CohortCounts::Last(int64_t team_id, int64_t cohort_id) const {
  std::lock_guard lock(mu_);
  auto found = counts_.find({team_id, cohort_id});
  if (found == counts_.end()) return std::nullopt;
  return found->second;
}

void CohortCounts::Put(int64_t team_id, int64_t cohort_id, Count count) {
  std::lock_guard lock(mu_);
  counts_[{team_id, cohort_id}] = std::move(count);
}

StatusOr<std::string> CohortCountInputs(const ApiContext& context, int64_t team_id) {
  const store::ScanSource* source =
      context.store != nullptr ? context.store->scan_source() : nullptr;
  // Behavioural criteria are relative to now ("in the last 30 days"): a count is a minute's.
  std::string inputs = std::to_string(context.clock->NowMicros() / 60'000'000);
  inputs += "/" + std::to_string(context.persons->DataVersion(team_id));
  inputs += "/" + std::to_string(source != nullptr ? source->DataVersion(team_id) : 0);
  HOGLET_ASSIGN_OR_RETURN(std::vector<meta::CohortRecord> cohorts,
                          context.meta->ListCohorts(team_id, /*include_deleted=*/true));
  for (const meta::CohortRecord& cohort : cohorts) {
    inputs += "/" + std::to_string(cohort.id) + ":" + std::to_string(cohort.version);
  }
  return inputs;
}

StatusOr<CohortCounts::Count> CountCohort(const ApiContext& context, const meta::Project& project,
                                          int64_t cohort_id) {
  // Read before counting: a change made while counting makes the next read count again.
  HOGLET_ASSIGN_OR_RETURN(std::string inputs, CohortCountInputs(context, project.id));
  if (context.cohort_counts != nullptr) {
    std::optional<CohortCounts::Count> last = context.cohort_counts->Last(project.id, cohort_id);
    if (last && last->inputs == inputs) return *last;
  }
  CohortCounts::Count count;
  count.inputs = std::move(inputs);
  count.computed_at_us = context.clock->NowMicros();
  HOGLET_RETURN_IF_ERROR(ForEachCohortMember(context, project, cohort_id, [&](persons::Person&&) {
    ++count.persons;
    return true;
  }));
  if (context.cohort_counts != nullptr) context.cohort_counts->Put(project.id, cohort_id, count);
  return count;
}

}  // namespace hoglet::api
