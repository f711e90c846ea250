#include "api/funnel_correlation_query_run.h"

#include <simdjson.h>

#include <string>
#include <utility>

#include "api/funnels_query_run.h"
#include "api/query_response.h"
#include "api/trends_query_run.h"
#include "base/json_writer.h"
#include "query/date_range.h"
#include "query/funnel_correlation.h"
#include "query/funnel_correlation_actors.h"
#include "query/funnel_correlation_json.h"
#include "query/funnel_correlation_parser.h"

namespace hoglet::api {

StatusOr<FunnelActorsFound> RunFunnelCorrelationActors(const ApiContext& context,
                                                       const meta::Project& project,
                                                       simdjson::dom::element actors_query,
                                                       const std::string& field,
                                                       const std::atomic<bool>& cancelled) {
  HOGLET_ASSIGN_OR_RETURN(query::FunnelCorrelationActorsRequest request,
                          query::ParseFunnelCorrelationActorsQuery(actors_query, field));
  const query::FunnelsQuery& funnel = request.query.funnel;
  TrendsRun prepared(context, project, cancelled);
  HOGLET_RETURN_IF_ERROR(prepared.Prepare(funnel.date_range, funnel.filter_test_accounts,
                                          FunnelActions(funnel, field + ".source.source.source")));
  const query::TrendsContext& run = prepared.context();
  HOGLET_ASSIGN_OR_RETURN(query::DateRange range,
                          query::DateRange::Resolve(funnel.date_range, funnel.interval, run.clock));
  HOGLET_ASSIGN_OR_RETURN(std::vector<Uuid> actors,
                          query::FunnelCorrelationActors(request.query, request.point, range, run,
                                                         *prepared.source(), project.id));
  return FunnelActorsFound{std::move(actors), funnel.aggregation_group_type_index};
}

StatusOr<std::string> RunFunnelCorrelationQuery(const ApiContext& context,
                                                const meta::Project& project,
                                                std::string_view spec_json,
                                                const std::atomic<bool>& cancelled) {
  simdjson::dom::parser parser;
  HOGLET_ASSIGN_OR_RETURN(simdjson::dom::element spec, ParseQuerySpec(parser, spec_json));
  HOGLET_ASSIGN_OR_RETURN(query::FunnelCorrelationQuery correlation,
                          query::ParseFunnelCorrelationQuery(spec));
  const query::FunnelsQuery& funnel = correlation.funnel;
  TrendsRun prepared(context, project, cancelled);
  HOGLET_RETURN_IF_ERROR(prepared.Prepare(funnel.date_range, funnel.filter_test_accounts,
                                          FunnelActions(funnel, "query.source.source")));
  const query::TrendsContext& run = prepared.context();
  HOGLET_ASSIGN_OR_RETURN(query::DateRange range,
                          query::DateRange::Resolve(funnel.date_range, funnel.interval, run.clock));
  HOGLET_ASSIGN_OR_RETURN(
      query::FunnelCorrelationResult result,
      query::RunFunnelCorrelation(correlation, range, run, *prepared.source(), project.id));

  JsonWriter w;
  w.BeginObject();
  w.Key("results");
  query::WriteFunnelCorrelationResult(result, &w);
  WriteInsightResponseFields(range, run.clock.zone, &w);
  return std::move(w).Take();
}

}  // namespace hoglet::api
