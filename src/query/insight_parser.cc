#include "query/insight_parser.h"

#include <optional>
#include <string>
#include <string_view>

#include "query/query_json.h"

namespace hoglet::query {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// One property of a breakdown, of type "event" (the default), "person", "group" (with
// `group_index`, from breakdown_group_type_index or the item's group_type_index) or "hogql" (an
// expression), with its histogram bin count when it has one.
StatusOr<BreakdownProperty> ReadBreakdownProperty(
    std::string_view name, const std::string& name_field, const std::optional<std::string>& type,
    const std::string& type_field, std::optional<element> group_index,
    const std::string& group_field, std::optional<element> bins, const std::string& bins_field) {
  if (type && *type != "event" && *type != "person" && *type != "group" && *type != "hogql") {
    return NotYet(type_field, "breakdown type '" + *type + "'");
  }
  BreakdownProperty property{std::string(name), type == "person", std::nullopt, type == "hogql",
                             std::nullopt};
  if (type == "group") {
    HOGLET_ASSIGN_OR_RETURN(property.group_type_index, GroupTypeIndex(group_index, group_field));
    if (!property.group_type_index) {
      return Invalid(group_field, "a group breakdown needs its group type index (0 to 4)");
    }
  }
  if (property.hogql) {
    if (name.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      return Invalid(name_field, "a hogql breakdown needs an expression");
    }
    if (name.size() > kMaxHogQLBreakdownBytes) {
      return Invalid(name_field, "a hogql breakdown expression is at most " +
                                     std::to_string(kMaxHogQLBreakdownBytes) + " bytes");
    }
  }
  if (bins && !bins->is_null()) {
    int64_t count = 0;
    if (bins->get(count) != simdjson::SUCCESS || count < 1 || count > kMaxHistogramBins) {
      return Invalid(bins_field,
                     "must be a whole number from 1 to " + std::to_string(kMaxHistogramBins));
    }
    property.histogram_bin_count = static_cast<int>(count);
  }
  return property;
}

// breakdownFilter.breakdown of a cohort breakdown: a cohort id, "all", or a list of them.
StatusOr<std::vector<int64_t>> ReadBreakdownCohorts(element value, const std::string& field) {
  auto one = [&](element item) -> StatusOr<int64_t> {
    int64_t id = 0;
    std::string_view text;
    if (item.get(id) == simdjson::SUCCESS && id >= 0) return id;
    if (item.get(text) == simdjson::SUCCESS) {
      if (text == "all") return kAllUsersCohort;
      if (!text.empty() && text.size() < 19 &&
          text.find_first_not_of("0123456789") == std::string_view::npos) {
        return std::stoll(std::string(text));
      }
    }
    return Invalid(field, "a cohort breakdown lists cohort ids or \"all\"");
  };
  std::vector<int64_t> cohorts;
  simdjson::dom::array list;
  if (value.get(list) == simdjson::SUCCESS) {
    if (list.size() == 0) return Invalid(field, "a cohort breakdown needs at least one cohort");
    if (list.size() > kMaxBreakdownCohorts) {
      return Invalid(field, "at most " + std::to_string(kMaxBreakdownCohorts) + " cohorts");
    }
    for (element item : list) {
      HOGLET_ASSIGN_OR_RETURN(int64_t id, one(item));
      cohorts.push_back(id);
    }
  } else {
    HOGLET_ASSIGN_OR_RETURN(int64_t id, one(value));
    cohorts.push_back(id);
  }
  return cohorts;
}

}  // namespace

StatusOr<Series> ParseSeriesNode(element value, const std::string& field) {
  object node;
  if (value.get(node) != simdjson::SUCCESS) return Invalid(field, "must be an object");
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> kind,
                          OptionalString(node, "kind", field + ".kind"));
  if (kind != "EventsNode" && kind != "ActionsNode") {
    return Invalid(field + ".kind", "must be \"EventsNode\" or \"ActionsNode\"");
  }
  Series series;
  if (kind == "ActionsNode") {
    std::optional<element> id = Member(node, "id");
    int64_t action_id = 0;
    std::string_view id_text;
    if (id && id->get(action_id) == simdjson::SUCCESS) {
      series.action_id = action_id;
    } else if (id && id->get(id_text) == simdjson::SUCCESS && !id_text.empty() &&
               id_text.find_first_not_of("0123456789") == std::string_view::npos &&
               id_text.size() < 19) {
      series.action_id = std::stoll(std::string(id_text));
    } else {
      return Invalid(field + ".id", "an ActionsNode needs the id of an action");
    }
  } else {
    HOGLET_ASSIGN_OR_RETURN(series.event, OptionalString(node, "event", field + ".event"));
  }
  HOGLET_ASSIGN_OR_RETURN(series.custom_name,
                          OptionalString(node, "custom_name", field + ".custom_name"));
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> math,
                          OptionalString(node, "math", field + ".math"));
  if (math) {
    std::optional<Math> known = MathFromName(*math);
    if (!known) {
      return Invalid(field + ".math",
                     "'" + *math +
                         "' is not a math (total, dau, weekly_active, monthly_active, "
                         "unique_session, sum, avg, min, max, median, p75, p90, p95, p99, "
                         "avg_count_per_actor, first_time_for_user, hogql, …)");
    }
    series.math = *known;
  }
  HOGLET_ASSIGN_OR_RETURN(series.math_hogql,
                          OptionalString(node, "math_hogql", field + ".math_hogql"));
  if (series.math == Math::kHogQL) {
    if (!series.math_hogql || series.math_hogql->empty()) {
      return Invalid(field + ".math_hogql",
                     "math 'hogql' needs the HogQL aggregate to compute, e.g. \"count()\"");
    }
    if (series.math_hogql->size() > kMaxMathHogQLBytes) {
      return Invalid(field + ".math_hogql",
                     "is longer than " + std::to_string(kMaxMathHogQLBytes) + " bytes");
    }
  } else {
    series.math_hogql.reset();
  }
  HOGLET_ASSIGN_OR_RETURN(
      series.math_group_type_index,
      GroupTypeIndex(Member(node, "math_group_type_index"), field + ".math_group_type_index"));
  if (series.math == Math::kUniqueGroup && !series.math_group_type_index) {
    return Invalid(field + ".math_group_type_index",
                   "math 'unique_group' needs the group type index to count (0 to 4)");
  }
  HOGLET_ASSIGN_OR_RETURN(series.math_property,
                          OptionalString(node, "math_property", field + ".math_property"));
  if (MathNeedsProperty(series.math) && !series.math_property) {
    return Invalid(field + ".math_property", "math '" + std::string(MathName(series.math)) +
                                                 "' needs the property to aggregate");
  }
  HOGLET_ASSIGN_OR_RETURN(
      std::optional<std::string> property_type,
      OptionalString(node, "math_property_type", field + ".math_property_type"));
  if (property_type && *property_type != "event_properties") {
    return NotYet(field + ".math_property_type", "'" + *property_type + "'");
  }
  HOGLET_ASSIGN_OR_RETURN(series.properties,
                          Filters(Member(node, "properties"), field + ".properties"));
  return series;
}

StatusOr<Interval> ParseInterval(object root) {
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> interval,
                          OptionalString(root, "interval", "query.interval"));
  if (!interval) return Interval::kDay;
  std::optional<Interval> known = IntervalFromName(*interval);
  if (!known) {
    return Invalid("query.interval",
                   "'" + *interval + "' is not an interval (minute, hour, day, week, month)");
  }
  return *known;
}

Status RefuseSampling(object root) {
  std::optional<element> sampling = Member(root, "samplingFactor");
  double factor = 1;
  if (sampling && (sampling->get(factor) != simdjson::SUCCESS || factor != 1)) {
    return NotYet("query.samplingFactor", "sampling");
  }
  return Status::Ok();
}

StatusOr<std::optional<double>> ParseSamplingFactor(object root) {
  std::optional<element> sampling = Member(root, "samplingFactor");
  if (!sampling || sampling->is_null()) return std::optional<double>();
  double factor = 0;
  if (sampling->get(factor) != simdjson::SUCCESS || !(factor >= 0) || factor > 1) {
    return Invalid("query.samplingFactor", "must be a number from 0 to 1 (e.g. 0.1 for 10%)");
  }
  // 0 and 1 read every event, as ClickHouse's SAMPLE 0 and SAMPLE 1 do.
  if (factor == 0 || factor == 1) return std::optional<double>();
  return std::optional<double>(factor);
}

StatusOr<DateRangeSpec> ParseDateRange(object root) {
  DateRangeSpec spec;
  bool present = false;
  HOGLET_ASSIGN_OR_RETURN(object range,
                          OptionalObject(root, "dateRange", "query.dateRange", &present));
  if (!present) return spec;
  HOGLET_ASSIGN_OR_RETURN(spec.date_from,
                          OptionalString(range, "date_from", "query.dateRange.date_from"));
  HOGLET_ASSIGN_OR_RETURN(spec.date_to,
                          OptionalString(range, "date_to", "query.dateRange.date_to"));
  HOGLET_ASSIGN_OR_RETURN(spec.explicit_date,
                          OptionalBool(range, "explicitDate", "query.dateRange.explicitDate"));
  return spec;
}

StatusOr<std::optional<Breakdown>> ParseBreakdownFilter(object root) {
  bool present = false;
  HOGLET_ASSIGN_OR_RETURN(
      object breakdown_filter,
      OptionalObject(root, "breakdownFilter", "query.breakdownFilter", &present));
  if (!present) return std::optional<Breakdown>();
  Breakdown breakdown;
  std::optional<element> breakdowns = Member(breakdown_filter, "breakdowns");
  simdjson::dom::array list;
  if (breakdowns && !breakdowns->is_null()) {
    if (breakdowns->get(list) != simdjson::SUCCESS) {
      return Invalid("query.breakdownFilter.breakdowns", "must be a list of {property, type}");
    }
    if (list.size() > kMaxBreakdowns) {
      return Invalid("query.breakdownFilter.breakdowns",
                     "at most " + std::to_string(kMaxBreakdowns) + " breakdowns");
    }
    size_t index = 0;
    for (element item : list) {
      std::string field = "query.breakdownFilter.breakdowns[" + std::to_string(index++) + "]";
      object node;
      std::string_view name;
      if (item.get(node) != simdjson::SUCCESS || node["property"].get(name) != simdjson::SUCCESS) {
        return Invalid(field, "must be an object with a property name");
      }
      HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> type,
                              OptionalString(node, "type", field + ".type"));
      HOGLET_ASSIGN_OR_RETURN(
          BreakdownProperty read,
          ReadBreakdownProperty(name, field + ".property", type, field + ".type",
                                Member(node, "group_type_index"), field + ".group_type_index",
                                Member(node, "histogram_bin_count"),
                                field + ".histogram_bin_count"));
      HOGLET_ASSIGN_OR_RETURN(read.normalize_url,
                              OptionalBool(node, "normalize_url", field + ".normalize_url"));
      breakdown.properties.push_back(std::move(read));
    }
    breakdown.multiple = !breakdown.properties.empty();
  }
  std::optional<element> property = Member(breakdown_filter, "breakdown");
  if (breakdown.properties.empty() && property && !property->is_null()) {
    HOGLET_ASSIGN_OR_RETURN(
        std::optional<std::string> type,
        OptionalString(breakdown_filter, "breakdown_type", "query.breakdownFilter.breakdown_type"));
    if (type == "cohort") {
      HOGLET_ASSIGN_OR_RETURN(breakdown.cohorts,
                              ReadBreakdownCohorts(*property, "query.breakdownFilter.breakdown"));
    } else {
      std::string_view name;
      if (property->get(name) != simdjson::SUCCESS) {
        return NotYet("query.breakdownFilter.breakdown", "a breakdown that is not one property");
      }
      HOGLET_ASSIGN_OR_RETURN(
          BreakdownProperty read,
          ReadBreakdownProperty(name, "query.breakdownFilter.breakdown", type,
                                "query.breakdownFilter.breakdown_type",
                                Member(breakdown_filter, "breakdown_group_type_index"),
                                "query.breakdownFilter.breakdown_group_type_index",
                                Member(breakdown_filter, "breakdown_histogram_bin_count"),
                                "query.breakdownFilter.breakdown_histogram_bin_count"));
      HOGLET_ASSIGN_OR_RETURN(read.normalize_url,
                              OptionalBool(breakdown_filter, "breakdown_normalize_url",
                                           "query.breakdownFilter.breakdown_normalize_url"));
      breakdown.properties.push_back(std::move(read));
    }
  }
  if (!breakdown.properties.empty() || breakdown.by_cohort()) {
    std::optional<element> limit = Member(breakdown_filter, "breakdown_limit");
    if (limit && !limit->is_null()) {
      int64_t n = 0;
      if (limit->get(n) != simdjson::SUCCESS || n < 1 || n > 10000) {
        return Invalid("query.breakdownFilter.breakdown_limit",
                       "must be a whole number from 1 to 10000");
      }
      breakdown.limit = static_cast<size_t>(n);
    }
    HOGLET_ASSIGN_OR_RETURN(breakdown.hide_other,
                            OptionalBool(breakdown_filter, "breakdown_hide_other_aggregation",
                                         "query.breakdownFilter.breakdown_hide_other_aggregation"));
    return std::optional<Breakdown>(std::move(breakdown));
  }
  return std::optional<Breakdown>();
}

Status RefuseTrendsOnlyBreakdown(const std::optional<Breakdown>& breakdown,
                                 std::string_view insight) {
  if (!breakdown) return Status::Ok();
  if (breakdown->by_cohort()) {
    return NotYet("query.breakdownFilter.breakdown_type",
                  "a " + std::string(insight) + " broken down by cohort");
  }
  for (const BreakdownProperty& by : breakdown->properties) {
    if (by.hogql) {
      return NotYet("query.breakdownFilter.breakdown_type",
                    "a " + std::string(insight) + " broken down by a HogQL expression");
    }
    if (by.histogram_bin_count) {
      return NotYet("query.breakdownFilter.breakdown_histogram_bin_count",
                    "a " + std::string(insight) + " broken down into histogram bins");
    }
  }
  return Status::Ok();
}

}  // namespace hoglet::query
