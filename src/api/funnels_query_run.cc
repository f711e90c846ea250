#include "api/funnels_query_run.h"

#include <simdjson.h>

#include <string>
#include <utility>
#include <vector>

#include "api/query_response.h"
#include "api/trends_query_run.h"
#include "base/json_writer.h"
#include "query/date_range.h"
#include "query/funnel_actors.h"
#include "query/funnels_query.h"
#include "query/funnels_query_parser.h"
#include "query/funnels_result_json.h"
#include "query/funnels_runner.h"
#include "query/query_date.h"
#include "query/query_json.h"

namespace hoglet::api {
namespace {

// The breakdown value a FunnelsActorsQuery names: a string or number, or a list of one (as
// PostHog's results give it); null for actors without a value.
StatusOr<std::optional<std::string>> ParseStepBreakdown(simdjson::dom::object root,
                                                        const std::string& field) {
  std::optional<simdjson::dom::element> value = query::Member(root, "funnelStepBreakdown");
  if (!value) return std::optional<std::string>();
  simdjson::dom::array list;
  if (value->get(list) == simdjson::SUCCESS) {
    if (list.size() != 1) {
      return query::Invalid(field, "must be one breakdown value (funnels break down by one)");
    }
    value = list.at(0).value_unsafe();
  }
  std::string_view text;
  if (value->get(text) == simdjson::SUCCESS) return std::optional<std::string>(std::string(text));
  if (value->is_null()) return std::optional<std::string>(std::string());
  if (value->is_number() || value->is_bool()) {
    return std::optional<std::string>(simdjson::minify(*value));
  }
  return query::Invalid(field, "must be a breakdown value");
}

}  // namespace

std::vector<std::pair<int64_t, std::string>> FunnelActions(const query::FunnelsQuery& funnel,
                                                           const std::string& field) {
  std::vector<std::pair<int64_t, std::string>> actions;
  for (size_t index = 0; index < funnel.steps.size(); ++index) {
    const std::optional<int64_t>& id = funnel.steps[index].action_id;
    if (id) actions.emplace_back(*id, field + ".series[" + std::to_string(index) + "].id");
  }
  for (size_t index = 0; index < funnel.exclusions.size(); ++index) {
    const std::optional<int64_t>& id = funnel.exclusions[index].node.action_id;
    if (id) {
      actions.emplace_back(*id,
                           field + ".funnelsFilter.exclusions[" + std::to_string(index) + "].id");
    }
  }
  return actions;
}

StatusOr<FunnelActorsFound> RunFunnelActors(const ApiContext& context, const meta::Project& project,
                                            simdjson::dom::element actors_query,
                                            const std::string& field,
                                            const std::atomic<bool>& cancelled) {
  simdjson::dom::object root = actors_query.get_object().value_unsafe();
  std::optional<simdjson::dom::element> source = query::Member(root, "source");
  std::string_view kind;
  if (!source || !source->is_object() || (*source)["kind"].get(kind) != simdjson::SUCCESS ||
      kind != "FunnelsQuery") {
    return query::Invalid(field + ".source", "a FunnelsActorsQuery needs its FunnelsQuery");
  }
  StatusOr<query::FunnelsQuery> funnel = query::ParseFunnelsQuery(*source);
  if (!funnel.ok()) {
    // The funnel's fields are named from the actors query ("query.source.source.series[0]…").
    std::string message = funnel.status().message();
    if (message.starts_with("query")) message = field + ".source" + message.substr(5);
    return InvalidArgumentError(message, std::string(funnel.status().reason()));
  }
  query::FunnelActorsPoint point;
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> step,
                          query::OptionalInt(root, "funnelStep", field + ".funnelStep"));
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> entrance,
                          query::OptionalString(root, "funnelTrendsEntrancePeriodStart",
                                                field + ".funnelTrendsEntrancePeriodStart"));
  HOGLET_ASSIGN_OR_RETURN(point.drop_off, query::OptionalBool(root, "funnelTrendsDropOff",
                                                              field + ".funnelTrendsDropOff"));
  if (!step && !entrance) {
    return query::Invalid(field + ".funnelStep",
                          "the step to list (or, for funnel trends, "
                          "funnelTrendsEntrancePeriodStart) is required");
  }
  point.funnel_step = step.value_or(1);
  HOGLET_ASSIGN_OR_RETURN(point.breakdown,
                          ParseStepBreakdown(root, field + ".funnelStepBreakdown"));

  TrendsRun prepared(context, project, cancelled);
  HOGLET_RETURN_IF_ERROR(prepared.Prepare(funnel->date_range, funnel->filter_test_accounts,
                                          FunnelActions(*funnel, field + ".source")));
  const query::TrendsContext& run = prepared.context();
  if (entrance) {
    const int64_t now_local = run.clock.now_us + run.clock.zone.UtcOffsetMicros(run.clock.now_us);
    HOGLET_ASSIGN_OR_RETURN(
        query::QueryDate date,
        query::ParseQueryDate(*entrance, field + ".funnelTrendsEntrancePeriodStart", now_local,
                              run.clock.zone, false));
    point.entrance_local_us = date.local_us;
  }
  HOGLET_ASSIGN_OR_RETURN(
      query::DateRange range,
      query::DateRange::Resolve(funnel->date_range, funnel->interval, run.clock));
  HOGLET_ASSIGN_OR_RETURN(
      std::vector<Uuid> actors,
      query::FunnelActors(*funnel, point, range, run, *prepared.source(), project.id, field));
  return FunnelActorsFound{std::move(actors), funnel->aggregation_group_type_index};
}

StatusOr<std::string> RunFunnelsQuery(const ApiContext& context, const meta::Project& project,
                                      std::string_view spec_json,
                                      const std::atomic<bool>& cancelled) {
  simdjson::dom::parser parser;
  HOGLET_ASSIGN_OR_RETURN(simdjson::dom::element spec, ParseQuerySpec(parser, spec_json));
  HOGLET_ASSIGN_OR_RETURN(query::FunnelsQuery funnel, query::ParseFunnelsQuery(spec));
  TrendsRun prepared(context, project, cancelled);
  HOGLET_RETURN_IF_ERROR(prepared.Prepare(funnel.date_range, funnel.filter_test_accounts,
                                          FunnelActions(funnel, "query")));
  const query::TrendsContext& run = prepared.context();
  HOGLET_ASSIGN_OR_RETURN(query::DateRange range,
                          query::DateRange::Resolve(funnel.date_range, funnel.interval, run.clock));
  HOGLET_ASSIGN_OR_RETURN(query::FunnelsResult result,
                          query::RunFunnels(funnel, range, run, *prepared.source(), project.id));

  JsonWriter w;
  w.BeginObject();
  w.Key("results");
  query::WriteFunnelsResults(funnel, run.actions, result, &w);
  w.Key("isUdf");
  w.Bool(true);
  WriteInsightResponseFields(range, run.clock.zone, &w);
  return std::move(w).Take();
}

}  // namespace hoglet::api
