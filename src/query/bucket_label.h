// How PostHog's trends label a bucket for people (`labels`): "5-Jan-2024" for days,
// "5-Jan 13:00" for hours and minutes, "Jan 2024" for months, and for weeks the week's days
// clipped to the range: "7–13 Jan", "29-Dec – 4-Jan", "29-Dec-2024 – 4-Jan-2025", or
// "10-Jan-2024" for a week clipped to one day.
#pragma once

#include <cstdint>
#include <string>

#include "query/date_range.h"

namespace hoglet::query {

std::string BucketLabel(int64_t bucket_local_us, const DateRange& range);

}  // namespace hoglet::query
