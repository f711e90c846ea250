#include "query/trends_query_parser.h"

#include <optional>
#include <string>
#include <string_view>

#include "query/insight_parser.h"
#include "query/query_json.h"

namespace hoglet::query {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

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
                            ParseSeriesNode(node, "query.series[" + std::to_string(index) + "]"));
    query.series.push_back(std::move(parsed));
    ++index;
  }

  HOGLET_ASSIGN_OR_RETURN(query.interval, ParseInterval(root));

  bool present = false;
  HOGLET_ASSIGN_OR_RETURN(query.date_range, ParseDateRange(root));
  HOGLET_ASSIGN_OR_RETURN(query.properties,
                          Filters(Member(root, "properties"), "query.properties"));
  HOGLET_ASSIGN_OR_RETURN(query.filter_test_accounts,
                          OptionalBool(root, "filterTestAccounts", "query.filterTestAccounts"));

  HOGLET_ASSIGN_OR_RETURN(query.breakdown, ParseBreakdownFilter(root));
  for (size_t i = 0; i < query.series.size(); ++i) {
    if (query.series[i].math != Math::kHogQL || !query.breakdown) continue;
    // The HogQL engine groups the aggregate by event or person properties or HogQL expressions.
    const std::string field = "query.series[" + std::to_string(i) + "].math";
    if (query.breakdown->by_cohort()) {
      return NotYet(field, "math 'hogql' with a cohort breakdown");
    }
    for (const BreakdownProperty& by : query.breakdown->properties) {
      if (by.group_type_index) return NotYet(field, "math 'hogql' with a group breakdown");
      if (by.histogram_bin_count) {
        return NotYet(field, "math 'hogql' with a breakdown into histogram bins");
      }
      if (by.normalize_url) {
        return NotYet(field, "math 'hogql' with a breakdown by normalized URLs");
      }
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
  HOGLET_ASSIGN_OR_RETURN(query.sampling_factor, ParseSamplingFactor(root));
  HOGLET_ASSIGN_OR_RETURN(query.aggregation_group_type_index,
                          GroupTypeIndex(Member(root, "aggregation_group_type_index"),
                                         "query.aggregation_group_type_index"));
  return query;
}

}  // namespace hoglet::query
