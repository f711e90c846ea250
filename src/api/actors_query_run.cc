#include "api/actors_query_run.h"

#include <simdjson.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "api/funnel_correlation_query_run.h"
#include "api/funnels_query_run.h"
#include "api/group_actors.h"
#include "api/paths_query_run.h"
#include "api/person_json.h"
#include "api/query_persons.h"
#include "api/query_response.h"
#include "api/retention_query_run.h"
#include "api/trends_query_run.h"
#include "base/ascii.h"
#include "base/json_writer.h"
#include "meta/project_time_zone.h"
#include "query/date_range.h"
#include "query/events_query.h"
#include "query/interval.h"
#include "query/lifecycle_query_parser.h"
#include "query/lifecycle_runner.h"
#include "query/paths_query_parser.h"
#include "query/paths_runner.h"
#include "query/query_date.h"
#include "query/query_json.h"
#include "query/retention_query_parser.h"
#include "query/retention_runner.h"
#include "query/stickiness_query_parser.h"
#include "query/stickiness_runner.h"
#include "query/trends_actors.h"
#include "query/trends_query_parser.h"

namespace hoglet::api {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// A breakdown value an actors query names, as the answers spell it: a string as itself, a number
// or a boolean as its JSON; nullopt for anything else.
std::optional<std::string> BreakdownValueText(element value) {
  std::string_view text;
  if (value.get(text) == simdjson::SUCCESS) return std::string(text);
  if (value.is_number() || value.is_bool()) return simdjson::minify(value);
  return std::nullopt;
}

// kAppearance: a retention cohort's "<period>_<k>" column, 1 when the actor was counted at
// offset k.
enum class ActorColumn { kActor, kId, kEventCount, kRecordings, kAppearance };

// The offset of a retention column ("day_3": 3); nullopt for other names.
std::optional<int64_t> AppearanceOffset(std::string_view name) {
  for (std::string_view period : {"hour_", "day_", "week_", "month_"}) {
    if (!name.starts_with(period)) continue;
    std::string_view digits = name.substr(period.size());
    if (digits.empty() || digits.size() > 4 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    return std::stoll(std::string(digits));
  }
  return std::nullopt;
}

struct ActorsQuery {
  std::vector<std::string> select = {"actor"};
  std::vector<ActorColumn> columns = {ActorColumn::kActor};
  std::vector<int64_t> offsets;  // per column: the offset of a kAppearance column
  bool ascending = false;        // by event_count
  std::string search;
  int64_t limit = query::kEventsDefaultLimit;
  int64_t offset = 0;
  element source;  // the InsightActorsQuery
  std::string source_field = "query";
};

StatusOr<ActorsQuery> ParseActorsQuery(element spec) {
  ActorsQuery actors;
  std::string_view kind;
  if (spec["kind"].get(kind) == simdjson::SUCCESS &&
      (kind == "InsightActorsQuery" || kind == "FunnelsActorsQuery" ||
       kind == "FunnelCorrelationActorsQuery")) {
    actors.source = spec;
    return actors;
  }
  object root = spec.get_object().value_unsafe();
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> select,
                          query::OptionalStringList(root, "select", "query.select", 50));
  if (!select.empty()) {
    actors.select = select;
    actors.columns.clear();
    for (size_t i = 0; i < select.size(); ++i) {
      std::string name = select[i].substr(0, select[i].find("--"));
      name.erase(name.find_last_not_of(" \t") + 1);
      if (name == "actor" || name == "person" || name == "group") {
        actors.columns.push_back(ActorColumn::kActor);
      } else if (name == "id" || name == "actor_id" || name == "person_id") {
        actors.columns.push_back(ActorColumn::kId);
      } else if (name == "event_count") {
        actors.columns.push_back(ActorColumn::kEventCount);
      } else if (name == "matched_recordings") {
        actors.columns.push_back(ActorColumn::kRecordings);
      } else if (std::optional<int64_t> offset = AppearanceOffset(name)) {
        actors.columns.push_back(ActorColumn::kAppearance);
        actors.offsets.resize(actors.columns.size(), 0);
        actors.offsets.back() = *offset;
      } else {
        return query::NotYet(
            "query.select[" + std::to_string(i) + "]",
            "the column '" + select[i] +
                "' (actor, person, id, event_count, matched_recordings and a retention's "
                "day_N, week_N… are served)");
      }
    }
  }
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> order,
                          query::OptionalStringList(root, "orderBy", "query.orderBy", 10));
  for (size_t i = 0; i < order.size(); ++i) {
    if (order[i] == "event_count DESC" || order[i] == "event_count") {
      actors.ascending = false;
    } else if (order[i] == "event_count ASC") {
      actors.ascending = true;
    } else if (i > 0 || order[i] == "length(appearances) DESC") {
      continue;  // ties are ordered by person; retention actors come most retained first
    } else {
      return query::NotYet("query.orderBy[0]",
                           "ordering by '" + order[i] + "' (event_count ASC / DESC is served)");
    }
  }
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> search,
                          query::OptionalString(root, "search", "query.search"));
  actors.search = search.value_or("");
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> limit,
                          query::OptionalInt(root, "limit", "query.limit"));
  if (limit && *limit > 0) actors.limit = std::min(*limit, query::kEventsMaxLimit);
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> offset,
                          query::OptionalInt(root, "offset", "query.offset"));
  if (offset && *offset > 0) actors.offset = *offset;
  std::optional<element> source = query::Member(root, "source");
  std::string_view source_kind;
  if (!source || !source->is_object() || (*source)["kind"].get(source_kind) != simdjson::SUCCESS) {
    return query::Invalid("query.source", "an ActorsQuery needs the InsightActorsQuery it lists");
  }
  if (source_kind != "InsightActorsQuery" && source_kind != "FunnelsActorsQuery" &&
      source_kind != "FunnelCorrelationActorsQuery") {
    return query::NotYet("query.source.kind", "an ActorsQuery over '" + std::string(source_kind) +
                                                  "' (InsightActorsQuery, FunnelsActorsQuery and "
                                                  "FunnelCorrelationActorsQuery are served)");
  }
  actors.source = *source;
  actors.source_field = "query.source";
  return actors;
}

// The local time of the InsightActorsQuery's `day` (a date), nullopt when absent.
StatusOr<std::optional<int64_t>> ParseDay(object root, const std::string& field,
                                          const query::ProjectClock& clock) {
  std::optional<element> day = query::Member(root, "day");
  if (!day) return std::optional<int64_t>();
  std::string_view text;
  if (day->get(text) != simdjson::SUCCESS) {
    return query::Invalid(field + ".day", "must be a date such as \"2024-01-05\"");
  }
  const int64_t now_local = clock.now_us + clock.zone.UtcOffsetMicros(clock.now_us);
  HOGLET_ASSIGN_OR_RETURN(
      query::QueryDate date,
      query::ParseQueryDate(text, field + ".day", now_local, clock.zone, false));
  return std::optional<int64_t>(date.local_us);
}

// The point of the trends insight an InsightActorsQuery names.
StatusOr<query::TrendsPoint> ParsePoint(element insight, const std::string& field,
                                        const query::TrendsQuery& trends,
                                        const query::ProjectClock& clock) {
  object root = insight.get_object().value_unsafe();
  query::TrendsPoint point;
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> series,
                          query::OptionalInt(root, "series", field + ".series"));
  if (series && *series < 0) return query::Invalid(field + ".series", "must not be negative");
  point.series = static_cast<size_t>(series.value_or(0));
  HOGLET_ASSIGN_OR_RETURN(point.day_local_us, ParseDay(root, field, clock));
  if (std::optional<element> breakdown = query::Member(root, "breakdown")) {
    if (!trends.breakdown) {
      return query::Invalid(field + ".breakdown", "the trends query has no breakdown");
    }
    std::vector<std::string> labels;
    auto label = [](element value) -> std::optional<std::string> {
      if (value.is_null()) return std::string(query::kBreakdownNullLabel);
      return BreakdownValueText(value);
    };
    simdjson::dom::array list;
    if (breakdown->get(list) == simdjson::SUCCESS) {
      for (element item : list) {
        std::optional<std::string> text = label(item);
        if (!text) return query::Invalid(field + ".breakdown", "must hold strings or numbers");
        labels.push_back(*text);
      }
    } else if (std::optional<std::string> text = label(*breakdown)) {
      labels.push_back(*text);
    } else {
      return query::Invalid(field + ".breakdown", "must be a breakdown value");
    }
    if (trends.breakdown->by_cohort() && labels.size() == 1 && labels.front() == "all") {
      labels.front() = std::to_string(query::kAllUsersCohort);  // a cohort breakdown's "all"
    }
    point.breakdown = query::BreakdownKey(*trends.breakdown, labels);
  }
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> compare,
                          query::OptionalString(root, "compare", field + ".compare"));
  if (compare && *compare != "current" && *compare != "previous") {
    return query::Invalid(field + ".compare", "must be \"current\" or \"previous\"");
  }
  point.previous = compare == "previous";
  return point;
}

// An actor the insight names: the person (or the group's GroupActor), the events it counted
// (trends) or the offsets it was counted at (retention).
struct FoundActor {
  Uuid person;
  int64_t event_count = 0;
  std::vector<int64_t> appearances;
  std::string group_key;  // a group's key, when the insight knows it
};

// The actors of an insight: persons, or the groups of one type.
struct InsightActors {
  std::vector<FoundActor> found;
  std::optional<int> group_type_index;
};

// An error of the insight query, its fields named from the actors query
// ("query.source.source.series[0]…").
Status FromActorsQuery(const Status& status, const std::string& field) {
  std::string message = status.message();
  if (message.starts_with("query")) message = field + ".source" + message.substr(5);
  return InvalidArgumentError(message, std::string(status.reason()));
}

// The breakdown value of a retention cell the InsightActorsQuery names (`breakdown`), nullopt
// when absent. PostHog's frontend sends a list of the values (joined with "::" as its multiple
// breakdowns spell them; one value for the single breakdown retention has); a bare string is that
// one value. A null or an empty list names no value, as in PostHog.
StatusOr<std::optional<std::string>> ParseRetentionBreakdown(
    object root, const std::string& field, const query::RetentionQuery& retention) {
  std::optional<element> breakdown = query::Member(root, "breakdown");
  if (!breakdown || breakdown->is_null()) return std::optional<std::string>();
  if (!retention.breakdown) {
    return query::Invalid(field + ".breakdown", "the retention query has no breakdown");
  }
  simdjson::dom::array list;
  if (breakdown->get(list) != simdjson::SUCCESS) {
    std::optional<std::string> value = BreakdownValueText(*breakdown);
    if (!value) {
      return query::Invalid(field + ".breakdown",
                            "must be a list of breakdown values such as [\"Chrome\"]");
    }
    return std::optional<std::string>(std::move(*value));
  }
  if (list.size() == 0) return std::optional<std::string>();
  std::string joined;
  bool first = true;
  for (element item : list) {
    std::optional<std::string> value = BreakdownValueText(item);
    if (!value) return query::Invalid(field + ".breakdown", "must hold strings or numbers");
    if (!first) joined += "::";
    first = false;
    joined += *value;
  }
  return std::optional<std::string>(std::move(joined));
}

// The actors of the cohort `interval` (default 0) of a retention insight (of its breakdown value
// `breakdown` when given): its groups when it aggregates by a group type.
StatusOr<InsightActors> RetentionCohortActors(const ApiContext& context,
                                              const meta::Project& project,
                                              const std::atomic<bool>& cancelled, element insight,
                                              element retention_spec, const std::string& field) {
  StatusOr<query::RetentionQuery> retention = query::ParseRetentionQuery(retention_spec);
  if (!retention.ok()) {
    if (retention.status().code() != StatusCode::kInvalidArgument) return retention.status();
    return FromActorsQuery(retention.status(), field);
  }
  object root = insight.get_object().value_unsafe();
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> interval,
                          query::OptionalInt(root, "interval", field + ".interval"));
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> breakdown,
                          ParseRetentionBreakdown(root, field, *retention));
  TrendsRun run(context, project, cancelled);
  HOGLET_RETURN_IF_ERROR(run.Prepare(retention->date_range, retention->filter_test_accounts,
                                     RetentionActions(*retention)));
  HOGLET_ASSIGN_OR_RETURN(query::DateRange range,
                          query::RetentionRange(*retention, run.context().clock));
  const int64_t cohorts = static_cast<int64_t>(range.bucket_starts().size());
  if (interval.value_or(0) < 0 || interval.value_or(0) >= cohorts) {
    return query::Invalid(field + ".interval",
                          "must be a cohort from 0 to " + std::to_string(cohorts - 1));
  }
  HOGLET_ASSIGN_OR_RETURN(
      std::vector<query::RetentionActor> cohort,
      query::RetentionActors(*retention, range, run.context(), *run.source(), project.id,
                             static_cast<size_t>(interval.value_or(0)), breakdown));
  InsightActors actors{{}, retention->aggregation_group_type_index};
  for (query::RetentionActor& actor : cohort) {
    actors.found.push_back(
        {actor.actor, 0, std::move(actor.appearances), std::move(actor.group_key)});
  }
  return actors;
}

// PostHog's actor search: the person's UUID, a distinct id, or its email or name containing the
// text (case-insensitively).
bool Matches(const persons::Person& person, const std::string& search) {
  const std::string needle = AsciiLower(search);
  if (AsciiLower(person.uuid.ToString()).find(needle) != std::string::npos) return true;
  for (const std::string& id : person.distinct_ids) {
    if (AsciiLower(id).find(needle) != std::string::npos) return true;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element properties;
  if (parser.parse(person.properties).get(properties) != simdjson::SUCCESS) return false;
  for (const char* key : {"email", "name"}) {
    std::string_view value;
    if (properties[key].get(value) == simdjson::SUCCESS &&
        AsciiLower(value).find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// The persons behind a point of a trends insight, or the groups of a unique_group series.
StatusOr<InsightActors> TrendsActorsOf(const ApiContext& context, const meta::Project& project,
                                       const std::atomic<bool>& cancelled, element insight_actors,
                                       element spec, const std::string& field) {
  StatusOr<query::TrendsQuery> trends = query::ParseTrendsQuery(spec);
  if (!trends.ok()) return FromActorsQuery(trends.status(), field);
  TrendsRun run(context, project, cancelled);
  HOGLET_RETURN_IF_ERROR(run.Prepare(*trends));
  HOGLET_ASSIGN_OR_RETURN(query::TrendsPoint point,
                          ParsePoint(insight_actors, field, *trends, run.context().clock));
  HOGLET_ASSIGN_OR_RETURN(
      std::vector<query::TrendsActor> counted,
      query::TrendsActors(*trends, point, run.context(), *run.source(), project.id));
  InsightActors found;
  if (point.series < trends->series.size() &&
      trends->series[point.series].math == query::Math::kUniqueGroup) {
    found.group_type_index = trends->series[point.series].math_group_type_index;
  }
  found.found.reserve(counted.size());
  for (const query::TrendsActor& actor : counted) {
    found.found.push_back({actor.person, actor.event_count, {}, {}});
  }
  return found;
}

// The persons behind an edge, node or drop-off of a paths insight (its pathsFilter's
// pathStartKey, pathEndKey, pathDropoffKey), with their matching steps as event counts.
StatusOr<std::vector<FoundActor>> PathsActorsOf(const ApiContext& context,
                                                const meta::Project& project,
                                                const std::atomic<bool>& cancelled, element spec,
                                                const std::string& field) {
  StatusOr<query::PathsQuery> paths = query::ParsePathsQuery(spec);
  if (!paths.ok()) return FromActorsQuery(paths.status(), field);
  TrendsRun run(context, project, cancelled);
  HOGLET_RETURN_IF_ERROR(PreparePathsRun(*paths, field + ".source", &run));
  HOGLET_ASSIGN_OR_RETURN(
      query::DateRange range,
      query::DateRange::Resolve(paths->date_range, query::Interval::kDay, run.context().clock));
  HOGLET_ASSIGN_OR_RETURN(
      std::vector<query::PathActor> found,
      query::RunPathsActors(*paths, range, run.context(), *run.source(), project.id));
  std::vector<FoundActor> actors;
  actors.reserve(found.size());
  for (const query::PathActor& actor : found) {
    actors.push_back({actor.person, actor.event_count, {}, {}});
  }
  return actors;
}

// An insight parser's error with its fields named from the actors query
// ("query.source.source.series[0]…").
template <typename T>
StatusOr<T> NamedFrom(StatusOr<T> parsed, const std::string& field) {
  if (parsed.ok()) return parsed;
  return FromActorsQuery(parsed.status(), field);
}

// Actors without their event counts (stickiness and lifecycle bars count actors, not events).
InsightActors WithoutCounts(const std::vector<Uuid>& persons, std::optional<int> group_type_index) {
  InsightActors actors{{}, group_type_index};
  actors.found.reserve(persons.size());
  for (const Uuid& person : persons) actors.found.push_back({person, 0, {}, {}});
  return actors;
}

// The actors of a bar of a stickiness insight: `day` is the number of intervals. The groups of
// a series counting unique groups, as PostHog's actors query reads its series.
StatusOr<InsightActors> StickinessBar(TrendsRun& run, element spec, element source,
                                      const std::string& field, int64_t project_id) {
  HOGLET_ASSIGN_OR_RETURN(query::StickinessQuery stickiness,
                          NamedFrom(query::ParseStickinessQuery(spec), field));
  HOGLET_RETURN_IF_ERROR(run.Prepare(stickiness.trends));
  object root = source.get_object().value_unsafe();
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> series,
                          query::OptionalInt(root, "series", field + ".series"));
  if (series && *series < 0) return query::Invalid(field + ".series", "must not be negative");
  std::optional<element> day = query::Member(root, "day");
  int64_t intervals = 0;
  std::string_view text;
  if (day && day->get(text) == simdjson::SUCCESS && !text.empty() && text.size() < 10 &&
      text.find_first_not_of("0123456789") == std::string_view::npos) {
    intervals = std::stoll(std::string(text));
  } else if (!day || day->get(intervals) != simdjson::SUCCESS) {
    return query::Invalid(field + ".day",
                          "the bar of a stickiness insight: its number of intervals (1, 2, …)");
  }
  if (intervals < 1) return query::Invalid(field + ".day", "must be 1 or more");
  HOGLET_ASSIGN_OR_RETURN(
      std::vector<Uuid> persons,
      query::StickinessActors(stickiness, static_cast<size_t>(series.value_or(0)), intervals,
                              run.context(), *run.source(), project_id));
  const size_t index = static_cast<size_t>(series.value_or(0));
  std::optional<int> group_type_index;
  if (index < stickiness.trends.series.size() &&
      stickiness.trends.series[index].math == query::Math::kUniqueGroup) {
    group_type_index = stickiness.trends.series[index].math_group_type_index;
  }
  return WithoutCounts(persons, group_type_index);
}

// The actors of a bar of a lifecycle insight: its `status` on `day`; groups when it aggregates
// by a group type.
StatusOr<InsightActors> LifecycleBar(const ApiContext& context, TrendsRun& run, element spec,
                                     element source, const std::string& field, int64_t project_id) {
  HOGLET_ASSIGN_OR_RETURN(query::LifecycleQuery lifecycle,
                          NamedFrom(query::ParseLifecycleQuery(spec), field));
  HOGLET_RETURN_IF_ERROR(run.Prepare(lifecycle.trends));
  object root = source.get_object().value_unsafe();
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> status_name,
                          query::OptionalString(root, "status", field + ".status"));
  std::optional<query::LifecycleStatus> status =
      status_name ? query::LifecycleStatusFromName(*status_name) : std::nullopt;
  if (!status) {
    return query::Invalid(field + ".status", "must be new, returning, resurrecting or dormant");
  }
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> day, ParseDay(root, field, run.context().clock));
  if (!day) return query::Invalid(field + ".day", "the bar's date, such as \"2024-01-05\"");
  const std::optional<int> group_type_index = lifecycle.trends.aggregation_group_type_index;
  StoredPersonCreation persons_created(*context.persons, project_id, context.person_creation);
  std::optional<StoredGroupActors> groups_created;
  if (group_type_index) groups_created.emplace(*context.persons, project_id, *group_type_index);
  query::PersonCreation& created = groups_created
                                       ? static_cast<query::PersonCreation&>(*groups_created)
                                       : static_cast<query::PersonCreation&>(persons_created);
  HOGLET_ASSIGN_OR_RETURN(std::vector<Uuid> persons,
                          query::LifecycleActors(lifecycle, *status, *day, run.context(), created,
                                                 *run.source(), project_id));
  return WithoutCounts(persons, group_type_index);
}

// The actors of an InsightActorsQuery (`source`, named `field`): the persons (or groups) behind
// a point of its insight query.
StatusOr<InsightActors> InsightActorsOf(const ApiContext& context, const meta::Project& project,
                                        const std::atomic<bool>& cancelled, element source,
                                        const std::string& field) {
  element insight_spec;
  std::string_view insight_kind;
  if (source["source"].get(insight_spec) != simdjson::SUCCESS || !insight_spec.is_object() ||
      insight_spec["kind"].get(insight_kind) != simdjson::SUCCESS) {
    return query::Invalid(field + ".source", "an InsightActorsQuery needs its insight query");
  }
  InsightActors found;
  if (insight_kind == "TrendsQuery") {
    HOGLET_ASSIGN_OR_RETURN(
        found, TrendsActorsOf(context, project, cancelled, source, insight_spec, field));
  } else if (insight_kind == "RetentionQuery") {
    HOGLET_ASSIGN_OR_RETURN(
        found, RetentionCohortActors(context, project, cancelled, source, insight_spec, field));
  } else if (insight_kind == "PathsQuery") {
    HOGLET_ASSIGN_OR_RETURN(found.found,
                            PathsActorsOf(context, project, cancelled, insight_spec, field));
  } else if (insight_kind == "StickinessQuery") {
    TrendsRun run(context, project, cancelled);
    HOGLET_ASSIGN_OR_RETURN(found, StickinessBar(run, insight_spec, source, field, project.id));
  } else if (insight_kind == "LifecycleQuery") {
    TrendsRun run(context, project, cancelled);
    HOGLET_ASSIGN_OR_RETURN(found,
                            LifecycleBar(context, run, insight_spec, source, field, project.id));
  } else {
    return query::NotYet(field + ".source.kind",
                         "the actors of a " + std::string(insight_kind) +
                             " (TrendsQuery, RetentionQuery, PathsQuery, StickinessQuery and "
                             "LifecycleQuery are served)");
  }
  return found;
}

}  // namespace

StatusOr<std::string> RunActorsQuery(const ApiContext& context, const meta::Project& project,
                                     std::string_view spec_json,
                                     const std::atomic<bool>& cancelled) {
  simdjson::dom::parser parser;
  HOGLET_ASSIGN_OR_RETURN(element spec, ParseQuerySpec(parser, spec_json));
  HOGLET_ASSIGN_OR_RETURN(ActorsQuery actors, ParseActorsQuery(spec));
  const std::string& field = actors.source_field;
  std::string_view source_kind;
  InsightActors insight;
  std::vector<FoundActor>& found = insight.found;
  if (actors.source["kind"].get(source_kind) == simdjson::SUCCESS &&
      (source_kind == "FunnelsActorsQuery" || source_kind == "FunnelCorrelationActorsQuery")) {
    for (size_t i = 0; i < actors.columns.size(); ++i) {
      if (actors.columns[i] == ActorColumn::kEventCount) {
        return query::Invalid("query.select[" + std::to_string(i) + "]",
                              "the actors of a funnel step have no event_count");
      }
    }
    FunnelActorsFound funnel_actors;
    if (source_kind == "FunnelsActorsQuery") {
      HOGLET_ASSIGN_OR_RETURN(funnel_actors,
                              RunFunnelActors(context, project, actors.source, field, cancelled));
    } else {
      HOGLET_ASSIGN_OR_RETURN(
          funnel_actors,
          RunFunnelCorrelationActors(context, project, actors.source, field, cancelled));
    }
    insight.group_type_index = funnel_actors.group_type_index;
    for (const Uuid& actor : funnel_actors.actors) found.push_back({actor, 0, {}, {}});
  } else {
    HOGLET_ASSIGN_OR_RETURN(insight,
                            InsightActorsOf(context, project, cancelled, actors.source, field));
    if (actors.ascending) std::reverse(found.begin(), found.end());
  }

  // The persons (or groups), searched, then the page (and one more, which tells whether there
  // are more).
  struct Row {
    std::optional<persons::Person> person;
    std::optional<persons::Group> group;
    std::string id;  // the person's UUID, or the group's key
    int64_t event_count = 0;
    std::vector<int64_t> appearances;
  };
  std::optional<StoredGroupActors> groups;
  if (insight.group_type_index) {
    groups.emplace(*context.persons, project.id, *insight.group_type_index);
  }
  std::vector<Row> rows;
  int64_t missing = 0;
  const size_t wanted = static_cast<size_t>(actors.offset + actors.limit + 1);
  for (FoundActor& actor : found) {
    if (rows.size() >= wanted) break;
    Row row{{}, {}, actor.person.ToString(), actor.event_count, std::move(actor.appearances)};
    bool matches = true;
    if (groups) {
      HOGLET_ASSIGN_OR_RETURN(const persons::Group* group, groups->Find(actor.person));
      if (group != nullptr) {
        row.group = *group;
        row.id = group->group_key;
      } else if (!actor.group_key.empty()) {
        row.id = actor.group_key;
      }
      matches = actors.search.empty() || (group != nullptr && GroupMatches(*group, actors.search));
    } else {
      HOGLET_ASSIGN_OR_RETURN(row.person, context.persons->PersonByUuid(project.id, actor.person));
      matches = actors.search.empty() || (row.person && Matches(*row.person, actors.search));
    }
    if (!row.person && !row.group) ++missing;
    if (matches) rows.push_back(std::move(row));
  }
  const bool has_more = rows.size() > static_cast<size_t>(actors.offset + actors.limit);

  store::PropertiesParser properties_parser;
  JsonWriter w;
  w.BeginObject();
  w.Key("results");
  w.BeginArray();
  for (size_t i = static_cast<size_t>(actors.offset);
       i < rows.size() && i < static_cast<size_t>(actors.offset + actors.limit); ++i) {
    const Row& row = rows[i];
    w.BeginArray();
    for (size_t c = 0; c < actors.columns.size(); ++c) {
      switch (actors.columns[c]) {
        case ActorColumn::kActor:
          if (row.person) {
            WritePerson(*row.person, properties_parser, &w);
          } else if (row.group) {
            WriteGroupActor(*row.group, &w);
          } else {
            w.BeginObject();
            w.Key("id");
            w.String(row.id);
            w.EndObject();
          }
          break;
        case ActorColumn::kId:
          w.String(row.id);
          break;
        case ActorColumn::kEventCount:
          w.Int(row.event_count);
          break;
        case ActorColumn::kRecordings:  // this server keeps no session recordings
          w.BeginArray();
          w.EndArray();
          break;
        case ActorColumn::kAppearance: {
          const int64_t offset = c < actors.offsets.size() ? actors.offsets[c] : 0;
          w.Int(std::count(row.appearances.begin(), row.appearances.end(), offset) > 0 ? 1 : 0);
          break;
        }
      }
    }
    w.EndArray();
  }
  w.EndArray();
  w.Key("columns");
  w.BeginArray();
  for (const std::string& name : actors.select) w.String(name);
  w.EndArray();
  w.Key("types");
  w.BeginArray();
  for (ActorColumn column : actors.columns) {
    switch (column) {
      case ActorColumn::kActor:
        w.String(insight.group_type_index
                     ? "Tuple(String, Int64, DateTime64(6), String)"
                     : "Tuple(UUID, Array(String), String, DateTime64(6), UInt8)");
        break;
      case ActorColumn::kId:
        w.String(insight.group_type_index ? "String" : "UUID");
        break;
      case ActorColumn::kEventCount:
        w.String("UInt64");
        break;
      case ActorColumn::kRecordings:
        w.String("Array(Tuple(String, Array(Tuple(UUID, DateTime64(6), UUID))))");
        break;
      case ActorColumn::kAppearance:
        w.String("UInt8");
        break;
    }
  }
  w.EndArray();
  WriteQueryPage(has_more, actors.limit, actors.offset, &w);
  w.Key("missing_actors_count");
  w.Int(missing);
  const TimeZone zone = meta::ProjectTimeZone(project);
  WriteQueryClosing({.null_hogql = true, .timezone = zone.name()}, &w);
  return std::move(w).Take();
}

}  // namespace hoglet::api
