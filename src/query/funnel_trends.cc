#include "query/funnel_trends.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "query/bucket_label.h"
#include "query/interval.h"

namespace hoglet::query {

FunnelTrends::FunnelTrends(const FunnelsQuery& query, const DateRange& range)
    : query_(query), range_(range) {}

void FunnelTrends::AddActor(
    const FunnelActorSpec& spec, std::span<const FunnelEvent> events, const Uuid& actor,
    const std::function<void(const Uuid&, const FunnelActorResult&, size_t)>& observer) {
  std::set<int64_t> buckets;
  for (const FunnelEvent& event : events) {
    if ((event.steps & 1u) != 0) {
      const int64_t bucket = range_.BucketIndex(event.timestamp_us);
      if (bucket >= 0) buckets.insert(bucket);
    }
  }
  const size_t count = range_.bucket_starts().size();
  for (int64_t bucket : buckets) {
    scratch_.assign(events.begin(), events.end());
    for (FunnelEvent& event : scratch_) {
      if ((event.steps & 1u) != 0 && range_.BucketIndex(event.timestamp_us) != bucket) {
        event.steps &= ~1u;
      }
    }
    results_.clear();
    RunActorFunnel(spec, scratch_, &results_);
    for (const FunnelActorResult& result : results_) {
      Counts& counts = by_value_[result.breakdown];
      if (counts.from.empty()) {
        counts.from.assign(count, 0);
        counts.to.assign(count, 0);
      }
      const auto at = static_cast<size_t>(bucket);
      if (observer) observer(actor, result, at);
      if (result.step_reached >= query_.from_step) ++counts.from[at];
      if (result.step_reached >= query_.to_step) ++counts.to[at];
    }
  }
}

void FunnelTrends::Merge(const FunnelTrends& other) {
  for (const auto& [value, theirs] : other.by_value_) {
    Counts& counts = by_value_[value];
    if (counts.from.empty()) {
      counts = theirs;
      continue;
    }
    for (size_t i = 0; i < counts.from.size(); ++i) {
      counts.from[i] += theirs.from[i];
      counts.to[i] += theirs.to[i];
    }
  }
}

FunnelTrendsResult FunnelTrends::Finish(std::string_view other_label) {
  FunnelTrendsResult out;
  const size_t count = range_.bucket_starts().size();
  for (int64_t bucket : range_.bucket_starts()) {
    out.days.push_back(BucketDay(bucket, range_.interval()));
    out.labels.push_back(BucketLabel(bucket, range_));
  }
  if (!query_.breakdown && by_value_.empty()) {
    by_value_[""] = Counts{std::vector<int64_t>(count, 0), std::vector<int64_t>(count, 0)};
  }
  struct Ranked {
    std::string value;
    Counts counts;
    int64_t converted = 0;
  };
  std::vector<Ranked> ranked;
  for (auto& [value, counts] : by_value_) {
    Ranked line{value, std::move(counts), 0};
    for (int64_t n : line.counts.to) line.converted += n;
    ranked.push_back(std::move(line));
  }
  auto order = [](const Ranked& a, const Ranked& b) {
    if (a.converted != b.converted) return a.converted > b.converted;
    return a.value < b.value;
  };
  std::sort(ranked.begin(), ranked.end(), order);
  if (query_.breakdown && ranked.size() > query_.breakdown->limit) {
    Ranked other{std::string(other_label),
                 Counts{std::vector<int64_t>(count, 0), std::vector<int64_t>(count, 0)}, 0};
    for (size_t i = query_.breakdown->limit; i < ranked.size(); ++i) {
      for (size_t b = 0; b < count; ++b) {
        other.counts.from[b] += ranked[i].counts.from[b];
        other.counts.to[b] += ranked[i].counts.to[b];
      }
      other.converted += ranked[i].converted;
    }
    ranked.resize(query_.breakdown->limit);
    ranked.push_back(std::move(other));
  }
  for (Ranked& line : ranked) {
    FunnelTrendsLine done;
    done.breakdown_value = std::move(line.value);
    for (size_t b = 0; b < count; ++b) {
      const int64_t from = line.counts.from[b];
      const int64_t to = line.counts.to[b];
      done.rates.push_back(
          from == 0
              ? 0.0
              : std::round(static_cast<double>(to) * 10000.0 / static_cast<double>(from)) / 100.0);
    }
    done.from_counts = std::move(line.counts.from);
    done.to_counts = std::move(line.counts.to);
    out.lines.push_back(std::move(done));
  }
  return out;
}

}  // namespace hoglet::query
