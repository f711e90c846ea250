// Parses PostHog's `properties` query parameter (a JSON list of property filters) into store
// filters. Only event-property filters (`type` "event" or absent) are accepted here.
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/event_query.h"

namespace hoglet::api {

// kInvalidArgument with a message naming the bad filter for malformed JSON, a missing key, an
// unknown operator or an unsupported filter type; at most 100 filters.
StatusOr<std::vector<store::PropertyFilter>> ParsePropertyFilters(std::string_view json);

}  // namespace hoglet::api
