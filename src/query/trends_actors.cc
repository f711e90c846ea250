#include "query/trends_actors.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "query/aggregate.h"
#include "query/date_range.h"
#include "query/trends_insight.h"

namespace hoglet::query {

StatusOr<std::vector<TrendsActor>> TrendsActors(const TrendsQuery& query, const TrendsPoint& point,
                                                const TrendsContext& context,
                                                const store::ScanSource& source, int64_t team_id) {
  if (point.series >= query.series.size()) {
    return InvalidArgumentError("query.source.series: the trends query has " +
                                    std::to_string(query.series.size()) + " series",
                                "invalid_input");
  }
  const Series& series = query.series[point.series];
  // A unique_group series' actors are its groups (GroupActor); an actor math over the query's
  // aggregation group and sessions are not listed.
  if (series.math == Math::kUniqueSession ||
      (query.aggregation_group_type_index && series.math != Math::kUniqueGroup)) {
    return InvalidArgumentError(
        "query.source.source.series[" + std::to_string(point.series) +
            "]: the actors of sessions and of the aggregation group are not supported by this "
            "server yet",
        "unsupported");
  }
  HOGLET_ASSIGN_OR_RETURN(TrendsRanges ranges, ResolveTrendsRanges(query, context.clock));
  if (point.previous && !ranges.previous) {
    return InvalidArgumentError(
        "query.source.compare: 'previous' needs a trends query with compareFilter",
        "invalid_input");
  }
  const DateRange& range = point.previous ? *ranges.previous : ranges.current;
  std::optional<size_t> bucket;
  if (point.day_local_us && query.display != Display::kTotalValue) {
    const int64_t start = range.BucketOf(*point.day_local_us);
    const std::vector<int64_t>& starts = range.bucket_starts();
    auto found = std::find(starts.begin(), starts.end(), start);
    if (found == starts.end()) {
      return InvalidArgumentError("query.source.day: the day is not a point of the trends range",
                                  "invalid_input");
    }
    bucket = static_cast<size_t>(found - starts.begin());
  }

  // The series alone, its events told to the collector.
  TrendsQuery one = query;
  one.series = {series};
  one.formulas.clear();
  std::map<std::string, std::unordered_map<Uuid, int64_t, UuidHash>> by_label;
  TrendsContext collecting = context;
  collecting.counted = [&](size_t, const std::string& label, size_t at, const Uuid& person,
                           uint32_t) {
    if (bucket && at != *bucket) return;
    ++by_label[label][person];
  };
  HOGLET_ASSIGN_OR_RETURN(TrendsResult result, RunTrends(one, range, collecting, source, team_id));

  // The breakdown values the point stands for: one, or those past the limit for Other.
  std::unordered_map<Uuid, int64_t, UuidHash> counts;
  const bool other =
      query.breakdown && point.breakdown && *point.breakdown == BreakdownOtherKey(*query.breakdown);
  std::set<std::string> kept;
  for (const TrendsLine& line : result.lines) {
    if (line.breakdown_value) kept.insert(*line.breakdown_value);
  }
  for (const auto& [label, persons] : by_label) {
    bool wanted = !query.breakdown || !point.breakdown ||
                  (other ? !kept.contains(label) : label == *point.breakdown);
    if (!wanted) continue;
    for (const auto& [person, count] : persons) counts[person] += count;
  }
  std::vector<TrendsActor> actors;
  actors.reserve(counts.size());
  for (const auto& [person, count] : counts) actors.push_back({person, count});
  std::sort(actors.begin(), actors.end(), [](const TrendsActor& a, const TrendsActor& b) {
    if (a.event_count != b.event_count) return a.event_count > b.event_count;
    return a.person.ToString() < b.person.ToString();
  });
  return actors;
}

}  // namespace hoglet::query
