// A date as a query's `dateRange` writes it (analytics §3.1), read the way PostHog's query
// runners read it:
//   - absolute: "2024-01-31", "2024-1-31", "2024-01-31T10:00", "2024-01-31 10:00:00.5", with or
//     without "Z" or an offset; without one it is a wall-clock reading in the project's zone;
//   - relative: `-?N?kind(Start|End)?`, found anywhere in the text, with kind h (hours), d (days),
//     w (weeks), m (months), q (13 weeks), y (years), M (minutes), s (seconds): "-7d", "-24h",
//     "-1mStart" (the 1st of last month), "mStart", "-1dEnd", "dStart". Start and End set the
//     clock (h, d) or the day (m: 1 / 31 clamped, y: January 1st / day 31 clamped) before the
//     delta is subtracted from now, as dateutil's relativedelta does.
//
// Local times are wall-clock microseconds in the project's zone (base/civil_time.h). Pure.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "base/time_zone.h"

namespace hoglet::query {

struct QueryDate {
  int64_t local_us = 0;
  bool relative = false;     // not an absolute date
  bool delta_hours = false;  // relative with a number of hours ("-24h")
  int64_t delta_days = 0;    // relative in days: the number of days ("-7d": 7)
};

// `truncate`: a relative date is moved back to the start of its hour when its delta counts hours,
// else to the start of its day (PostHog's always_truncate); absolute dates are kept as written.
// kInvalidArgument naming `field` when the text is neither form, or a number is too large.
StatusOr<QueryDate> ParseQueryDate(std::string_view text, std::string_view field,
                                   int64_t now_local_us, TimeZone zone, bool truncate);

}  // namespace hoglet::query
