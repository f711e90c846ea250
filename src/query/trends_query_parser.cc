#include "query/trends_query_parser.h"

#include <optional>
#include <string>
#include <string_view>

#include "query/query_json.h"

namespace hoglet::query {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

StatusOr<Series> ParseSeries(element value, const std::string& field) {
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
      if (*math == "hogql" || *math == "first_time_for_user" ||
          *math == "first_matching_event_for_user") {
        return NotYet(field + ".math", "math '" + *math + "'");
      }
      return Invalid(field + ".math",
                     "'" + *math +
                         "' is not a math (total, dau, weekly_active, monthly_active, "
                         "unique_session, sum, avg, min, max, median, p75, p90, p95, p99, "
                         "avg_count_per_actor, …)");
    }
    series.math = *known;
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

Display DisplayOf(std::string_view name) {
  if (name == "BoldNumber" || name == "ActionsPie" || name == "ActionsBarValue" ||
      name == "ActionsTable" || name == "WorldMap") {
    return Display::kTotalValue;
  }
  if (name == "ActionsLineGraphCumulative") return Display::kCumulative;
  return Display::kTimeSeries;
}

// trendsFilter.formulaNodes ([{formula, custom_name}]), or the older formula (one text) and
// formulas (texts); empty texts are no formula.
StatusOr<std::vector<FormulaNode>> ParseFormulas(object trends_filter, size_t series_count) {
  std::vector<FormulaNode> formulas;
  auto add = [&](std::string_view text, std::optional<std::string> custom_name,
                 const std::string& field) -> Status {
    if (text.find_first_not_of(" \t") == std::string_view::npos) return Status::Ok();
    if (formulas.size() == kMaxSeries) {
      return Invalid(field, "at most " + std::to_string(kMaxSeries) + " formulas");
    }
    HOGLET_ASSIGN_OR_RETURN(Formula formula, Formula::Parse(text, field, series_count));
    formulas.push_back({std::string(text), std::move(formula), std::move(custom_name)});
    return Status::Ok();
  };
  std::optional<element> nodes = Member(trends_filter, "formulaNodes");
  if (nodes && !nodes->is_null()) {
    simdjson::dom::array list;
    if (nodes->get(list) != simdjson::SUCCESS) {
      return Invalid("query.trendsFilter.formulaNodes", "must be a list of {formula, custom_name}");
    }
    size_t index = 0;
    for (element node : list) {
      std::string field = "query.trendsFilter.formulaNodes[" + std::to_string(index++) + "]";
      object item;
      std::string_view text;
      if (node.get(item) != simdjson::SUCCESS || item["formula"].get(text) != simdjson::SUCCESS) {
        return Invalid(field, "must be an object with a formula text");
      }
      HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> custom_name,
                              OptionalString(item, "custom_name", field + ".custom_name"));
      HOGLET_RETURN_IF_ERROR(add(text, std::move(custom_name), field + ".formula"));
    }
    return formulas;
  }
  std::optional<element> texts = Member(trends_filter, "formulas");
  if (texts && !texts->is_null()) {
    simdjson::dom::array list;
    if (texts->get(list) != simdjson::SUCCESS) {
      return Invalid("query.trendsFilter.formulas", "must be a list of formula texts");
    }
    size_t index = 0;
    for (element node : list) {
      std::string field = "query.trendsFilter.formulas[" + std::to_string(index++) + "]";
      std::string_view text;
      if (node.get(text) != simdjson::SUCCESS) return Invalid(field, "must be a formula text");
      HOGLET_RETURN_IF_ERROR(add(text, std::nullopt, field));
    }
    return formulas;
  }
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> text,
                          OptionalString(trends_filter, "formula", "query.trendsFilter.formula"));
  if (text) HOGLET_RETURN_IF_ERROR(add(*text, std::nullopt, "query.trendsFilter.formula"));
  return formulas;
}

// One property of a breakdown, of type "event" (the default), "person" or "group" (with
// `group_index`, from breakdown_group_type_index or the item's group_type_index).
StatusOr<BreakdownProperty> ReadBreakdownProperty(std::string_view name,
                                                  const std::optional<std::string>& type,
                                                  const std::string& type_field,
                                                  std::optional<element> group_index,
                                                  const std::string& group_field) {
  if (type && *type != "event" && *type != "person" && *type != "group") {
    return NotYet(type_field, "breakdown type '" + *type + "'");
  }
  BreakdownProperty property{std::string(name), type == "person", std::nullopt};
  if (type == "group") {
    HOGLET_ASSIGN_OR_RETURN(property.group_type_index, GroupTypeIndex(group_index, group_field));
    if (!property.group_type_index) {
      return Invalid(group_field, "a group breakdown needs its group type index (0 to 4)");
    }
  }
  return property;
}

}  // namespace

StatusOr<TrendsQuery> ParseTrendsQuery(element value) {
  object root;
  if (value.get(root) != simdjson::SUCCESS) return Invalid("query", "must be an object");
  TrendsQuery query;

  simdjson::dom::array series;
  std::optional<element> series_value = Member(root, "series");
  if (!series_value || series_value->get(series) != simdjson::SUCCESS) {
    return Invalid("query.series", "must be a list of EventsNode series");
  }
  size_t index = 0;
  for (element node : series) {
    if (index == kMaxSeries) {
      return Invalid("query.series", "at most " + std::to_string(kMaxSeries) + " series");
    }
    HOGLET_ASSIGN_OR_RETURN(Series parsed,
                            ParseSeries(node, "query.series[" + std::to_string(index) + "]"));
    query.series.push_back(std::move(parsed));
    ++index;
  }

  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> interval,
                          OptionalString(root, "interval", "query.interval"));
  if (interval) {
    std::optional<Interval> known = IntervalFromName(*interval);
    if (!known) {
      return Invalid("query.interval",
                     "'" + *interval + "' is not an interval (minute, hour, day, week, month)");
    }
    query.interval = *known;
  }

  bool present = false;
  HOGLET_ASSIGN_OR_RETURN(object range,
                          OptionalObject(root, "dateRange", "query.dateRange", &present));
  if (present) {
    HOGLET_ASSIGN_OR_RETURN(query.date_range.date_from,
                            OptionalString(range, "date_from", "query.dateRange.date_from"));
    HOGLET_ASSIGN_OR_RETURN(query.date_range.date_to,
                            OptionalString(range, "date_to", "query.dateRange.date_to"));
    HOGLET_ASSIGN_OR_RETURN(query.date_range.explicit_date,
                            OptionalBool(range, "explicitDate", "query.dateRange.explicitDate"));
  }

  HOGLET_ASSIGN_OR_RETURN(query.properties,
                          Filters(Member(root, "properties"), "query.properties"));
  HOGLET_ASSIGN_OR_RETURN(query.filter_test_accounts,
                          OptionalBool(root, "filterTestAccounts", "query.filterTestAccounts"));

  HOGLET_ASSIGN_OR_RETURN(
      object breakdown_filter,
      OptionalObject(root, "breakdownFilter", "query.breakdownFilter", &present));
  if (present) {
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
        if (item.get(node) != simdjson::SUCCESS ||
            node["property"].get(name) != simdjson::SUCCESS) {
          return Invalid(field, "must be an object with a property name");
        }
        HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> type,
                                OptionalString(node, "type", field + ".type"));
        HOGLET_ASSIGN_OR_RETURN(
            BreakdownProperty read,
            ReadBreakdownProperty(name, type, field + ".type", Member(node, "group_type_index"),
                                  field + ".group_type_index"));
        breakdown.properties.push_back(std::move(read));
      }
      breakdown.multiple = !breakdown.properties.empty();
    }
    std::optional<element> property = Member(breakdown_filter, "breakdown");
    if (breakdown.properties.empty() && property && !property->is_null()) {
      std::string_view name;
      if (property->get(name) != simdjson::SUCCESS) {
        return NotYet("query.breakdownFilter.breakdown", "a breakdown that is not one property");
      }
      HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> type,
                              OptionalString(breakdown_filter, "breakdown_type",
                                             "query.breakdownFilter.breakdown_type"));
      HOGLET_ASSIGN_OR_RETURN(
          BreakdownProperty read,
          ReadBreakdownProperty(name, type, "query.breakdownFilter.breakdown_type",
                                Member(breakdown_filter, "breakdown_group_type_index"),
                                "query.breakdownFilter.breakdown_group_type_index"));
      breakdown.properties.push_back(std::move(read));
    }
    if (!breakdown.properties.empty()) {
      std::optional<element> limit = Member(breakdown_filter, "breakdown_limit");
      if (limit && !limit->is_null()) {
        int64_t n = 0;
        if (limit->get(n) != simdjson::SUCCESS || n < 1 || n > 10000) {
          return Invalid("query.breakdownFilter.breakdown_limit",
                         "must be a whole number from 1 to 10000");
        }
        breakdown.limit = static_cast<size_t>(n);
      }
      HOGLET_ASSIGN_OR_RETURN(
          breakdown.hide_other,
          OptionalBool(breakdown_filter, "breakdown_hide_other_aggregation",
                       "query.breakdownFilter.breakdown_hide_other_aggregation"));
      query.breakdown = std::move(breakdown);
    }
  }

  HOGLET_ASSIGN_OR_RETURN(object trends_filter,
                          OptionalObject(root, "trendsFilter", "query.trendsFilter", &present));
  if (present) {
    HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> display,
                            OptionalString(trends_filter, "display", "query.trendsFilter.display"));
    if (display) {
      query.display_name = *display;
      query.display = DisplayOf(*display);
      if (*display == "WorldMap" && query.breakdown) query.breakdown->limit = 250;
    }
    HOGLET_ASSIGN_OR_RETURN(query.formulas, ParseFormulas(trends_filter, query.series.size()));
    std::optional<element> smoothing = Member(trends_filter, "smoothingIntervals");
    if (smoothing && !smoothing->is_null()) {
      int64_t intervals = 0;
      if (smoothing->get(intervals) != simdjson::SUCCESS || intervals < 1 || intervals > 1000) {
        return Invalid("query.trendsFilter.smoothingIntervals",
                       "must be a whole number from 1 to 1000");
      }
      query.smoothing_intervals = static_cast<size_t>(intervals);
    }
  }

  HOGLET_ASSIGN_OR_RETURN(object compare_filter,
                          OptionalObject(root, "compareFilter", "query.compareFilter", &present));
  if (present) {
    HOGLET_ASSIGN_OR_RETURN(bool compare,
                            OptionalBool(compare_filter, "compare", "query.compareFilter.compare"));
    if (compare) {
      Compare with;
      HOGLET_ASSIGN_OR_RETURN(with.compare_to, OptionalString(compare_filter, "compare_to",
                                                              "query.compareFilter.compare_to"));
      query.compare = std::move(with);
    }
  }
  std::optional<element> sampling = Member(root, "samplingFactor");
  double factor = 1;
  if (sampling && (sampling->get(factor) != simdjson::SUCCESS || factor != 1)) {
    return NotYet("query.samplingFactor", "sampling");
  }
  HOGLET_ASSIGN_OR_RETURN(query.aggregation_group_type_index,
                          GroupTypeIndex(Member(root, "aggregation_group_type_index"),
                                         "query.aggregation_group_type_index"));
  return query;
}

}  // namespace hoglet::query
