#include "query/retention_query_parser.h"

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// retentionCustomBrackets: whole numbers of periods, each 1 or more; an empty list is none.
StatusOr<std::vector<int64_t>> ParseBrackets(object filter, const std::string& prefix) {
  const std::string field = prefix + "retentionCustomBrackets";
  std::vector<int64_t> brackets;
  std::optional<element> value = Member(filter, "retentionCustomBrackets");
  if (!value) return brackets;
  simdjson::dom::array list;
  if (value->get(list) != simdjson::SUCCESS) return Invalid(field, "must be a list of numbers");
  int64_t total = 0;
  for (element item : list) {
    const std::string at = field + "[" + std::to_string(brackets.size()) + "]";
    double number = 0;
    int64_t whole = 0;
    if (item.get(whole) == simdjson::SUCCESS) {
      number = static_cast<double>(whole);
    } else if (item.get(number) != simdjson::SUCCESS) {
      return Invalid(at, "must be a number of periods");
    }
    if (number < 1 || number > static_cast<double>(kMaxRetentionIntervals) ||
        number != static_cast<double>(static_cast<int64_t>(number))) {
      return Invalid(at,
                     "must be a whole number from 1 to " + std::to_string(kMaxRetentionIntervals));
    }
    brackets.push_back(static_cast<int64_t>(number));
    total += brackets.back();
    if (brackets.size() >= static_cast<size_t>(kMaxRetentionIntervals) ||
        total > kMaxRetentionBracketPeriods) {
      return Invalid(field, "must hold fewer than " + std::to_string(kMaxRetentionIntervals) +
                                " brackets of at most " +
                                std::to_string(kMaxRetentionBracketPeriods) + " periods in all");
    }
  }
  return brackets;
}

// aggregationType, aggregationProperty and aggregationPropertyType. A sum or average without a
// property counts actors, as PostHog's runner does.
Status ParseAggregation(object filter, const std::string& prefix, RetentionQuery* query) {
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> aggregation,
                          OptionalString(filter, "aggregationType", prefix + "aggregationType"));
  if (aggregation && *aggregation != "count" && *aggregation != "sum" && *aggregation != "avg") {
    return Invalid(prefix + "aggregationType",
                   "'" + *aggregation + "' is not an aggregation type (count, sum, avg)");
  }
  HOGLET_ASSIGN_OR_RETURN(
      std::optional<std::string> property,
      OptionalString(filter, "aggregationProperty", prefix + "aggregationProperty"));
  HOGLET_ASSIGN_OR_RETURN(
      std::optional<std::string> type,
      OptionalString(filter, "aggregationPropertyType", prefix + "aggregationPropertyType"));
  if (type == "data_warehouse") {
    return NotYet(prefix + "aggregationPropertyType", "a data warehouse aggregation property");
  } else if (type && *type != "event" && *type != "person") {
    return Invalid(prefix + "aggregationPropertyType",
                   "'" + *type + "' is not a property type (event, person)");
  }
  if (!aggregation || *aggregation == "count" || !property || property->empty()) {
    return Status::Ok();
  }
  query->aggregation =
      *aggregation == "sum" ? RetentionAggregation::kSum : RetentionAggregation::kAvg;
  query->aggregation_property = *property;
  query->aggregation_person_property = type == "person";
  return Status::Ok();
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
    query->window = RetentionWindow::k24HourWindows;
  } else if (window && *window != "strict_calendar_dates") {
    return Invalid(
        prefix + "timeWindowMode",
        "'" + *window + "' is not a time window mode (strict_calendar_dates, 24_hour_windows)");
  }
  HOGLET_ASSIGN_OR_RETURN(query->brackets, ParseBrackets(filter, prefix));
  return ParseAggregation(filter, prefix, query);
}

// The combinations PostHog refuses, or answers with columns that do not mean what they say:
// refused, each naming its field.
Status RefuseCombinations(const RetentionQuery& query) {
  const std::string prefix = "query.retentionFilter.";
  const bool aggregated = query.aggregation != RetentionAggregation::kCount;
  if (query.window == RetentionWindow::k24HourWindows) {
    if (query.cumulative) {
      return Invalid(prefix + "cumulative",
                     "Cumulative retention is not supported for 24 hour windows.");
    }
    if (!query.brackets.empty()) {
      return NotYet(prefix + "retentionCustomBrackets", "custom brackets with 24_hour_windows");
    }
    if (query.minimum_occurrences > 1) {
      return NotYet(prefix + "minimumOccurrences", "minimumOccurrences with 24_hour_windows");
    }
    if (aggregated) {
      return NotYet(prefix + "aggregationType", "a sum or average with 24_hour_windows");
    }
  }
  if (aggregated) {
    if (query.cumulative) {
      return NotYet(prefix + "aggregationType", "a cumulative sum or average");
    }
    if (!query.brackets.empty()) {
      return NotYet(prefix + "aggregationType", "a sum or average over custom brackets");
    }
    if (query.minimum_occurrences > 1) {
      return NotYet(prefix + "minimumOccurrences", "minimumOccurrences with a sum or average");
    }
  }
  return Status::Ok();
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
  HOGLET_RETURN_IF_ERROR(RefuseCombinations(query));

  HOGLET_ASSIGN_OR_RETURN(query.date_range, ParseDateRange(root));
  HOGLET_ASSIGN_OR_RETURN(query.properties,
                          Filters(Member(root, "properties"), "query.properties"));
  HOGLET_ASSIGN_OR_RETURN(query.filter_test_accounts,
                          OptionalBool(root, "filterTestAccounts", "query.filterTestAccounts"));
  HOGLET_ASSIGN_OR_RETURN(query.aggregation_group_type_index,
                          GroupTypeIndex(Member(root, "aggregation_group_type_index"),
                                         "query.aggregation_group_type_index"));
  HOGLET_ASSIGN_OR_RETURN(query.breakdown, ParseBreakdownFilter(root));
  HOGLET_RETURN_IF_ERROR(RefuseTrendsOnlyBreakdown(query.breakdown, "retention"));
  if (query.breakdown && query.breakdown->properties.size() != 1) {
    return NotYet("query.breakdownFilter.breakdowns",
                  "a retention broken down by several properties");
  }
  HOGLET_RETURN_IF_ERROR(RefuseSampling(root));
  return query;
}

}  // namespace hoglet::query
