// The values of a HogQLQuery's placeholders, read from its JSON (PostHog's HogQLQuery fields):
//   "values":    {"name": value}                        → {name}
//   "variables": {"<id>": {"code_name": "x", "value": v}} → {variables.x}
//   "filters":   {"dateRange": {"date_from": "-7d", "date_to": "2024-02-01"}} → {filters},
//                {filters.dateRange.from}, {filters.dateRange.to}
// A value is a string, a number, a boolean or null. Dates are read as PostHog's query dates
// (query/query_date.h: absolute in the project's zone, or relative to now; "all" is no bound).
// Pure.
#pragma once

#include <simdjson.h>

#include <cstdint>

#include "base/status.h"
#include "base/time_zone.h"
#include "hogql/executor/planner.h"

namespace hoglet::api {

// kInvalidArgument naming the field for a value that is not one of the above, a date that does
// not parse, and for what is not supported yet: `filters.properties` and
// `filters.filterTestAccounts` (reason "unsupported").
StatusOr<hogql::Placeholders> ReadPlaceholders(simdjson::dom::element spec, const TimeZone& zone,
                                               int64_t now_us);

}  // namespace hoglet::api
