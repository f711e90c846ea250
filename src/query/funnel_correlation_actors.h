// The actors behind one row of a funnel correlation (PostHog's FunnelCorrelationActorsQuery,
// analytics §3.3): the funnel's actors (query/funnel_correlation_spans.h), narrowed to those who
// converted or did not, and
//   events / event_with_properties: who did the row's event, with the row's property filters, in
//     their time in the funnel (the funnel's own step events never count);
//   properties: who are in the funnel once the row's person property filters are AND-ed with the
//     funnel's own, as PostHog pushes them into the funnel query.
//
// Example: the row "watched video" of an events correlation, converted = false: the persons who
// entered the funnel, watched a video before their window ended, and did not convert.
//
// Thread-safe: pure over its arguments; the context's objects are used by the calling thread.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "filters/filter_tree.h"
#include "query/date_range.h"
#include "query/funnel_correlation_query.h"
#include "query/trends_query.h"
#include "query/trends_runner.h"
#include "store/scan_source.h"

namespace hoglet::query {

struct CorrelationActorsPoint {
  // funnelCorrelationPersonConverted: those who converted, or did not; nullopt: both.
  std::optional<bool> converted;
  // funnelCorrelationPersonEntity (events, event_with_properties): the event and its filters.
  Series entity;
  // funnelCorrelationPropertyValues (properties): person property filters.
  filters::FilterNode property_values;
};

// The actors, ordered by id. The budget's and the store's errors.
StatusOr<std::vector<Uuid>> FunnelCorrelationActors(const FunnelCorrelationQuery& query,
                                                    const CorrelationActorsPoint& point,
                                                    const DateRange& range,
                                                    const TrendsContext& context,
                                                    const store::ScanSource& source,
                                                    int64_t team_id);

}  // namespace hoglet::query
