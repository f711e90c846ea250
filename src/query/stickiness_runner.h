// Runs a StickinessQuery on the embedded engine (analytics §3.6, §6.18): each series is scanned
// as a trends series counting actors (query/trends_runner.h: the same filters, actions, persons
// at query time and buckets in the project's zone), every counted event told to a collector that
// keeps, per actor, its events in each bucket. An actor's number of intervals is the number of
// buckets (or, with intervalCount k, of spans of k buckets counted back from date_to) in which
// it had an event, or, with stickinessCriteria, in which its event count satisfies the criteria.
// The answer is the histogram of actors by number of intervals, 1…N, for the range and for the
// period it is compared with.
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(StickinessAnswer answer,
//                           AnswerStickiness(query, context, source, team_id));
//   WriteStickinessResults(query, answer, &writer);
//
// Thread-safe: pure over its arguments; the context's objects are used by the calling thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "query/date_range.h"
#include "query/stickiness_query.h"
#include "query/trends_runner.h"
#include "store/scan_source.h"

namespace hoglet::query {

struct StickinessLine {
  size_t series = 0;
  bool previous = false;      // over the period compared with (compareFilter)
  std::vector<int64_t> data;  // data[i]: actors active in i + 1 intervals (or more, cumulative)
  int64_t count = 0;          // actors active in at least one interval
};

struct StickinessAnswer {
  DateRange range;
  std::optional<DateRange> previous;  // when comparing
  size_t intervals = 0;               // N: the x-axis is 1…N
  std::vector<StickinessLine> lines;  // each series over the range, then over the previous one
  std::vector<std::string> series_names;
};

// N for a range: its buckets divided into spans of `interval_count`, rounded up.
size_t StickinessIntervals(const DateRange& range, int64_t interval_count);

// kInvalidArgument for a date range or comparison that cannot be resolved; errors of the store
// otherwise.
StatusOr<StickinessAnswer> AnswerStickiness(const StickinessQuery& query,
                                            const TrendsContext& context,
                                            const store::ScanSource& source, int64_t team_id);

// The actors of one bar: those of `series` active in exactly `intervals` intervals of the range
// (`intervals` or more for cumulative stickiness), sorted. kInvalidArgument naming
// query.source.series for a series the query does not have.
StatusOr<std::vector<Uuid>> StickinessActors(const StickinessQuery& query, size_t series,
                                             int64_t intervals, const TrendsContext& context,
                                             const store::ScanSource& source, int64_t team_id);

}  // namespace hoglet::query
