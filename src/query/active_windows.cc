#include "query/active_windows.h"

#include <algorithm>

#include "base/civil_time.h"

namespace hoglet::query {

ActiveWindows::ActiveWindows(const DateRange& range, int days) {
  for (int64_t bucket : range.bucket_starts()) {
    CivilTime start = CivilTime::FromMicros(bucket);
    CivilTime end = start;
    start.AddDays(-(days - 1));
    end.AddDays(1);
    lo_.push_back(range.zone().LocalToUtcMicros(start.ToMicros()));
    hi_.push_back(range.zone().LocalToUtcMicros(end.ToMicros()));
  }
  edges_ = lo_;
  edges_.insert(edges_.end(), hi_.begin(), hi_.end());
  std::sort(edges_.begin(), edges_.end());
  edges_.erase(std::unique(edges_.begin(), edges_.end()), edges_.end());
}

std::optional<size_t> ActiveWindows::StretchOf(int64_t timestamp_us) const {
  // The stretch (edges_[k], edges_[k + 1]].
  auto above = std::lower_bound(edges_.begin(), edges_.end(), timestamp_us);
  if (above == edges_.begin() || above == edges_.end()) return std::nullopt;
  return static_cast<size_t>(above - edges_.begin() - 1);
}

SeriesStates ActiveWindows::Fold(const SeriesStates& stretches, Math math) const {
  SeriesStates windows(math, lo_.size());
  for (const auto& [label, row] : stretches.states()) {
    std::vector<std::unique_ptr<Aggregate>>& folded = windows.Row(label);
    for (size_t i = 0; i < lo_.size(); ++i) {
      const size_t first = std::lower_bound(edges_.begin(), edges_.end(), lo_[i]) - edges_.begin();
      const size_t end = std::lower_bound(edges_.begin(), edges_.end(), hi_[i]) - edges_.begin();
      for (size_t k = first; k < end; ++k) folded[i]->Merge(*row[k]);
    }
  }
  return windows;
}

}  // namespace hoglet::query
