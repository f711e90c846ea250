// The windows of weekly/monthly active persons: bucket i counts the persons with an event in
// (lo[i], hi[i]], the `days` calendar days of the project's zone ending with the bucket's day.
//
// Windows overlap, so an event is counted once, in the stretch between two window edges that
// holds it (StretchOf), and each window is then the union of the stretches it spans (Fold),
// rather than the event being added to each of the 7 or 30 windows holding it. Whoever is told
// of each event counted per window uses ForEachHolding instead.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "query/date_range.h"
#include "query/series_states.h"
#include "query/trends_query.h"

namespace hoglet::query {

class ActiveWindows {
 public:
  ActiveWindows() = default;  // no window
  ActiveWindows(const DateRange& range, int days);

  bool empty() const { return lo_.empty(); }
  // The instant before the first window (not empty()).
  int64_t from_us() const { return lo_.front(); }

  // Calls visit(i) for each window i holding `timestamp_us`.
  template <typename Visit>
  void ForEachHolding(int64_t timestamp_us, Visit&& visit) const {
    auto first = std::lower_bound(hi_.begin(), hi_.end(), timestamp_us);
    for (size_t i = first - hi_.begin(); i < lo_.size() && lo_[i] < timestamp_us; ++i) visit(i);
  }

  // The number of stretches (not empty()), and the stretch holding `timestamp_us`, if any.
  size_t stretches() const { return edges_.size() - 1; }
  std::optional<size_t> StretchOf(int64_t timestamp_us) const;
  // Stretch k holds the instants in (first, second].
  std::pair<int64_t, int64_t> StretchBounds(size_t k) const { return {edges_[k], edges_[k + 1]}; }
  // Per label, each window's state: the union of the states of the stretches it spans
  // (`stretches` holds one state per stretch).
  SeriesStates Fold(const SeriesStates& stretches, Math math) const;

 private:
  std::vector<int64_t> lo_;
  std::vector<int64_t> hi_;
  std::vector<int64_t> edges_;  // lo_ and hi_, sorted, each once
};

}  // namespace hoglet::query
