#include "api/retention_query_run.h"

#include <simdjson.h>

#include <string>
#include <utility>
#include <vector>

#include "api/query_response.h"
#include "api/trends_query_run.h"
#include "base/json_writer.h"
#include "query/date_range.h"
#include "query/retention_query.h"
#include "query/retention_query_parser.h"
#include "query/retention_result_json.h"
#include "query/retention_runner.h"

namespace hoglet::api {

std::vector<std::pair<int64_t, std::string>> RetentionActions(
    const query::RetentionQuery& retention) {
  std::vector<std::pair<int64_t, std::string>> actions;
  if (retention.target.action_id) {
    actions.emplace_back(*retention.target.action_id, "query.retentionFilter.targetEntity.id");
  }
  if (retention.returning.action_id) {
    actions.emplace_back(*retention.returning.action_id,
                         "query.retentionFilter.returningEntity.id");
  }
  return actions;
}

StatusOr<std::string> RunRetentionQuery(const ApiContext& context, const meta::Project& project,
                                        std::string_view spec_json,
                                        const std::atomic<bool>& cancelled) {
  simdjson::dom::parser parser;
  HOGLET_ASSIGN_OR_RETURN(simdjson::dom::element spec, ParseQuerySpec(parser, spec_json));
  HOGLET_ASSIGN_OR_RETURN(query::RetentionQuery retention, query::ParseRetentionQuery(spec));
  TrendsRun prepared(context, project, cancelled);
  HOGLET_RETURN_IF_ERROR(prepared.Prepare(retention.date_range, retention.filter_test_accounts,
                                          RetentionActions(retention)));
  const query::TrendsContext& run = prepared.context();
  HOGLET_ASSIGN_OR_RETURN(query::DateRange range, query::RetentionRange(retention, run.clock));
  HOGLET_ASSIGN_OR_RETURN(
      query::RetentionResult result,
      query::RunRetention(retention, range, run, *prepared.source(), project.id));

  JsonWriter w;
  w.BeginObject();
  w.Key("results");
  query::WriteRetentionResults(retention, range, result, &w);
  WriteInsightResponseFields(range, run.clock.zone, &w);
  return std::move(w).Take();
}

}  // namespace hoglet::api
