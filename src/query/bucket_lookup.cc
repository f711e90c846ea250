#include "query/bucket_lookup.h"

#include <algorithm>
#include <vector>

#include "query/interval.h"

namespace hoglet::query {

BucketLookup::BucketLookup(const DateRange& range)
    : range_(range), elapsed_(ElapsedSpanMicros(range.interval()).has_value()) {}

int64_t BucketLookup::Find(int64_t timestamp_us) {
  // Hours and minutes are stretches of elapsed time, not of the local clock: as BucketIndex.
  if (elapsed_) return range_.BucketIndex(timestamp_us);
  if (timestamp_us < offset_.begin_us || timestamp_us >= offset_.end_us) {
    offset_ = range_.zone().UtcOffsetSpan(timestamp_us);
  }
  const int64_t local_us = timestamp_us + offset_.offset_us;
  if (local_us >= local_begin_ && local_us < local_end_) return index_;
  local_begin_ = range_.BucketOf(local_us);
  local_end_ = AddIntervals(local_begin_, range_.interval(), 1);
  const std::vector<int64_t>& starts = range_.bucket_starts();
  auto found = std::lower_bound(starts.begin(), starts.end(), local_begin_);
  index_ = found != starts.end() && *found == local_begin_ ? found - starts.begin() : -1;
  return index_;
}

}  // namespace hoglet::query
