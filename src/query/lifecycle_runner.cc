#include "query/lifecycle_runner.h"

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <utility>

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

  std::unordered_map<Uuid, std::vector<bool>, UuidHash> active;
  // A block's rows are in (person, time) order: most events are of the person before.
  Uuid last_person;
  std::vector<bool>* last_periods = nullptr;
  TrendsContext collecting = context;
  collecting.counted_only = true;
  collecting.counted = [&](size_t, const std::string&, size_t bucket, const Uuid& person) {
    if (bucket >= m) return;
    if (last_periods == nullptr || person != last_person) {
      last_person = person;
      last_periods = &active[person];  // stays valid: the map's nodes do not move
      if (last_periods->empty()) last_periods->assign(m, false);
    }
    (*last_periods)[bucket] = true;
  };
  HOGLET_RETURN_IF_ERROR(RunTrends(query.trends, extended, collecting, source, team_id).status());

  std::vector<Uuid> actors;
  actors.reserve(active.size());
  for (const auto& entry : active) actors.push_back(entry.first);
  HOGLET_RETURN_IF_ERROR(created.Load(actors));

  const TimeZone zone = extended.zone();
  size_t seen = 0;
  for (const auto& entry : active) {
    const auto& person = entry.first;  // named, not a structured binding: the lambda captures it
    const auto& periods = entry.second;
    if (context.budget != nullptr && ++seen % 1024 == 0) {
      HOGLET_RETURN_IF_ERROR(context.budget->Check());
    }
    HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> created_us, created.CreatedAtUs(person));
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
