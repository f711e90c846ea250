// The distinct ids of a CSV file uploaded to make a static cohort, as PostHog reads one: when
// the first row has a `distinct_id` column (case and blanks ignored) that column of every later
// row, otherwise the first column of every row. Fields may be quoted (RFC 4180: `""` is a quote,
// a quoted field may hold commas and line breaks); blank values are skipped, repeated ones kept
// once, in file order. Pure: no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hoglet::api {

inline constexpr size_t kMaxCohortCsvBytes = 8 << 20;        // 8 MiB
inline constexpr size_t kMaxCohortCsvDistinctIds = 100'000;  // rows that name a person

// kInvalidArgument (reason "invalid_input") for a file larger than kMaxCohortCsvBytes, not
// UTF-8, with an unterminated quoted field, with more than kMaxCohortCsvDistinctIds ids, or
// without any id.
StatusOr<std::vector<std::string>> DistinctIdsFromCsv(std::string_view csv);

}  // namespace hoglet::api
