// funnelVizType "trends" (analytics §3.3, PostHog's funnel trends): the conversion rate of the
// actors who entered the funnel in each interval of the date range. An actor's entry belongs to
// the bucket (project time zone) of its chain's first step; an actor who starts chains in
// several buckets enters once in each, with the furthest step of the chains started there. Per
// bucket, `from` counts the entries that reached funnelFromStep, `to` those that reached
// funnelToStep, and the rate is round(to / from × 100, 2), 0 when no one entered.
//
// Example: a daily funnel over 1–3 Jan where two persons sign up on the 1st and one of them
// buys gives data [50, 0, 0].
//
// Thread-compatible: a FunnelTrends is used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "base/uuid.h"
#include "query/date_range.h"
#include "query/funnel_actor.h"
#include "query/funnels_query.h"

namespace hoglet::query {

// One line of the answer: a breakdown value ("" without breakdown) and its buckets.
struct FunnelTrendsLine {
  std::string breakdown_value;
  std::vector<int64_t> from_counts;  // one per bucket of the range
  std::vector<int64_t> to_counts;
  std::vector<double> rates;  // percentages, rounded to 2 decimals
};

struct FunnelTrendsResult {
  std::vector<std::string> days;    // the buckets as PostHog's `days` name them
  std::vector<std::string> labels;  // and as its `labels` show them
  // Without breakdown, one line (zeros when no one entered); with breakdown, by the entries
  // that reached funnelToStep, descending (then by value), the values past the breakdown limit
  // folded into "Other".
  std::vector<FunnelTrendsLine> lines;
};

class FunnelTrends {
 public:
  FunnelTrends(const FunnelsQuery& query, const DateRange& range);

  // Runs the actor's funnel once per bucket in which it started a chain (its first-step events
  // elsewhere not counted as first steps), telling `observer` (when set) each result with its
  // bucket's index. `events` sorted by timestamp.
  void AddActor(const FunnelActorSpec& spec, std::span<const FunnelEvent> events, const Uuid& actor,
                const std::function<void(const Uuid&, const FunnelActorResult&, size_t)>& observer);

  // Adds what `other`, of the same query and range, counted over other actors.
  void Merge(const FunnelTrends& other);

  FunnelTrendsResult Finish(std::string_view other_label);

 private:
  struct Counts {
    std::vector<int64_t> from;
    std::vector<int64_t> to;
  };
  const FunnelsQuery& query_;
  const DateRange& range_;
  std::map<std::string, Counts> by_value_;
  std::vector<FunnelEvent> scratch_;
  std::vector<FunnelActorResult> results_;
};

}  // namespace hoglet::query
