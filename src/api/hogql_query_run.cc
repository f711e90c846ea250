#include "api/hogql_query_run.h"

#include <simdjson.h>

#include "api/hogql_person_tables.h"
#include "api/hogql_placeholders.h"
#include "api/query_persons.h"
#include "api/query_response.h"
#include "base/json_writer.h"
#include "hogql/executor/executor.h"
#include "meta/project_time_zone.h"
#include "query/query_budget.h"

namespace hoglet::api {

StatusOr<std::string> RunHogQLQuery(const ApiContext& context, const meta::Project& project,
                                    std::string_view spec_json,
                                    const std::atomic<bool>& cancelled) {
  simdjson::dom::parser parser;
  HOGLET_ASSIGN_OR_RETURN(simdjson::dom::element spec, ParseQuerySpec(parser, spec_json));
  std::string_view text;
  if (spec["query"].get(text) != simdjson::SUCCESS) {
    return InvalidArgumentError("query.query: a HogQLQuery needs its HogQL text in `query`",
                                "invalid_input");
  }
  hogql::HogQLRunContext run;
  run.zone = meta::ProjectTimeZone(project);
  run.now_us = context.clock->NowMicros();
  HOGLET_ASSIGN_OR_RETURN(hogql::Placeholders placeholders,
                          ReadPlaceholders(spec, run.zone, run.now_us));
  run.placeholders = &placeholders;
  run.week_mode = project.week_start_day == 1 ? 3 : 0;
  HOGLET_ASSIGN_OR_RETURN(const SharedOverrides overrides, LoadOverrides(context, project.id));
  run.overrides = overrides.get();
  StoredPersonProperties person_properties(*context.persons, project.id);
  run.person_properties = &person_properties;
  StoredPersonTables person_tables(*context.persons, project.id);
  run.person_tables = &person_tables;
  const query::QueryBudget budget(context.clock, query::kDefaultQueryTimeoutUs, &cancelled);
  run.check = [&budget] { return budget.Check(); };
  HOGLET_ASSIGN_OR_RETURN(hogql::HogQLResult result,
                          hogql::RunHogQL(text, run, context.store->scan_source(), project.id));

  JsonWriter w;
  w.BeginObject();
  w.Key("results");
  w.BeginArray();
  for (const std::vector<hogql::Value>& row : result.rows) {
    w.BeginArray();
    for (const hogql::Value& value : row) hogql::WriteValueJson(value, run.zone, &w);
    w.EndArray();
  }
  w.EndArray();
  w.Key("columns");
  w.BeginArray();
  for (const std::string& column : result.columns) w.String(column);
  w.EndArray();
  w.Key("types");
  w.BeginArray();
  for (size_t i = 0; i < result.types.size(); ++i) {
    w.BeginArray();
    w.String(result.columns[i]);
    w.String(result.types[i]);
    w.EndArray();
  }
  w.EndArray();
  w.Key("hogql");
  w.String(result.hogql);
  w.Key("query");
  w.String(text);
  WriteQueryPage(result.has_more, result.limit, result.offset, &w);
  WriteQueryClosing({.null_hogql = false, .timezone = run.zone.name()}, &w);
  return std::move(w).Take();
}

}  // namespace hoglet::api
