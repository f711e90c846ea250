#include "api/stickiness_query_run.h"

#include <simdjson.h>

#include <utility>

#include "api/query_response.h"
#include "api/trends_query_run.h"
#include "base/json_writer.h"
#include "query/stickiness_query.h"
#include "query/stickiness_query_parser.h"
#include "query/stickiness_result_json.h"
#include "query/stickiness_runner.h"

namespace hoglet::api {

StatusOr<std::string> RunStickinessQuery(const ApiContext& context, const meta::Project& project,
                                         std::string_view spec_json,
                                         const std::atomic<bool>& cancelled) {
  simdjson::dom::parser parser;
  HOGLET_ASSIGN_OR_RETURN(simdjson::dom::element spec, ParseQuerySpec(parser, spec_json));
  HOGLET_ASSIGN_OR_RETURN(query::StickinessQuery stickiness, query::ParseStickinessQuery(spec));
  TrendsRun prepared(context, project, cancelled);
  HOGLET_RETURN_IF_ERROR(prepared.Prepare(stickiness.trends));
  const query::TrendsContext& run = prepared.context();
  HOGLET_ASSIGN_OR_RETURN(query::StickinessAnswer answer,
                          query::AnswerStickiness(stickiness, run, *prepared.source(), project.id));

  JsonWriter w;
  w.BeginObject();
  w.Key("results");
  query::WriteStickinessResults(stickiness, answer, &w);
  WriteInsightResponseFields(answer.range, run.clock.zone, &w);
  return std::move(w).Take();
}

}  // namespace hoglet::api
