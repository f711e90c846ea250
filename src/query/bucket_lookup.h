// The bucket of each event of a scan, as DateRange::BucketIndex finds it, without converting
// every timestamp through the time zone and the calendar: a scan's rows come in runs of nearby
// times (a part holds one day, a person's events are in time order), so the lookup remembers
// the stretch of instants the zone's last offset holds for and the local span of the last
// bucket, and answers a timestamp inside both from memory. Exact: what it remembers is the
// answer for every instant of those stretches.
//
// One per scan thread (it keeps state); the DateRange must outlive it.
#pragma once

#include <cstdint>
#include <limits>

#include "base/time_zone.h"
#include "query/date_range.h"

namespace hoglet::query {

class BucketLookup {
 public:
  explicit BucketLookup(const DateRange& range);

  // DateRange::BucketIndex(timestamp_us). Inline when the instant is in the stretches
  // remembered, as most are.
  int64_t IndexOf(int64_t timestamp_us) {
    if (!elapsed_ && timestamp_us >= offset_.begin_us && timestamp_us < offset_.end_us) {
      const int64_t local_us = timestamp_us + offset_.offset_us;
      if (local_us >= local_begin_ && local_us < local_end_) return index_;
    }
    return Find(timestamp_us);
  }

 private:
  int64_t Find(int64_t timestamp_us);

  const DateRange& range_;
  const bool elapsed_;  // hour and minute buckets: stretches of elapsed time, as BucketIndex
  TimeZone::OffsetSpan offset_{0, 0, 0};  // empty until the first lookup
  // The bucket holding local times [local_begin_, local_end_), and its index (-1: outside the
  // range's buckets).
  int64_t local_begin_ = std::numeric_limits<int64_t>::max();
  int64_t local_end_ = std::numeric_limits<int64_t>::min();
  int64_t index_ = -1;
};

}  // namespace hoglet::query
