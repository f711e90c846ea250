#include "api/lifecycle_query_run.h"

#include <simdjson.h>

#include <optional>
#include <utility>

#include "api/group_actors.h"
#include "api/query_persons.h"
#include "api/query_response.h"
#include "api/trends_query_run.h"
#include "base/json_writer.h"
#include "query/lifecycle_query.h"
#include "query/lifecycle_query_parser.h"
#include "query/lifecycle_result_json.h"
#include "query/lifecycle_runner.h"

namespace hoglet::api {

StatusOr<std::string> RunLifecycleQuery(const ApiContext& context, const meta::Project& project,
                                        std::string_view spec_json,
                                        const std::atomic<bool>& cancelled) {
  simdjson::dom::parser parser;
  HOGLET_ASSIGN_OR_RETURN(simdjson::dom::element spec, ParseQuerySpec(parser, spec_json));
  HOGLET_ASSIGN_OR_RETURN(query::LifecycleQuery lifecycle, query::ParseLifecycleQuery(spec));
  TrendsRun prepared(context, project, cancelled);
  HOGLET_RETURN_IF_ERROR(prepared.Prepare(lifecycle.trends));
  const query::TrendsContext& run = prepared.context();
  // A group's creation is its record's, as PostHog's lifecycle of groups reads it.
  StoredPersonCreation persons_created(*context.persons, project.id, context.person_creation);
  std::optional<StoredGroupActors> groups_created;
  if (lifecycle.trends.aggregation_group_type_index) {
    groups_created.emplace(*context.persons, project.id,
                           *lifecycle.trends.aggregation_group_type_index);
  }
  query::PersonCreation& created = groups_created
                                       ? static_cast<query::PersonCreation&>(*groups_created)
                                       : static_cast<query::PersonCreation&>(persons_created);
  HOGLET_ASSIGN_OR_RETURN(
      query::LifecycleAnswer answer,
      query::AnswerLifecycle(lifecycle, run, created, *prepared.source(), project.id));

  JsonWriter w;
  w.BeginObject();
  w.Key("results");
  query::WriteLifecycleResults(lifecycle, answer, &w);
  WriteInsightResponseFields(answer.range, run.clock.zone, &w);
  return std::move(w).Take();
}

}  // namespace hoglet::api
