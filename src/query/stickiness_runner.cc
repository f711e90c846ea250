#include "query/stickiness_runner.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "query/actor_buckets.h"
#include "query/aggregate.h"
#include "query/trends_insight.h"

namespace hoglet::query {
namespace {

// Each actor with at least one interval, and its number of intervals, for one series over one
// range.
using IntervalsByActor = std::vector<std::pair<Uuid, int64_t>>;

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

// A run of one actor's events in one span: the actor, its number (query/actor_numbers.h), the
// span and how many events.
struct SpanRun {
  Uuid actor;
  uint32_t number = 0;
  uint32_t span = 0;
  int64_t events = 0;
};

// Folds `runs` into one run per (actor, span), ordered by span, without comparing runs: they are
// spread by span (a counting sort over the `spans` spans), then a span's runs of one actor are
// summed into the first of them, found by the actor's number in `slots` (indexed by number; 0:
// none yet in this span, else its place in the span plus one; all 0 again on return).
void FoldRuns(std::vector<SpanRun>* runs, size_t spans, std::vector<uint32_t>* slots) {
  std::vector<size_t> starts(spans + 1, 0);
  for (const SpanRun& run : *runs) ++starts[run.span + 1];
  for (size_t s = 0; s < spans; ++s) starts[s + 1] += starts[s];
  std::vector<SpanRun> by_span(runs->size());
  std::vector<size_t> next(starts.begin(), starts.end() - 1);
  for (const SpanRun& run : *runs) by_span[next[run.span]++] = run;
  std::vector<SpanRun> folded;
  folded.reserve(by_span.size());
  for (size_t s = 0; s < spans; ++s) {
    const size_t span_begin = folded.size();
    for (size_t i = starts[s]; i < starts[s + 1]; ++i) {
      const SpanRun& run = by_span[i];
      if (run.number >= slots->size()) {
        slots->resize(std::max<size_t>(run.number + 1, slots->size() + slots->size() / 2));
      }
      uint32_t& slot = (*slots)[run.number];
      if (slot == 0) {
        folded.push_back(run);
        slot = static_cast<uint32_t>(folded.size() - span_begin);
      } else {
        folded[span_begin + slot - 1].events += run.events;
      }
    }
    for (size_t i = span_begin; i < folded.size(); ++i) (*slots)[folded[i].number] = 0;
  }
  *runs = std::move(folded);
}

// Whether an actor satisfies the criteria in a span by having any event there: then the actors
// active in each bucket are all the count needs.
bool AnyEventSatisfies(const std::optional<StickinessCriteria>& criteria) {
  return !criteria || (criteria->op == CountOperator::kGte && criteria->value <= 1);
}

// CountIntervals when an actor's presence in a span is enough: each bucket's actors, as the
// series' distinct count keeps them (query/actor_buckets.h), give each actor's active buckets,
// and the spans those fall in are its intervals.
StatusOr<IntervalsByActor> CountActiveIntervals(const TrendsQuery& one, const DateRange& range,
                                                size_t span, const TrendsContext& context,
                                                const store::ScanSource& source, int64_t team_id) {
  const size_t buckets = range.bucket_starts().size();
  ActorBuckets active(buckets);
  TrendsContext collecting = context;
  collecting.bucket_actors =
      [&](size_t, const std::string&, size_t bucket, const std::vector<uint32_t>& numbers,
          const ActorNumbers& numbering) { return active.Add(bucket, numbers, numbering); };
  HOGLET_RETURN_IF_ERROR(RunTrends(one, range, collecting, source, team_id).status());
  active.Finish();
  const std::vector<Uuid> actors = active.Actors();
  IntervalsByActor out;
  out.reserve(actors.size());
  for (size_t a = 0; a < actors.size(); ++a) {
    // Spans are counted back from the last bucket; an actor's buckets come ascending.
    int64_t intervals = 0;
    size_t last_span = buckets;
    for (uint32_t bucket : active.BucketsOf(a)) {
      const size_t index = (buckets - 1 - bucket) / span;
      if (index != last_span) ++intervals;
      last_span = index;
    }
    out.push_back({actors[a], intervals});
  }
  return out;
}

StatusOr<IntervalsByActor> CountIntervals(const StickinessQuery& query, size_t series,
                                          const DateRange& range, const TrendsContext& context,
                                          const store::ScanSource& source, int64_t team_id) {
  const size_t buckets = range.bucket_starts().size();
  const auto span = static_cast<size_t>(query.interval_count);
  const size_t spans = StickinessIntervals(range, query.interval_count);
  TrendsQuery one = query.trends;
  one.series = {query.trends.series[series]};
  one.compare.reset();
  one.breakdown.reset();
  one.formulas.clear();
  if (AnyEventSatisfies(query.criteria)) {
    return CountActiveIntervals(one, range, span, context, source, team_id);
  }
  // The criteria count events: events per (actor, span), spans counted back from the last
  // bucket, told of each event counted (TrendsContext::counted). A part's rows are in
  // (person, time) order, so an actor's events in a span come as runs; the runs are appended
  // flat and folded (at the end, and whenever they have doubled since the last fold, so that
  // they stay within twice the distinct pairs).
  std::vector<SpanRun> runs;
  std::vector<uint32_t> slots;
  size_t folded = 0;
  TrendsContext collecting = context;
  collecting.counted_only = true;
  collecting.counted = [&](size_t, const std::string&, size_t bucket, const Uuid& actor,
                           uint32_t number) {
    if (bucket >= buckets) return;
    const auto index = static_cast<uint32_t>((buckets - 1 - bucket) / span);
    if (!runs.empty() && runs.back().number == number && runs.back().span == index) {
      ++runs.back().events;
      return;
    }
    if (runs.size() >= std::max<size_t>(2 * folded, 1 << 20)) {
      FoldRuns(&runs, spans, &slots);
      folded = runs.size();
    }
    runs.push_back({actor, number, index, 1});
  };
  HOGLET_RETURN_IF_ERROR(RunTrends(one, range, collecting, source, team_id).status());
  FoldRuns(&runs, spans, &slots);
  // Each actor's intervals, counted by its number (slots, all 0 after the fold, serve again).
  std::vector<std::pair<Uuid, uint32_t>> seen;  // actor, number
  for (const SpanRun& run : runs) {
    if (!Satisfies(query.criteria, run.events)) continue;
    if (slots[run.number]++ == 0) seen.push_back({run.actor, run.number});
  }
  IntervalsByActor out;
  out.reserve(seen.size());
  for (const auto& [actor, number] : seen) out.push_back({actor, slots[number]});
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
