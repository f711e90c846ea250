#include "query/lifecycle_runner.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "query/actor_buckets.h"
#include "query/aggregate.h"
#include "query/trends_insight.h"

namespace hoglet::query {
namespace {

// Tells `visit` of each person's status in each bucket of `range` (its index there).
using Visit = std::function<void(const Uuid& person, size_t bucket, LifecycleStatus status)>;

Status Classify(const LifecycleQuery& query, const DateRange& range, const TrendsContext& context,
                PersonCreation& created, const store::ScanSource& source, int64_t team_id,
                const Visit& visit) {
  const size_t n = range.bucket_starts().size();
  if (n == 0) return Status::Ok();
  // The range and the period before it: a status needs the period before.
  HOGLET_ASSIGN_OR_RETURN(DateRange extended, range.WithBucketsBefore(1));
  const std::vector<int64_t>& starts = extended.bucket_starts();
  const size_t m = starts.size();
  const size_t shift = m - n;

  // Each person's active periods: the scan's distinct count of each period's persons, turned
  // round by person (query/actor_buckets.h).
  ActorBuckets active(m);
  TrendsContext collecting = context;
  collecting.bucket_actors =
      [&](size_t, const std::string&, size_t bucket, const std::vector<uint32_t>& numbers,
          const ActorNumbers& numbering) { return active.Add(bucket, numbers, numbering); };
  HOGLET_RETURN_IF_ERROR(RunTrends(query.trends, extended, collecting, source, team_id).status());
  active.Finish();
  const std::vector<Uuid> actors = active.Actors();
  HOGLET_RETURN_IF_ERROR(created.Load(actors));
  std::vector<std::optional<int64_t>> created_at_us;
  HOGLET_RETURN_IF_ERROR(created.CreatedAtMany(actors, &created_at_us));

  const TimeZone zone = extended.zone();
  std::vector<bool> periods(m);
  for (size_t a = 0; a < actors.size(); ++a) {
    const Uuid& person = actors[a];
    std::fill(periods.begin(), periods.end(), false);
    for (uint32_t period : active.BucketsOf(a)) periods[period] = true;
    if (context.budget != nullptr && (a + 1) % 1024 == 0) {
      HOGLET_RETURN_IF_ERROR(context.budget->Check());
    }
    const std::optional<int64_t>& created_us = created_at_us[a];
    if (!created_us) continue;  // no person profile: personless events
    const int64_t created_period =
        extended.BucketOf(*created_us + zone.UtcOffsetMicros(*created_us));
    auto emit = [&](size_t index, LifecycleStatus status) {
      if (index >= shift && index < m) visit(person, index - shift, status);
    };
    bool first = true;
    for (size_t i = 0; i < m; ++i) {
      if (!periods[i]) continue;
      if (first) {
        emit(i,
             starts[i] == created_period ? LifecycleStatus::kNew : LifecycleStatus::kResurrecting);
      } else {
        emit(i, periods[i - 1] ? LifecycleStatus::kReturning : LifecycleStatus::kResurrecting);
      }
      first = false;
      if (i + 1 < m && !periods[i + 1]) emit(i + 1, LifecycleStatus::kDormant);
    }
  }
  return Status::Ok();
}

size_t StatusIndex(LifecycleStatus status) { return static_cast<size_t>(status); }

}  // namespace

StatusOr<LifecycleAnswer> AnswerLifecycle(const LifecycleQuery& query, const TrendsContext& context,
                                          PersonCreation& created, const store::ScanSource& source,
                                          int64_t team_id) {
  HOGLET_ASSIGN_OR_RETURN(
      DateRange range,
      DateRange::Resolve(query.trends.date_range, query.trends.interval, context.clock));
  const size_t n = range.bucket_starts().size();
  std::vector<LifecycleLine> lines;
  for (LifecycleStatus status : kLifecycleStatuses) {
    lines.push_back({status, std::vector<int64_t>(n, 0), 0});
  }
  HOGLET_RETURN_IF_ERROR(Classify(query, range, context, created, source, team_id,
                                  [&](const Uuid&, size_t bucket, LifecycleStatus status) {
                                    const int64_t one =
                                        status == LifecycleStatus::kDormant ? -1 : 1;
                                    lines[StatusIndex(status)].data[bucket] += one;
                                    lines[StatusIndex(status)].count += one;
                                  }));
  return LifecycleAnswer{std::move(range), std::move(lines),
                         SeriesName(query.trends.series.front(), context)};
}

StatusOr<std::vector<Uuid>> LifecycleActors(const LifecycleQuery& query, LifecycleStatus status,
                                            int64_t day_local_us, const TrendsContext& context,
                                            PersonCreation& created,
                                            const store::ScanSource& source, int64_t team_id) {
  HOGLET_ASSIGN_OR_RETURN(
      DateRange range,
      DateRange::Resolve(query.trends.date_range, query.trends.interval, context.clock));
  const std::vector<int64_t>& starts = range.bucket_starts();
  auto found = std::find(starts.begin(), starts.end(), range.BucketOf(day_local_us));
  if (found == starts.end()) {
    return InvalidArgumentError("query.source.day: the day is not a point of the lifecycle range",
                                "invalid_input");
  }
  const auto wanted = static_cast<size_t>(found - starts.begin());
  std::vector<Uuid> out;
  HOGLET_RETURN_IF_ERROR(Classify(query, range, context, created, source, team_id,
                                  [&](const Uuid& person, size_t bucket, LifecycleStatus is) {
                                    if (bucket == wanted && is == status) out.push_back(person);
                                  }));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace hoglet::query
