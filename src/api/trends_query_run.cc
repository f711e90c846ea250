#include "api/trends_query_run.h"

#include <simdjson.h>

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/hogql_math.h"
#include "api/query_persons.h"
#include "api/query_response.h"
#include "api/query_sources.h"
#include "api/trends_hogql.h"
#include "base/json_writer.h"
#include "flags/cohort.h"
#include "meta/project_time_zone.h"
#include "query/aggregate.h"
#include "query/cohort_membership.h"
#include "query/person_keys_read.h"
#include "query/query_budget.h"
#include "query/query_json.h"
#include "query/trends_insight.h"
#include "query/trends_query_parser.h"
#include "query/trends_result_json.h"
#include "query/trends_runner.h"

namespace hoglet::api {
namespace {

// The actions the ActionsNode series name, with the field naming each.
std::vector<std::pair<int64_t, std::string>> SeriesActions(const query::TrendsQuery& trends) {
  std::vector<std::pair<int64_t, std::string>> actions;
  for (size_t index = 0; index < trends.series.size(); ++index) {
    const std::optional<int64_t>& id = trends.series[index].action_id;
    if (id) actions.emplace_back(*id, "query.series[" + std::to_string(index) + "].id");
  }
  return actions;
}

}  // namespace

TrendsRun::TrendsRun(const ApiContext& context, const meta::Project& project,
                     const std::atomic<bool>& cancelled)
    : api_(context),
      project_(project),
      budget_(context.clock, query::kDefaultQueryTimeoutUs, &cancelled),
      person_properties_(*context.persons, project.id, context.person_properties),
      group_properties_(*context.persons, project.id),
      stored_cohorts_(*context.meta, *context.persons, project.id),
      cohorts_(&stored_cohorts_, {context.clock->NowMicros(), meta::ProjectTimeZone(project),
                                  filters::Dialect::kHogQL}) {}

Status TrendsRun::Prepare(const query::TrendsQuery& trends) {
  HOGLET_RETURN_IF_ERROR(
      Prepare(trends.date_range, trends.filter_test_accounts, SeriesActions(trends)));
  // Each person's properties are read for the keys the query reads, when it says which.
  if (std::optional<std::vector<std::string>> keys =
          query::PersonKeysRead(trends, run_.test_account_filters)) {
    person_properties_.KeepOnly(*std::move(keys));
  }
  if (trends.breakdown) {
    for (int64_t id : trends.breakdown->cohorts) {
      if (id == query::kAllUsersCohort || run_.cohort_names.contains(id)) continue;
      StatusOr<meta::CohortRecord> cohort = api_.meta->CohortById(project_.id, id);
      if (cohort.status().code() == StatusCode::kNotFound) {
        return InvalidArgumentError("query.breakdownFilter.breakdown: cohort " +
                                        std::to_string(id) + " does not exist in this project",
                                    "invalid_input");
      }
      HOGLET_RETURN_IF_ERROR(cohort.status());
      run_.cohort_names[id] = cohort->name;
    }
  }
  return Status::Ok();
}

Status TrendsRun::Prepare(const query::DateRangeSpec& date_range, bool filter_test_accounts,
                          const std::vector<std::pair<int64_t, std::string>>& actions) {
  source_ = api_.store->scan_source();
  if (source_ == nullptr) {
    return UnavailableError("this server's event store cannot be queried by the embedded engine");
  }
  run_.clock.now_us = api_.clock->NowMicros();
  run_.clock.zone = meta::ProjectTimeZone(project_);
  run_.clock.week_start =
      project_.week_start_day == 1 ? query::WeekStart::kMonday : query::WeekStart::kSunday;
  if (date_range.date_from == "all") {
    HOGLET_ASSIGN_OR_RETURN(run_.clock.first_event_us, source_->FirstEventTime(project_.id));
  }
  if (filter_test_accounts) {
    HOGLET_ASSIGN_OR_RETURN(run_.test_account_filters, TestAccountFilters(project_));
  }
  HOGLET_ASSIGN_OR_RETURN(overrides_, LoadOverrides(api_, project_.id));
  run_.overrides = overrides_.get();
  run_.budget = &budget_;
  run_.scan_threads = api_.query_threads;
  run_.person_properties = &person_properties_;
  run_.group_properties = &group_properties_;
  behavior_ =
      StoredBehavior(*api_.meta, project_, source_, overrides_.get(), &budget_, run_.clock.now_us);
  cohorts_.SetBehaviorSource(behavior_.get());
  run_.cohorts = &cohorts_;
  hogql_context_.zone = run_.clock.zone;
  hogql_context_.now_us = run_.clock.now_us;
  hogql_context_.week_mode = project_.week_start_day == 1 ? 3 : 0;
  hogql_context_.overrides = overrides_.get();
  hogql_context_.person_properties = &person_properties_;
  hogql_ = std::make_unique<hogql::RowExpressionCompiler>(&hogql_context_, project_.id);
  run_.hogql = hogql_.get();
  hogql_filters_ = std::make_unique<query::HogQLFilters>(hogql_.get());
  run_.hogql_filters = hogql_filters_.get();
  for (const auto& [id, field] : actions) {
    if (run_.actions.contains(id)) continue;
    HOGLET_ASSIGN_OR_RETURN(run_.actions[id], ResolveAction(*api_.meta, project_.id, id, field));
  }
  run_.hogql_math = [this](const query::HogQLMathSeries& series) {
    hogql::HogQLRunContext hogql;
    hogql.zone = run_.clock.zone;
    hogql.now_us = run_.clock.now_us;
    hogql.week_mode = project_.week_start_day == 1 ? 3 : 0;
    hogql.overrides = overrides_.get();
    hogql.person_properties = &person_properties_;
    hogql.check = [this] { return budget_.Check(); };
    return RunHogQLMath(series, hogql, *source_, project_.id);
  };
  return Status::Ok();
}

void WriteInsightResponseFields(const query::DateRange& range, const TimeZone& zone, JsonWriter* w,
                                const std::optional<std::string>& hogql) {
  w->Key("resolved_date_range");
  w->BeginObject();
  w->Key("date_from");
  w->String(range.FromIso());
  w->Key("date_to");
  w->String(range.ToIso());
  w->EndObject();
  w->Key("timezone");
  w->String(zone.name());
  if (hogql) {
    w->Key("hogql");
    w->String(*hogql);
  }
  WriteQueryClosing({.null_hogql = !hogql, .timezone = std::nullopt}, w);
}

StatusOr<std::string> RunTrendsQuery(const ApiContext& context, const meta::Project& project,
                                     std::string_view spec_json,
                                     const std::atomic<bool>& cancelled) {
  simdjson::dom::parser parser;
  HOGLET_ASSIGN_OR_RETURN(simdjson::dom::element spec, ParseQuerySpec(parser, spec_json));
  HOGLET_ASSIGN_OR_RETURN(query::TrendsQuery trends, query::ParseTrendsQuery(spec));
  TrendsRun prepared(context, project, cancelled);
  HOGLET_RETURN_IF_ERROR(prepared.Prepare(trends));
  const query::TrendsContext& run = prepared.context();
  const store::ScanSource* source = prepared.source();
  HOGLET_ASSIGN_OR_RETURN(query::TrendsAnswer answer,
                          query::AnswerTrends(trends, run, *source, project.id));
  const query::DateRange& range = answer.range;

  JsonWriter w;
  w.BeginObject();
  w.Key("results");
  query::WriteTrendsResults(trends, answer, &w);
  w.Key("hasMore");
  w.Bool(answer.result.has_more);
  WriteInsightResponseFields(range, run.clock.zone, &w,
                             TrendsHogQL(trends, range, run.test_account_filters));
  return std::move(w).Take();
}

}  // namespace hoglet::api
