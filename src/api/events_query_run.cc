#include "api/events_query_run.h"

#include <simdjson.h>

#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "api/query_persons.h"
#include "api/query_response.h"
#include "api/query_sources.h"
#include "base/json_writer.h"
#include "hogql/executor/events_select.h"
#include "hogql/executor/executor.h"
#include "hogql/executor/row_expression_compiler.h"
#include "meta/project_time_zone.h"
#include "query/event_rows.h"
#include "query/events_query_parser.h"
#include "query/hogql_filters.h"
#include "query/query_budget.h"
#include "query/query_date.h"
#include "query/query_json.h"

namespace hoglet::api {
namespace {

// PostHog keeps events stamped slightly in the future out of the default window by this much.
constexpr int64_t kBeforeSlackUs = 5'000'000;

StatusOr<int64_t> ResolveDate(const std::string& text, const char* field, int64_t now_us,
                              const TimeZone& zone) {
  HOGLET_ASSIGN_OR_RETURN(
      query::QueryDate date,
      query::ParseQueryDate(text, field, now_us + zone.UtcOffsetMicros(now_us), zone, false));
  return zone.LocalToUtcMicros(date.local_us);
}

// The person of each distinct id shown in a "person" column, read once per query.
class PersonsByDistinctId {
 public:
  PersonsByDistinctId(persons::PersonStore& persons, int64_t team_id)
      : persons_(persons), team_id_(team_id) {}

  StatusOr<const std::optional<persons::Person>*> Of(const std::string& distinct_id) {
    auto found = cache_.find(distinct_id);
    if (found == cache_.end()) {
      HOGLET_ASSIGN_OR_RETURN(std::optional<persons::Person> person,
                              persons_.PersonByDistinctId(team_id_, distinct_id));
      found = cache_.emplace(distinct_id, std::move(person)).first;
    }
    return &found->second;
  }

 private:
  persons::PersonStore& persons_;
  const int64_t team_id_;
  std::unordered_map<std::string, std::optional<persons::Person>> cache_;
};

// PostHog's "person" column: the person the distinct id belongs to now.
Status WritePersonColumn(const hogql::Value& distinct_id, PersonsByDistinctId& persons,
                         const TimeZone& zone, JsonWriter* w) {
  std::string id = hogql::ValueToString(distinct_id, zone);
  HOGLET_ASSIGN_OR_RETURN(const std::optional<persons::Person>* person, persons.Of(id));
  w->BeginObject();
  if (*person) {
    w->Key("uuid");
    w->String((*person)->uuid.ToString());
    w->Key("created_at");
    hogql::WriteValueJson(hogql::Value::DateTime((*person)->created_at_us), zone, w);
    w->Key("properties");
    simdjson::dom::parser parser;
    simdjson::dom::element parsed;
    bool valid =
        parser.parse((*person)->properties).get(parsed) == simdjson::SUCCESS && parsed.is_object();
    w->Raw(valid ? std::string_view((*person)->properties) : std::string_view("{}"));
  }
  w->Key("distinct_id");
  w->String(id);
  w->EndObject();
  return Status::Ok();
}

// PostHog's "*" column: the event's fields as an object, its properties as an object.
void WriteStarColumn(const std::vector<hogql::Value>& row, size_t first, const TimeZone& zone,
                     JsonWriter* w) {
  w->BeginObject();
  for (size_t i = 0; i < hogql::kEventStarFields.size(); ++i) {
    const std::string_view name = hogql::kEventStarFields[i];
    const hogql::Value& value = row[first + i];
    w->Key(name);
    if (name == "properties") {
      simdjson::dom::parser parser;
      simdjson::dom::element parsed;
      bool valid = value.kind == hogql::Value::Kind::kString &&
                   parser.parse(value.s).get(parsed) == simdjson::SUCCESS && parsed.is_object();
      w->Raw(valid ? std::string_view(value.s) : std::string_view("{}"));
    } else {
      hogql::WriteValueJson(value, zone, w);
    }
  }
  w->EndObject();
}

}  // namespace

StatusOr<std::string> RunEventsQuery(const ApiContext& context, const meta::Project& project,
                                     std::string_view spec_json,
                                     const std::atomic<bool>& cancelled) {
  simdjson::dom::parser parser;
  HOGLET_ASSIGN_OR_RETURN(simdjson::dom::element spec, ParseQuerySpec(parser, spec_json));
  HOGLET_ASSIGN_OR_RETURN(query::EventsQuery events, query::ParseEventsQuery(spec));
  const TimeZone zone = meta::ProjectTimeZone(project);
  const int64_t now_us = context.clock->NowMicros();

  int64_t before_us = now_us + kBeforeSlackUs;
  if (events.before) {
    HOGLET_ASSIGN_OR_RETURN(before_us, ResolveDate(*events.before, "query.before", now_us, zone));
  }
  std::optional<int64_t> after_us;
  const std::string after = events.after.value_or("-24h");
  if (after != "all") {
    HOGLET_ASSIGN_OR_RETURN(after_us, ResolveDate(after, "query.after", now_us, zone));
  }
  HOGLET_ASSIGN_OR_RETURN(hogql::EventsSelect select,
                          hogql::ComposeEventsSelect(events, after_us, before_us));

  // What the filter engine applies as each block is read.
  std::map<int64_t, query::ResolvedAction> actions;
  query::EventConditions conditions;
  if (events.action_id) {
    HOGLET_ASSIGN_OR_RETURN(
        actions[*events.action_id],
        ResolveAction(*context.meta, project.id, *events.action_id, "query.actionId"));
    conditions.action_id = events.action_id;
  }
  filters::FilterNode test_accounts;
  if (events.filter_test_accounts) {
    HOGLET_ASSIGN_OR_RETURN(test_accounts, TestAccountFilters(project));
  }
  conditions.filters = {&events.properties, &events.fixed_properties, &test_accounts};
  if (events.person_id) conditions.person = Uuid::Parse(*events.person_id);

  HOGLET_ASSIGN_OR_RETURN(const SharedOverrides overrides, LoadOverrides(context, project.id));
  StoredPersonProperties person_properties(*context.persons, project.id);
  StoredGroupProperties group_properties(*context.persons, project.id);
  StoredCohorts stored_cohorts(*context.meta, *context.persons, project.id);
  const query::QueryBudget budget(context.clock, query::kDefaultQueryTimeoutUs, &cancelled);
  std::unique_ptr<query::ScannedBehavior> behavior = StoredBehavior(
      *context.meta, project, context.store->scan_source(), overrides.get(), &budget, now_us);
  query::CohortMembership cohorts(&stored_cohorts, {now_us, zone, filters::Dialect::kHogQL},
                                  behavior.get());
  query::EventRowsContext rows_context;
  rows_context.match.now_us = now_us;
  rows_context.match.time_zone = zone;
  rows_context.match.dialect = filters::Dialect::kHogQL;
  rows_context.overrides = overrides.get();
  rows_context.person_properties = &person_properties;
  rows_context.group_properties = &group_properties;
  rows_context.cohorts = &cohorts;
  rows_context.actions = &actions;

  hogql::HogQLRunContext run;
  run.zone = zone;
  run.now_us = now_us;
  run.week_mode = project.week_start_day == 1 ? 3 : 0;
  run.overrides = overrides.get();
  run.person_properties = &person_properties;
  run.check = [&budget] { return budget.Check(); };
  const hogql::RowExpressionCompiler compiler(&run, project.id);
  query::HogQLFilters hogql_filters(&compiler);
  rows_context.hogql_filters = &hogql_filters;
  run.narrow = [&](store::BlockReader* block, store::RowSelection* rows) {
    query::EventRows event_rows(block, rows_context);
    return event_rows.Narrow(conditions, rows);
  };
  StatusOr<hogql::HogQLResult> ran =
      hogql::RunHogQL(select.text, run, context.store->scan_source(), project.id);
  if (!ran.ok()) return hogql::AttributeError(ran.status(), select);
  hogql::HogQLResult& result = *ran;
  // The composed query asked for one row more than the page: it tells whether there are more.
  const bool has_more = result.has_more || static_cast<int64_t>(result.rows.size()) > events.limit;
  if (static_cast<int64_t>(result.rows.size()) > events.limit) {
    result.rows.resize(static_cast<size_t>(events.limit));
  }

  PersonsByDistinctId persons(*context.persons, project.id);
  JsonWriter w;
  w.BeginObject();
  w.Key("results");
  w.BeginArray();
  for (const std::vector<hogql::Value>& row : result.rows) {
    w.BeginArray();
    for (const hogql::EventsColumn& column : select.columns) {
      switch (column.kind) {
        case hogql::EventsColumn::Kind::kStar:
          WriteStarColumn(row, column.first, zone, &w);
          break;
        case hogql::EventsColumn::Kind::kPerson:
          HOGLET_RETURN_IF_ERROR(WritePersonColumn(row[column.first], persons, zone, &w));
          break;
        case hogql::EventsColumn::Kind::kExpression:
          hogql::WriteValueJson(row[column.first], zone, &w);
          break;
      }
    }
    w.EndArray();
  }
  w.EndArray();
  w.Key("columns");
  w.BeginArray();
  for (const hogql::EventsColumn& column : select.columns) w.String(column.name);
  w.EndArray();
  w.Key("types");
  w.BeginArray();
  for (const hogql::EventsColumn& column : select.columns) {
    if (column.kind != hogql::EventsColumn::Kind::kStar) {
      w.String(result.types[column.first]);
      continue;
    }
    std::string tuple = "Tuple(";
    for (size_t i = 0; i < column.count; ++i) {
      tuple += (i == 0 ? "" : ", ") + result.types[column.first + i];
    }
    w.String(tuple + ")");
  }
  w.EndArray();
  w.Key("hogql");
  w.String(result.hogql);
  WriteQueryPage(has_more, events.limit, events.offset, &w);
  WriteQueryClosing({.null_hogql = false, .timezone = zone.name()}, &w);
  return std::move(w).Take();
}

}  // namespace hoglet::api
