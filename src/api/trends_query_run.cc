#include "api/trends_query_run.h"

#include <simdjson.h>

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/query_persons.h"
#include "base/json_writer.h"
#include "flags/cohort.h"
#include "meta/project_time_zone.h"
#include "query/aggregate.h"
#include "query/cohort_membership.h"
#include "query/query_budget.h"
#include "query/trends_insight.h"
#include "query/trends_query_parser.h"
#include "query/trends_result_json.h"
#include "query/trends_runner.h"

namespace hoglet::api {
namespace {

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

StatusOr<filters::FilterNode> TestAccountFilters(const meta::Project& project) {
  filters::FilterTreeOptions options;
  options.filter.default_type = filters::FilterType::kEvent;
  options.root_name = "the project's test_account_filters";
  HOGLET_ASSIGN_OR_RETURN(filters::FilterNode node,
                          filters::ParseFilterTree(project.test_account_filters, options));
  Status unsupported = Status::Ok();
  filters::ForEachFilter(node, [&](const filters::PropertyFilter& filter) {
    if (unsupported.ok() && filter.type != filters::FilterType::kEvent &&
        filter.type != filters::FilterType::kPerson &&
        filter.type != filters::FilterType::kCohort && filter.type != filters::FilterType::kGroup) {
      unsupported = InvalidArgumentError(
          "filterTestAccounts: the project's test account filter on '" + filter.key +
              "' is of type '" + filter.type_name +
              "', which this server cannot apply to trends yet; remove it or set "
              "filterTestAccounts to false",
          "unsupported");
    }
  });
  HOGLET_RETURN_IF_ERROR(unsupported);
  return node;
}

// The actions the ActionsNode series name. kInvalidArgument naming the series for an action the
// project does not have, or one whose steps need what queries cannot read yet.
Status ResolveActions(const meta::MetaStore& meta, int64_t team_id,
                      const query::TrendsQuery& trends, query::TrendsContext* run) {
  for (size_t index = 0; index < trends.series.size(); ++index) {
    const std::optional<int64_t>& id = trends.series[index].action_id;
    if (!id || run->actions.contains(*id)) continue;
    const std::string field = "query.series[" + std::to_string(index) + "]";
    StatusOr<meta::ActionRecord> record = meta.ActionById(team_id, *id);
    if (record.status().code() == StatusCode::kNotFound) {
      return InvalidArgumentError(
          field + ".id: action " + std::to_string(*id) + " does not exist in this project",
          "invalid_input");
    }
    HOGLET_RETURN_IF_ERROR(record.status());
    HOGLET_ASSIGN_OR_RETURN(query::ActionSteps steps,
                            query::ParseActionSteps(record->steps_json, "steps"));
    for (size_t step = 0; step < steps.size(); ++step) {
      if (!steps[step].element_conditions.empty()) {
        return InvalidArgumentError(
            field + ": action " + std::to_string(*id) + " ('" + record->name + "') step " +
                std::to_string(step) + " matches autocapture elements (" +
                steps[step].element_conditions.front() + "), which this server cannot query yet",
            "unsupported");
      }
    }
    run->actions[*id] = {record->name, record->deleted, std::move(steps)};
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::string> RunTrendsQuery(const ApiContext& context, const meta::Project& project,
                                     std::string_view spec_json,
                                     const std::atomic<bool>& cancelled) {
  simdjson::dom::parser parser;
  simdjson::dom::element spec;
  if (parser.parse(spec_json.data(), spec_json.size()).get(spec) != simdjson::SUCCESS) {
    return InvalidArgumentError("query: must be a JSON object", "invalid_input");
  }
  HOGLET_ASSIGN_OR_RETURN(query::TrendsQuery trends, query::ParseTrendsQuery(spec));
  const store::ScanSource* source = context.store->scan_source();
  if (source == nullptr) {
    return UnavailableError("this server's event store cannot be queried by the embedded engine");
  }
  query::TrendsContext run;
  run.clock.now_us = context.clock->NowMicros();
  run.clock.zone = meta::ProjectTimeZone(project);
  run.clock.week_start =
      project.week_start_day == 1 ? query::WeekStart::kMonday : query::WeekStart::kSunday;
  if (trends.date_range.date_from == "all") {
    HOGLET_ASSIGN_OR_RETURN(run.clock.first_event_us, source->FirstEventTime(project.id));
  }
  if (trends.filter_test_accounts) {
    HOGLET_ASSIGN_OR_RETURN(run.test_account_filters, TestAccountFilters(project));
  }
  HOGLET_ASSIGN_OR_RETURN(query::PersonOverrides overrides,
                          LoadOverrides(*context.persons, project.id));
  run.overrides = &overrides;
  query::QueryBudget budget(context.clock, query::kDefaultQueryTimeoutUs, &cancelled);
  run.budget = &budget;
  StoredPersonProperties person_properties(*context.persons, project.id);
  run.person_properties = &person_properties;
  StoredGroupProperties group_properties(*context.persons, project.id);
  run.group_properties = &group_properties;
  HOGLET_RETURN_IF_ERROR(ResolveActions(*context.meta, project.id, trends, &run));
  StoredCohorts stored_cohorts(*context.meta, *context.persons, project.id);
  query::CohortMembership cohorts(&stored_cohorts,
                                  {run.clock.now_us, run.clock.zone, filters::Dialect::kHogQL});
  run.cohorts = &cohorts;
  HOGLET_ASSIGN_OR_RETURN(query::TrendsAnswer answer,
                          query::AnswerTrends(trends, run, *source, project.id));
  const query::DateRange& range = answer.range;

  JsonWriter w;
  w.BeginObject();
  w.Key("results");
  query::WriteTrendsResults(trends, answer, &w);
  w.Key("hasMore");
  w.Bool(answer.result.has_more);
  w.Key("resolved_date_range");
  w.BeginObject();
  w.Key("date_from");
  w.String(range.FromIso());
  w.Key("date_to");
  w.String(range.ToIso());
  w.EndObject();
  w.Key("timezone");
  w.String(run.clock.zone.name());
  w.Key("timings");
  w.BeginArray();
  w.EndArray();
  w.Key("hogql");
  w.Null();
  w.Key("modifiers");
  w.BeginObject();
  w.Key("personsOnEventsMode");
  w.String("person_id_override_properties_joined");
  w.EndObject();
  w.Key("error");
  w.Null();
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace hoglet::api
