#include "query/funnels_query_parser.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/insight_parser.h"
#include "query/query_json.h"
#include "query/trends_query_parser.h"

namespace hoglet::query {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

constexpr int64_t kSecondUs = 1'000'000;

// The length of one funnelWindowIntervalUnit, as PostHog's DATERANGE_MAP has it (a month is 30
// days); nullopt for a unit it does not know.
std::optional<int64_t> WindowUnitUs(std::string_view unit) {
  if (unit == "second") return kSecondUs;
  if (unit == "minute") return 60 * kSecondUs;
  if (unit == "hour") return 3600 * kSecondUs;
  if (unit == "day") return 86'400 * kSecondUs;
  if (unit == "week") return 7 * 86'400 * kSecondUs;
  if (unit == "month") return 30 * 86'400 * kSecondUs;
  return std::nullopt;
}

// A step index field (funnelFromStep, breakdownAttributionValue…): nullopt when absent; below
// `limit` otherwise.
StatusOr<std::optional<size_t>> StepIndex(object parent, std::string_view key,
                                          const std::string& field, size_t limit) {
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> value, OptionalInt(parent, key, field));
  if (!value) return std::optional<size_t>();
  if (*value < 0 || static_cast<uint64_t>(*value) >= limit) {
    return Invalid(field, "must be a step index from 0 to " + std::to_string(limit - 1));
  }
  return std::optional<size_t>(static_cast<size_t>(*value));
}

StatusOr<FunnelExclusion> ParseExclusion(element value, const std::string& field, size_t steps) {
  HOGLET_ASSIGN_OR_RETURN(Series node, ParseSeriesNode(value, field));
  object item;
  if (value.get(item) != simdjson::SUCCESS) return Invalid(field, "must be an object");
  HOGLET_ASSIGN_OR_RETURN(std::optional<size_t> from,
                          StepIndex(item, "funnelFromStep", field + ".funnelFromStep", steps));
  HOGLET_ASSIGN_OR_RETURN(std::optional<size_t> to,
                          StepIndex(item, "funnelToStep", field + ".funnelToStep", steps));
  if (!from || !to) {
    return Invalid(field, "an exclusion needs funnelFromStep and funnelToStep (0-based steps)");
  }
  if (*from >= *to) {
    return Invalid(field + ".funnelToStep", "must be after funnelFromStep");
  }
  return FunnelExclusion{std::move(node), *from, *to};
}

Status ParseFunnelsFilter(object filter, FunnelsQuery* query) {
  const size_t steps = query->steps.size();
  HOGLET_ASSIGN_OR_RETURN(
      std::optional<std::string> order,
      OptionalString(filter, "funnelOrderType", "query.funnelsFilter.funnelOrderType"));
  if (order == "strict") {
    query->order = FunnelOrder::kStrict;
  } else if (order == "unordered") {
    query->order = FunnelOrder::kUnordered;
  } else if (order && *order != "ordered") {
    return Invalid("query.funnelsFilter.funnelOrderType",
                   "'" + *order + "' is not an order (ordered, strict, unordered)");
  }

  HOGLET_ASSIGN_OR_RETURN(
      std::optional<std::string> viz,
      OptionalString(filter, "funnelVizType", "query.funnelsFilter.funnelVizType"));
  if (viz == "time_to_convert") {
    query->viz = FunnelViz::kTimeToConvert;
  } else if (viz == "trends") {
    query->viz = FunnelViz::kTrends;
  } else if (viz && *viz != "steps") {
    return Invalid("query.funnelsFilter.funnelVizType",
                   "'" + *viz + "' is not a funnel display (steps, time_to_convert, trends)");
  }

  HOGLET_ASSIGN_OR_RETURN(
      std::optional<int64_t> window,
      OptionalInt(filter, "funnelWindowInterval", "query.funnelsFilter.funnelWindowInterval"));
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> unit,
                          OptionalString(filter, "funnelWindowIntervalUnit",
                                         "query.funnelsFilter.funnelWindowIntervalUnit"));
  int64_t unit_us = 86'400 * kSecondUs;
  if (unit) {
    std::optional<int64_t> known = WindowUnitUs(*unit);
    if (!known) {
      return Invalid("query.funnelsFilter.funnelWindowIntervalUnit",
                     "'" + *unit + "' is not a unit (second, minute, hour, day, week, month)");
    }
    unit_us = *known;
  }
  // Up to ten years: a longer window is every event anyway, and the product must not overflow.
  constexpr int64_t kMaxWindowUs = 3650LL * 86'400 * kSecondUs;
  const int64_t count = window.value_or(14);
  if (count < 1 || count > kMaxWindowUs / unit_us) {
    return Invalid("query.funnelsFilter.funnelWindowInterval",
                   "must be a whole number from 1 to " + std::to_string(kMaxWindowUs / unit_us) +
                       " of funnelWindowIntervalUnit");
  }
  query->window_us = count * unit_us;
  query->window_interval = window;
  if (unit) query->window_unit = *unit;

  std::optional<element> exclusions = Member(filter, "exclusions");
  if (exclusions) {
    simdjson::dom::array list;
    if (exclusions->get(list) != simdjson::SUCCESS) {
      return Invalid("query.funnelsFilter.exclusions",
                     "must be a list of {kind, event, funnelFromStep, funnelToStep}");
    }
    size_t index = 0;
    for (element item : list) {
      std::string field = "query.funnelsFilter.exclusions[" + std::to_string(index++) + "]";
      if (index > kMaxSeries) {
        return Invalid("query.funnelsFilter.exclusions",
                       "at most " + std::to_string(kMaxSeries) + " exclusions");
      }
      HOGLET_ASSIGN_OR_RETURN(FunnelExclusion exclusion, ParseExclusion(item, field, steps));
      if (query->order == FunnelOrder::kUnordered &&
          (exclusion.from_step != 0 || exclusion.to_step != steps - 1)) {
        return Invalid(field,
                       "an unordered funnel only takes exclusions over the whole funnel "
                       "(funnelFromStep 0 to funnelToStep " +
                           std::to_string(steps - 1) + ")");
      }
      query->exclusions.push_back(std::move(exclusion));
    }
  }

  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> attribution,
                          OptionalString(filter, "breakdownAttributionType",
                                         "query.funnelsFilter.breakdownAttributionType"));
  if (attribution == "last_touch") {
    query->attribution = FunnelAttribution::kLastTouch;
  } else if (attribution == "all_events") {
    query->attribution = FunnelAttribution::kAllEvents;
  } else if (attribution == "step") {
    query->attribution = FunnelAttribution::kStep;
    HOGLET_ASSIGN_OR_RETURN(std::optional<size_t> step,
                            StepIndex(filter, "breakdownAttributionValue",
                                      "query.funnelsFilter.breakdownAttributionValue", steps));
    query->attribution_step = step.value_or(0);
    if (query->order == FunnelOrder::kUnordered && query->attribution_step != 0) {
      return Invalid("query.funnelsFilter.breakdownAttributionValue",
                     "an unordered funnel attributes its breakdown to the first step only (0)");
    }
  } else if (attribution && *attribution != "first_touch") {
    return Invalid(
        "query.funnelsFilter.breakdownAttributionType",
        "'" + *attribution + "' is not an attribution (first_touch, last_touch, all_events, step)");
  }

  HOGLET_ASSIGN_OR_RETURN(
      std::optional<std::string> reference,
      OptionalString(filter, "funnelStepReference", "query.funnelsFilter.funnelStepReference"));
  if (reference && *reference != "total" && *reference != "previous") {
    return Invalid("query.funnelsFilter.funnelStepReference",
                   "'" + *reference + "' is not a step reference (total, previous)");
  }

  HOGLET_ASSIGN_OR_RETURN(
      std::optional<size_t> from,
      StepIndex(filter, "funnelFromStep", "query.funnelsFilter.funnelFromStep", steps));
  HOGLET_ASSIGN_OR_RETURN(
      std::optional<size_t> to,
      StepIndex(filter, "funnelToStep", "query.funnelsFilter.funnelToStep", steps));
  query->from_step = from.value_or(0);
  // PostHog reads a funnelToStep of 0 as "the last step".
  query->to_step = to.value_or(0) == 0 ? steps - 1 : *to;
  if (query->viz == FunnelViz::kTimeToConvert && query->from_step >= query->to_step) {
    return Invalid("query.funnelsFilter.funnelToStep",
                   "time to convert needs funnelToStep after funnelFromStep");
  }
  if (query->viz == FunnelViz::kTrends && query->from_step > query->to_step) {
    return Invalid("query.funnelsFilter.funnelToStep",
                   "funnel trends need funnelToStep at or after funnelFromStep");
  }

  if (query->optional_steps != 0 &&
      (query->viz != FunnelViz::kSteps || query->order == FunnelOrder::kUnordered)) {
    return Invalid(query->viz != FunnelViz::kSteps ? "query.funnelsFilter.funnelVizType"
                                                   : "query.funnelsFilter.funnelOrderType",
                   "optional funnel steps (optionalInFunnel) are only supported in ordered or "
                   "strict funnels shown as steps");
  }

  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> bins,
                          OptionalInt(filter, "binCount", "query.funnelsFilter.binCount"));
  // PostHog clamps a bin count to 1…90 rather than refusing it.
  if (bins) query->bin_count = static_cast<int>(std::clamp<int64_t>(*bins, 1, 90));
  return Status::Ok();
}

// A node's property filters as PostHog compares them between steps: each filter's JSON, sorted.
std::vector<std::string> PropertySet(object node) {
  std::vector<std::string> set;
  std::optional<element> properties = Member(node, "properties");
  simdjson::dom::array list;
  if (properties && properties->get(list) == simdjson::SUCCESS) {
    for (element property : list) set.push_back(simdjson::minify(property));
  }
  std::sort(set.begin(), set.end());
  return set;
}

}  // namespace

StatusOr<FunnelsQuery> ParseFunnelsQuery(element value) {
  object root;
  if (value.get(root) != simdjson::SUCCESS) return Invalid("query", "must be an object");
  FunnelsQuery query;

  simdjson::dom::array series;
  std::optional<element> series_value = Member(root, "series");
  if (!series_value || series_value->get(series) != simdjson::SUCCESS) {
    return Invalid("query.series", "must be a list of EventsNode or ActionsNode steps");
  }
  size_t index = 0;
  std::vector<std::vector<std::string>> property_sets;  // each step's, for the check below
  for (element node : series) {
    std::string field = "query.series[" + std::to_string(index++) + "]";
    if (index > kMaxFunnelSteps) {
      return Invalid("query.series",
                     "a funnel has at most " + std::to_string(kMaxFunnelSteps) + " steps");
    }
    HOGLET_ASSIGN_OR_RETURN(Series step, ParseSeriesNode(node, field));
    object item;
    if (node.get(item) != simdjson::SUCCESS) return Invalid(field, "must be an object");
    HOGLET_ASSIGN_OR_RETURN(bool optional,
                            OptionalBool(item, "optionalInFunnel", field + ".optionalInFunnel"));
    if (optional && query.steps.empty()) {
      return Invalid(field + ".optionalInFunnel", "the first step of a funnel cannot be optional");
    }
    if (optional) query.optional_steps |= 1u << query.steps.size();
    property_sets.push_back(PropertySet(item));
    query.steps.push_back(std::move(step));
  }
  if (query.steps.size() < 2) {
    return Invalid("query.series", "a funnel needs at least two steps");
  }
  // An optional step followed by a required step that matches all its events would never be
  // reached: the required step takes the event (PostHog refuses the naive case).
  for (size_t i = 1; i + 1 < query.steps.size(); ++i) {
    const bool optional = (query.optional_steps >> i & 1u) != 0;
    const bool next_required = (query.optional_steps >> (i + 1) & 1u) == 0;
    const Series& a = query.steps[i];
    const Series& b = query.steps[i + 1];
    if (optional && next_required && a.event == b.event && a.action_id == b.action_id &&
        std::includes(property_sets[i].begin(), property_sets[i].end(),
                      property_sets[i + 1].begin(), property_sets[i + 1].end())) {
      return Invalid("query.series[" + std::to_string(i) + "].optionalInFunnel",
                     "an optional step cannot be the same as the following required step");
    }
  }

  HOGLET_ASSIGN_OR_RETURN(query.interval, ParseInterval(root));
  HOGLET_ASSIGN_OR_RETURN(query.date_range, ParseDateRange(root));
  HOGLET_ASSIGN_OR_RETURN(query.properties,
                          Filters(Member(root, "properties"), "query.properties"));
  HOGLET_ASSIGN_OR_RETURN(query.filter_test_accounts,
                          OptionalBool(root, "filterTestAccounts", "query.filterTestAccounts"));
  HOGLET_ASSIGN_OR_RETURN(query.breakdown, ParseBreakdownFilter(root));
  HOGLET_RETURN_IF_ERROR(RefuseTrendsOnlyBreakdown(query.breakdown, "funnel"));
  if (query.breakdown && query.breakdown->multiple) {
    return NotYet("query.breakdownFilter.breakdowns", "a funnel broken down by several properties");
  }
  HOGLET_ASSIGN_OR_RETURN(query.aggregation_group_type_index,
                          GroupTypeIndex(Member(root, "aggregation_group_type_index"),
                                         "query.aggregation_group_type_index"));
  HOGLET_ASSIGN_OR_RETURN(
      std::optional<std::string> aggregate_by,
      OptionalString(root, "funnelAggregateByHogQL", "query.funnelAggregateByHogQL"));
  if (aggregate_by && *aggregate_by != "person_id") {
    return NotYet("query.funnelAggregateByHogQL", "aggregating a funnel by a HogQL expression");
  }
  HOGLET_RETURN_IF_ERROR(RefuseSampling(root));

  bool present = false;
  HOGLET_ASSIGN_OR_RETURN(object filter,
                          OptionalObject(root, "funnelsFilter", "query.funnelsFilter", &present));
  if (present) {
    HOGLET_RETURN_IF_ERROR(ParseFunnelsFilter(filter, &query));
  } else {
    query.to_step = query.steps.size() - 1;
  }
  return query;
}

}  // namespace hoglet::query
