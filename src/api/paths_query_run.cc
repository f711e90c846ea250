#include "api/paths_query_run.h"

#include <simdjson.h>

#include <string>
#include <utility>
#include <vector>

#include "api/funnels_query_run.h"
#include "api/query_response.h"
#include "api/trends_query_run.h"
#include "base/json_writer.h"
#include "query/date_range.h"
#include "query/interval.h"
#include "query/paths_query.h"
#include "query/paths_query_parser.h"
#include "query/paths_result_json.h"
#include "query/paths_runner.h"

namespace hoglet::api {

Status PreparePathsRun(const query::PathsQuery& paths, const std::string& field, TrendsRun* run) {
  if (!paths.funnel_paths) {
    return run->Prepare(paths.date_range, paths.filter_test_accounts, {});
  }
  const query::FunnelsQuery& funnel = paths.funnel_paths->funnel;
  // Prepare reads the date range only to learn whether "all" needs the first event's time; either
  // range may need it.
  const query::DateRangeSpec& range =
      funnel.date_range.date_from == "all" ? funnel.date_range : paths.date_range;
  return run->Prepare(range, paths.filter_test_accounts || funnel.filter_test_accounts,
                      FunnelActions(funnel, field + ".funnelPathsFilter.funnelSource"));
}

StatusOr<std::string> RunPathsQuery(const ApiContext& context, const meta::Project& project,
                                    std::string_view spec_json,
                                    const std::atomic<bool>& cancelled) {
  simdjson::dom::parser parser;
  HOGLET_ASSIGN_OR_RETURN(simdjson::dom::element spec, ParseQuerySpec(parser, spec_json));
  HOGLET_ASSIGN_OR_RETURN(query::PathsQuery paths, query::ParsePathsQuery(spec));
  TrendsRun prepared(context, project, cancelled);
  HOGLET_RETURN_IF_ERROR(PreparePathsRun(paths, "query", &prepared));
  const query::TrendsContext& run = prepared.context();
  // PostHog reads a paths date range as a daily one: from the start of date_from's day.
  HOGLET_ASSIGN_OR_RETURN(
      query::DateRange range,
      query::DateRange::Resolve(paths.date_range, query::Interval::kDay, run.clock));
  HOGLET_ASSIGN_OR_RETURN(std::vector<query::PathEdge> edges,
                          query::RunPaths(paths, range, run, *prepared.source(), project.id));

  JsonWriter w;
  w.BeginObject();
  w.Key("results");
  query::WritePathsResults(edges, &w);
  WriteInsightResponseFields(range, run.clock.zone, &w);
  return std::move(w).Take();
}

}  // namespace hoglet::api
