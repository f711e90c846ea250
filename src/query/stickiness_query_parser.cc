#include "query/stickiness_query_parser.h"

#include <optional>
#include <string>
#include <string_view>

#include "query/query_json.h"
#include "query/trends_query_parser.h"

namespace hoglet::query {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

StatusOr<std::optional<StickinessCriteria>> ParseCriteria(object filter) {
  const std::string field = "query.stickinessFilter.stickinessCriteria";
  bool present = false;
  HOGLET_ASSIGN_OR_RETURN(object criteria,
                          OptionalObject(filter, "stickinessCriteria", field, &present));
  if (!present) return std::optional<StickinessCriteria>();
  StickinessCriteria out;
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> op,
                          OptionalString(criteria, "operator", field + ".operator"));
  if (!op || *op == "gte") {
    out.op = CountOperator::kGte;
  } else if (*op == "lte") {
    out.op = CountOperator::kLte;
  } else if (*op == "exact" || *op == "eq") {
    out.op = CountOperator::kEq;
  } else {
    return Invalid(field + ".operator", "must be \"gte\", \"lte\" or \"exact\"");
  }
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> value,
                          OptionalInt(criteria, "value", field + ".value"));
  if (!value || *value < 0) return Invalid(field + ".value", "must be a whole number from 0");
  out.value = *value;
  return std::optional<StickinessCriteria>(out);
}

}  // namespace

StatusOr<StickinessQuery> ParseStickinessQuery(element value) {
  object root;
  if (value.get(root) != simdjson::SUCCESS) return Invalid("query", "must be an object");
  if (Member(root, "breakdownFilter")) {
    return NotYet("query.breakdownFilter", "a breakdown of stickiness");
  }
  StickinessQuery query;
  HOGLET_ASSIGN_OR_RETURN(query.trends, ParseTrendsQuery(value));
  if (query.trends.series.empty()) {
    return Invalid("query.series", "must hold at least one EventsNode or ActionsNode");
  }
  // Every series counts actors: persons, or the groups of its unique_group math.
  for (Series& series : query.trends.series) {
    if (series.math != Math::kUniqueGroup || !series.math_group_type_index) {
      series.math = Math::kDau;
      series.math_group_type_index.reset();
    }
    series.math_property.reset();
  }
  query.trends.aggregation_group_type_index.reset();
  query.trends.display = Display::kTimeSeries;

  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> count,
                          OptionalInt(root, "intervalCount", "query.intervalCount"));
  if (count) {
    if (*count < 1 || *count > kMaxIntervalCount) {
      return Invalid("query.intervalCount",
                     "must be a whole number from 1 to " + std::to_string(kMaxIntervalCount));
    }
    query.interval_count = *count;
  }

  bool present = false;
  HOGLET_ASSIGN_OR_RETURN(
      object filter, OptionalObject(root, "stickinessFilter", "query.stickinessFilter", &present));
  if (present) {
    HOGLET_ASSIGN_OR_RETURN(
        std::optional<std::string> mode,
        OptionalString(filter, "computedAs", "query.stickinessFilter.computedAs"));
    if (!mode || *mode == "non_cumulative") {
      query.mode = StickinessMode::kNonCumulative;
    } else if (*mode == "cumulative") {
      query.mode = StickinessMode::kCumulative;
    } else {
      return Invalid("query.stickinessFilter.computedAs",
                     "must be \"non_cumulative\" or \"cumulative\"");
    }
    HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> display,
                            OptionalString(filter, "display", "query.stickinessFilter.display"));
    if (display) query.display_name = *display;
    HOGLET_ASSIGN_OR_RETURN(query.criteria, ParseCriteria(filter));
  }
  return query;
}

}  // namespace hoglet::query
