// A TrendsQuery answered whole (analytics §3.2): its date range resolved on the project's clock,
// every series run over it, and over the period it is compared with (compareFilter), then the
// formulas applied (trendsFilter.formulaNodes), each half of a comparison and each breakdown
// value apart.
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(TrendsAnswer answer, AnswerTrends(query, context, source, team_id));
//   WriteTrendsResults(query, answer, &writer);
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "query/date_range.h"
#include "query/trends_query.h"
#include "query/trends_runner.h"
#include "store/scan_source.h"

namespace hoglet::query {

struct TrendsAnswer {
  DateRange range;
  std::optional<DateRange> previous;  // when comparing
  // The series' lines (the current period's, then the previous one's), or, when the query has
  // formulas, the formulas' lines instead.
  TrendsResult result;
  // Each series' name, as labels show it: its event, "All events", or its action's name.
  std::vector<std::string> series_names;
  // A cohort breakdown's values (the cohorts' ids as text) with the names labels show: the
  // cohort's name, "all users" for "all".
  std::map<std::string, std::string> breakdown_names;
};

// The range of a query (by day for total-value displays) and the one it is compared with.
struct TrendsRanges {
  DateRange current;
  std::optional<DateRange> previous;  // when comparing
};

// kInvalidArgument for a date range or comparison that cannot be resolved.
StatusOr<TrendsRanges> ResolveTrendsRanges(const TrendsQuery& query, const ProjectClock& clock);

// A series' name, as labels show it: its event, "All events", or its action's name (from the
// context's actions).
std::string SeriesName(const Series& series, const TrendsContext& context);
std::vector<std::string> SeriesNames(const std::vector<Series>& series,
                                     const TrendsContext& context);

// kInvalidArgument for a date range or comparison that cannot be resolved; errors of the store
// otherwise.
StatusOr<TrendsAnswer> AnswerTrends(const TrendsQuery& query, const TrendsContext& context,
                                    const store::ScanSource& source, int64_t team_id);

}  // namespace hoglet::query
