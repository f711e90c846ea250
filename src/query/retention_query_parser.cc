#include "query/retention_query_parser.h"

#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "query/insight_parser.h"
#include "query/query_json.h"

namespace hoglet::query {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

Series PageviewEntity() {
  Series series;
  series.event = "$pageview";
  return series;
}

// A RetentionEntity ({"id", "type": "events" | "actions", "properties"}) or an EventsNode /
// ActionsNode at `field`.
StatusOr<Series> ParseEntity(element value, const std::string& field) {
  object entity;
  if (value.get(entity) != simdjson::SUCCESS) return Invalid(field, "must be an object");
  if (Member(entity, "kind") && !Member(entity, "type")) return ParseSeriesNode(value, field);
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> type,
                          OptionalString(entity, "type", field + ".type"));
  Series series;
  std::optional<element> id = Member(entity, "id");
  if (type == "actions") {
    int64_t action_id = 0;
    std::string_view text;
    if (id && id->get(action_id) == simdjson::SUCCESS) {
      series.action_id = action_id;
    } else if (id && id->get(text) == simdjson::SUCCESS && !text.empty() && text.size() < 19 &&
               text.find_first_not_of("0123456789") == std::string_view::npos) {
      series.action_id = std::stoll(std::string(text));
    } else {
      return Invalid(field + ".id", "an actions entity needs the id of an action");
    }
  } else if (!type || *type == "events") {
    std::string_view name;
    if (id && id->get(name) == simdjson::SUCCESS) {
      series.event = std::string(name);
    } else if (id) {
      return Invalid(field + ".id", "an events entity names its event (or null for all events)");
    }
  } else {
    return Invalid(field + ".type", "'" + *type + "' is not an entity type (events, actions)");
  }
  HOGLET_ASSIGN_OR_RETURN(series.custom_name,
                          OptionalString(entity, "custom_name", field + ".custom_name"));
  HOGLET_ASSIGN_OR_RETURN(series.properties,
                          Filters(Member(entity, "properties"), field + ".properties"));
  return series;
}

std::optional<Interval> PeriodFromName(std::string name) {
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "hour") return Interval::kHour;
  if (name == "day") return Interval::kDay;
  if (name == "week") return Interval::kWeek;
  if (name == "month") return Interval::kMonth;
  return std::nullopt;
}

Status ParseRetentionFilter(object filter, RetentionQuery* query) {
  const std::string prefix = "query.retentionFilter.";
  if (std::optional<element> target = Member(filter, "targetEntity")) {
    HOGLET_ASSIGN_OR_RETURN(query->target, ParseEntity(*target, prefix + "targetEntity"));
  }
  if (std::optional<element> returning = Member(filter, "returningEntity")) {
    HOGLET_ASSIGN_OR_RETURN(query->returning, ParseEntity(*returning, prefix + "returningEntity"));
  }

  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> type,
                          OptionalString(filter, "retentionType", prefix + "retentionType"));
  if (type == "retention_first_time") {
    query->type = RetentionType::kFirstTime;
  } else if (type == "retention_first_ever_occurrence") {
    query->type = RetentionType::kFirstEverOccurrence;
  } else if (type && *type != "retention_recurring") {
    return Invalid(prefix + "retentionType",
                   "'" + *type +
                       "' is not a retention type (retention_recurring, retention_first_time, "
                       "retention_first_ever_occurrence)");
  }

  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> period,
                          OptionalString(filter, "period", prefix + "period"));
  if (period) {
    std::optional<Interval> known = PeriodFromName(*period);
    if (!known) {
      return Invalid(prefix + "period",
                     "'" + *period + "' is not a retention period (Hour, Day, Week, Month)");
    }
    query->period = *known;
  }

  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> total,
                          OptionalInt(filter, "totalIntervals", prefix + "totalIntervals"));
  if (total) {
    if (*total < 1 || *total > kMaxRetentionIntervals) {
      return Invalid(prefix + "totalIntervals",
                     "must be a whole number from 1 to " + std::to_string(kMaxRetentionIntervals));
    }
    query->total_intervals = *total;
  }

  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> minimum,
                          OptionalInt(filter, "minimumOccurrences", prefix + "minimumOccurrences"));
  if (minimum) {
    if (*minimum < 1 || *minimum > 1'000'000) {
      return Invalid(prefix + "minimumOccurrences", "must be a whole number from 1 to 1000000");
    }
    query->minimum_occurrences = *minimum;
  }
  HOGLET_ASSIGN_OR_RETURN(query->cumulative,
                          OptionalBool(filter, "cumulative", prefix + "cumulative"));

  HOGLET_ASSIGN_OR_RETURN(
      std::optional<std::string> reference,
      OptionalString(filter, "retentionReference", prefix + "retentionReference"));
  if (reference && *reference != "total" && *reference != "previous") {
    return Invalid(prefix + "retentionReference",
                   "'" + *reference + "' is not a retention reference (total, previous)");
  }
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> window,
                          OptionalString(filter, "timeWindowMode", prefix + "timeWindowMode"));
  if (window == "24_hour_windows") {
    return NotYet(prefix + "timeWindowMode", "timeWindowMode '24_hour_windows'");
  } else if (window && *window != "strict_calendar_dates") {
    return Invalid(
        prefix + "timeWindowMode",
        "'" + *window + "' is not a time window mode (strict_calendar_dates, 24_hour_windows)");
  }
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> aggregation,
                          OptionalString(filter, "aggregationType", prefix + "aggregationType"));
  if (aggregation && *aggregation != "count") {
    return NotYet(prefix + "aggregationType", "aggregationType '" + *aggregation + "'");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<RetentionQuery> ParseRetentionQuery(element value) {
  object root;
  if (value.get(root) != simdjson::SUCCESS) return Invalid("query", "must be an object");
  RetentionQuery query;
  query.target = PageviewEntity();
  query.returning = PageviewEntity();

  bool present = false;
  HOGLET_ASSIGN_OR_RETURN(
      object filter, OptionalObject(root, "retentionFilter", "query.retentionFilter", &present));
  if (present) HOGLET_RETURN_IF_ERROR(ParseRetentionFilter(filter, &query));

  HOGLET_ASSIGN_OR_RETURN(query.date_range, ParseDateRange(root));
  HOGLET_ASSIGN_OR_RETURN(query.properties,
                          Filters(Member(root, "properties"), "query.properties"));
  HOGLET_ASSIGN_OR_RETURN(query.filter_test_accounts,
                          OptionalBool(root, "filterTestAccounts", "query.filterTestAccounts"));
  HOGLET_ASSIGN_OR_RETURN(query.aggregation_group_type_index,
                          GroupTypeIndex(Member(root, "aggregation_group_type_index"),
                                         "query.aggregation_group_type_index"));
  HOGLET_ASSIGN_OR_RETURN(query.breakdown, ParseBreakdownFilter(root));
  if (query.breakdown && query.breakdown->properties.size() != 1) {
    return NotYet("query.breakdownFilter.breakdowns",
                  "a retention broken down by several properties");
  }
  HOGLET_RETURN_IF_ERROR(RefuseSampling(root));
  return query;
}

}  // namespace hoglet::query
