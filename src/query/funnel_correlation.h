// FunnelCorrelationQuery on the embedded engine (analytics §3.3, PostHog's funnel correlation):
// which events, event properties or person properties go with the funnel's actors converting
// (reaching its last step) or not.
//
// The funnel runs as the insight runs it (query/funnels_runner.h) and its actors are those a
// FunnelsActorsQuery at `funnel_step` lists. Each actor's time in the funnel runs from its
// chain's first step (exclusive) to its last step when it converted, else to the end of the
// conversion window from that first step (exclusive). Then one more scan of the date range:
//   events: each event name of the actors' events in their time in the funnel, except the
//     funnel's own step events (an action step's events included) and the excluded names;
//   event_with_properties: each "event::key::value" of the string properties of such events of
//     the named events, except the excluded keys, kept when more than 2 actors have it;
//   properties: each "key::value" of the actors' persons' current properties (listed keys, a
//     missing or non-string value reading as ""; "$all": every string property), except the
//     excluded keys.
// For each, the actors who have it and converted (s) or did not (f); with S and F the actors
// who converted or not, PostHog's odds ratio with a prior of 1 in every cell is
//   ((s + 1) × (F − f + 1)) / ((S − s + 1) × (f + 1)),
// a "success" correlation above 1, a "failure" one otherwise. Values that fewer than
// min(25, 2 % of S + F) actors have are dropped; the 10 highest success ratios, then the 10
// lowest failure ratios, are returned. With no converted or no unconverted actor there is no
// answer (and it is skewed); it is skewed as well when S / F or F / S is above 10.
//
// Thread-safe: pure over its arguments; the context's objects are used by the calling thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "query/date_range.h"
#include "query/funnel_correlation_query.h"
#include "query/trends_runner.h"
#include "store/scan_source.h"

namespace hoglet::query {

// PostHog's prior count, added to every cell of the contingency table.
inline constexpr int64_t kCorrelationPrior = 1;
// A value is dropped when fewer actors than min(this, the share below of all actors) have it.
inline constexpr int64_t kCorrelationMinActors = 25;
inline constexpr double kCorrelationMinActorShare = 0.02;
// Each kind of correlation keeps this many of its strongest values.
inline constexpr size_t kCorrelationTop = 10;

// One value (event name, "event::key::value" or "key::value") and its actors.
struct CorrelationCount {
  std::string name;
  int64_t success = 0;  // actors who have it and converted
  int64_t failure = 0;  // actors who have it and did not
};

struct FunnelCorrelationRow {
  std::string name;
  int64_t success_count = 0;
  int64_t failure_count = 0;
  double odds_ratio = 0;
  bool success = false;  // correlation_type "success" (odds ratio above 1), else "failure"
};

struct FunnelCorrelationResult {
  std::vector<FunnelCorrelationRow> rows;  // success ones by odds ratio descending, then failure
  bool skewed = false;
};

// The odds ratio above for a value that `success` converted and `failure` unconverted actors
// have, out of `success_total` and `failure_total`.
double CorrelationOddsRatio(int64_t success, int64_t failure, int64_t success_total,
                            int64_t failure_total);

// The answer from the values' counts and the totals: significance, odds ratios, order and top
// 10s, skew. Equal odds ratios are ordered by name.
FunnelCorrelationResult RankCorrelations(const std::vector<CorrelationCount>& counts,
                                         int64_t success_total, int64_t failure_total);

// `context` is the one funnels run with (its person_properties are read for kProperties).
// kInvalidArgument for a funnel that would need more than kMaxActorShares passes; the budget's
// and the store's errors otherwise.
StatusOr<FunnelCorrelationResult> RunFunnelCorrelation(const FunnelCorrelationQuery& query,
                                                       const DateRange& range,
                                                       const TrendsContext& context,
                                                       const store::ScanSource& source,
                                                       int64_t team_id);

}  // namespace hoglet::query
