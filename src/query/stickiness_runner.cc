#include "query/stickiness_runner.h"

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "query/aggregate.h"
#include "query/trends_insight.h"

namespace hoglet::query {
namespace {

// Each actor's number of intervals for one series over one range.
using IntervalsByActor = std::unordered_map<Uuid, int64_t, UuidHash>;

bool Satisfies(const std::optional<StickinessCriteria>& criteria, int64_t events) {
  if (!criteria) return events > 0;
  switch (criteria->op) {
    case CountOperator::kGte:
      return events >= criteria->value;
    case CountOperator::kLte:
      return events <= criteria->value;
    case CountOperator::kEq:
      return events == criteria->value;
  }
  return false;
}

// A run of one actor's events in one span: (actor, span) with how many events.
struct SpanRun {
  Uuid actor;
  uint32_t span = 0;
  int64_t events = 0;
};

// Sorts `runs` by (actor, span) and folds the runs of one pair into one.
void FoldRuns(std::vector<SpanRun>* runs) {
  std::sort(runs->begin(), runs->end(), [](const SpanRun& a, const SpanRun& b) {
    return std::tie(a.actor, a.span) < std::tie(b.actor, b.span);
  });
  size_t kept = 0;
  for (size_t i = 0; i < runs->size(); ++i) {
    SpanRun& run = (*runs)[i];
    if (kept > 0 && (*runs)[kept - 1].actor == run.actor && (*runs)[kept - 1].span == run.span) {
      (*runs)[kept - 1].events += run.events;
    } else {
      (*runs)[kept++] = run;
    }
  }
  runs->resize(kept);
}

StatusOr<IntervalsByActor> CountIntervals(const StickinessQuery& query, size_t series,
                                          const DateRange& range, const TrendsContext& context,
                                          const store::ScanSource& source, int64_t team_id) {
  const size_t buckets = range.bucket_starts().size();
  const auto span = static_cast<size_t>(query.interval_count);
  // Events per (actor, span), spans counted back from the last bucket. A part's rows are in
  // (person, time) order, so an actor's events in a span come as runs; the runs are appended
  // flat and folded by sorting (at the end, and whenever they have doubled since the last fold,
  // so that they stay within twice the distinct pairs).
  std::vector<SpanRun> runs;
  size_t folded = 0;
  TrendsQuery one = query.trends;
  one.series = {query.trends.series[series]};
  one.compare.reset();
  one.breakdown.reset();
  one.formulas.clear();
  TrendsContext collecting = context;
  collecting.counted_only = true;
  collecting.counted = [&](size_t, const std::string&, size_t bucket, const Uuid& actor) {
    if (bucket >= buckets) return;
    const auto index = static_cast<uint32_t>((buckets - 1 - bucket) / span);
    if (!runs.empty() && runs.back().actor == actor && runs.back().span == index) {
      ++runs.back().events;
      return;
    }
    if (runs.size() >= std::max<size_t>(2 * folded, 1 << 20)) {
      FoldRuns(&runs);
      folded = runs.size();
    }
    runs.push_back({actor, index, 1});
  };
  HOGLET_RETURN_IF_ERROR(RunTrends(one, range, collecting, source, team_id).status());
  FoldRuns(&runs);
  IntervalsByActor out;
  for (size_t i = 0; i < runs.size();) {
    const Uuid& actor = runs[i].actor;
    int64_t intervals = 0;
    for (; i < runs.size() && runs[i].actor == actor; ++i) {
      intervals += Satisfies(query.criteria, runs[i].events) ? 1 : 0;
    }
    if (intervals > 0) out.emplace(actor, intervals);
  }
  return out;
}

StickinessLine Histogram(const StickinessQuery& query, size_t series, bool previous,
                         const IntervalsByActor& actors, size_t intervals) {
  StickinessLine line;
  line.series = series;
  line.previous = previous;
  line.data.assign(intervals, 0);
  for (const auto& [actor, n] : actors) {
    if (n >= 1 && static_cast<size_t>(n) <= intervals) {
      ++line.data[static_cast<size_t>(n) - 1];
      ++line.count;
    }
  }
  if (query.mode == StickinessMode::kCumulative) {
    for (size_t i = intervals; i-- > 1;) line.data[i - 1] += line.data[i];
  }
  return line;
}

}  // namespace

size_t StickinessIntervals(const DateRange& range, int64_t interval_count) {
  const size_t buckets = range.bucket_starts().size();
  const auto span = static_cast<size_t>(std::max<int64_t>(interval_count, 1));
  return (buckets + span - 1) / span;
}

StatusOr<StickinessAnswer> AnswerStickiness(const StickinessQuery& query,
                                            const TrendsContext& context,
                                            const store::ScanSource& source, int64_t team_id) {
  HOGLET_ASSIGN_OR_RETURN(TrendsRanges ranges, ResolveTrendsRanges(query.trends, context.clock));
  StickinessAnswer answer{std::move(ranges.current),
                          std::move(ranges.previous),
                          0,
                          {},
                          SeriesNames(query.trends.series, context)};
  answer.intervals = StickinessIntervals(answer.range, query.interval_count);
  for (bool previous : {false, true}) {
    if (previous && !answer.previous) break;
    const DateRange& range = previous ? *answer.previous : answer.range;
    for (size_t series = 0; series < query.trends.series.size(); ++series) {
      HOGLET_ASSIGN_OR_RETURN(IntervalsByActor actors,
                              CountIntervals(query, series, range, context, source, team_id));
      answer.lines.push_back(Histogram(query, series, previous, actors,
                                       StickinessIntervals(range, query.interval_count)));
    }
  }
  return answer;
}

StatusOr<std::vector<Uuid>> StickinessActors(const StickinessQuery& query, size_t series,
                                             int64_t intervals, const TrendsContext& context,
                                             const store::ScanSource& source, int64_t team_id) {
  if (series >= query.trends.series.size()) {
    return InvalidArgumentError("query.source.series: the stickiness query has " +
                                    std::to_string(query.trends.series.size()) + " series",
                                "invalid_input");
  }
  HOGLET_ASSIGN_OR_RETURN(TrendsRanges ranges, ResolveTrendsRanges(query.trends, context.clock));
  HOGLET_ASSIGN_OR_RETURN(IntervalsByActor actors,
                          CountIntervals(query, series, ranges.current, context, source, team_id));
  std::vector<Uuid> out;
  for (const auto& [actor, n] : actors) {
    const bool wanted = query.mode == StickinessMode::kCumulative ? n >= intervals : n == intervals;
    if (wanted) out.push_back(actor);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace hoglet::query
