// Parses PostHog's `properties` query parameter — a JSON list of property filters
// [{"key", "value", "operator", "type"}], or {"type": "AND", "values": [...]} around such a
// list — into store filters. One parser serves the events list (type "event") and the persons
// list (type "person"); a filter without a type takes the accepted one.
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/event_query.h"

namespace hoglet::api {

// kInvalidArgument, with a message naming the bad filter, for malformed JSON, an OR or nested
// group, a filter of another type (cohort, element, …), a missing key or value, an unknown
// operator, or more than 100 filters.
StatusOr<std::vector<store::PropertyFilter>> ParsePropertyFilters(std::string_view json,
                                                                  std::string_view accepted_type);

}  // namespace hoglet::api
