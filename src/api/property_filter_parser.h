// PostHog's `properties` query parameter of the list endpoints: a JSON list of property filters
// [{"key", "value", "operator", "type"}], or an AND/OR group of them, parsed into the filter
// model (filters/filter_tree.h) and matched with PostHog's semantics (filters/property_match.h).
// The events list takes event filters, the persons list person filters; a filter without a type
// takes the list's.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/status.h"
#include "filters/filter_tree.h"

namespace hoglet::api {

inline constexpr size_t kMaxListFilters = 100;

// kInvalidArgument (reported with attr "properties"), naming the filter, for malformed JSON or
// groups, a filter of another type (cohort, element, …), a missing key or value, an unknown
// operator, a regex RE2 refuses, or more than kMaxListFilters filters.
StatusOr<filters::FilterNode> ParsePropertyFilters(std::string_view json, filters::FilterType type);

}  // namespace hoglet::api
