#include "api/funnels_query_run.h"

#include <simdjson.h>

#include <string>
#include <utility>
#include <vector>

#include "api/query_response.h"
#include "api/trends_query_run.h"
#include "base/json_writer.h"
#include "query/date_range.h"
#include "query/funnels_query.h"
#include "query/funnels_query_parser.h"
#include "query/funnels_result_json.h"
#include "query/funnels_runner.h"

namespace hoglet::api {
namespace {

// The actions the steps and exclusions name, with the field naming each.
std::vector<std::pair<int64_t, std::string>> FunnelActions(const query::FunnelsQuery& funnel) {
  std::vector<std::pair<int64_t, std::string>> actions;
  for (size_t index = 0; index < funnel.steps.size(); ++index) {
    const std::optional<int64_t>& id = funnel.steps[index].action_id;
    if (id) actions.emplace_back(*id, "query.series[" + std::to_string(index) + "].id");
  }
  for (size_t index = 0; index < funnel.exclusions.size(); ++index) {
    const std::optional<int64_t>& id = funnel.exclusions[index].node.action_id;
    if (id) {
      actions.emplace_back(*id, "query.funnelsFilter.exclusions[" + std::to_string(index) + "].id");
    }
  }
  return actions;
}

}  // namespace

StatusOr<std::string> RunFunnelsQuery(const ApiContext& context, const meta::Project& project,
                                      std::string_view spec_json,
                                      const std::atomic<bool>& cancelled) {
  simdjson::dom::parser parser;
  HOGLET_ASSIGN_OR_RETURN(simdjson::dom::element spec, ParseQuerySpec(parser, spec_json));
  HOGLET_ASSIGN_OR_RETURN(query::FunnelsQuery funnel, query::ParseFunnelsQuery(spec));
  TrendsRun prepared(context, project, cancelled);
  HOGLET_RETURN_IF_ERROR(
      prepared.Prepare(funnel.date_range, funnel.filter_test_accounts, FunnelActions(funnel)));
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
