#include "query/lifecycle_query_parser.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "query/query_json.h"
#include "query/trends_query_parser.h"

namespace hoglet::query {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// Events sent with $process_person_profile false belong to no person profile: lifecycle leaves
// them out (analytics §2.5, §6.10).
StatusOr<filters::FilterNode> PersonlessEventsLeftOut() {
  simdjson::dom::parser parser;
  const simdjson::padded_string json(std::string_view(
      R"([{"key": "$process_person_profile", "operator": "is_not", "value": "false",
           "type": "event"}])"));
  element filters;
  if (parser.parse(json).get(filters) != simdjson::SUCCESS) {
    return InternalError("the personless-events filter does not parse");
  }
  return Filters(filters, "query");
}

}  // namespace

std::string_view LifecycleStatusName(LifecycleStatus status) {
  switch (status) {
    case LifecycleStatus::kNew:
      return "new";
    case LifecycleStatus::kReturning:
      return "returning";
    case LifecycleStatus::kResurrecting:
      return "resurrecting";
    case LifecycleStatus::kDormant:
      return "dormant";
  }
  return "new";
}

std::optional<LifecycleStatus> LifecycleStatusFromName(std::string_view name) {
  for (LifecycleStatus status : kLifecycleStatuses) {
    if (LifecycleStatusName(status) == name) return status;
  }
  return std::nullopt;
}

StatusOr<LifecycleQuery> ParseLifecycleQuery(element value) {
  object root;
  if (value.get(root) != simdjson::SUCCESS) return Invalid("query", "must be an object");
  if (Member(root, "breakdownFilter")) {
    return NotYet("query.breakdownFilter", "a breakdown of lifecycle");
  }
  LifecycleQuery query;
  HOGLET_ASSIGN_OR_RETURN(query.trends, ParseTrendsQuery(value));
  if (query.trends.series.size() != 1) {
    return Invalid("query.series", "a lifecycle query has exactly one EventsNode or ActionsNode");
  }
  Series& series = query.trends.series.front();
  series.math = Math::kDau;
  series.math_group_type_index.reset();
  series.math_property.reset();
  HOGLET_ASSIGN_OR_RETURN(filters::FilterNode personless, PersonlessEventsLeftOut());
  filters::FilterNode both;
  both.children.push_back(std::move(series.properties));
  both.children.push_back(std::move(personless));
  series.properties = std::move(both);
  query.trends.compare.reset();
  query.trends.display = Display::kTimeSeries;

  bool present = false;
  HOGLET_ASSIGN_OR_RETURN(
      object filter, OptionalObject(root, "lifecycleFilter", "query.lifecycleFilter", &present));
  if (present) {
    HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> toggled,
                            OptionalStringList(filter, "toggledLifecycles",
                                               "query.lifecycleFilter.toggledLifecycles", 4));
    for (size_t i = 0; i < toggled.size(); ++i) {
      std::optional<LifecycleStatus> status = LifecycleStatusFromName(toggled[i]);
      if (!status) {
        return Invalid("query.lifecycleFilter.toggledLifecycles[" + std::to_string(i) + "]",
                       "'" + toggled[i] + "' is not new, returning, resurrecting or dormant");
      }
      query.toggled.push_back(*status);
    }
  }
  return query;
}

}  // namespace hoglet::query
