#include "query/trends_lines.h"

#include <cmath>
#include <utility>

namespace hoglet::query {

std::vector<double> CumulativeDistinct(const std::vector<std::unique_ptr<Aggregate>>& states) {
  // The size of the running union of the buckets' distinct sets.
  std::vector<double> data;
  std::unique_ptr<Aggregate> running = states.empty() ? nullptr : states.front()->NewEmpty();
  for (const auto& state : states) {
    running->Merge(*state);
    data.push_back(running->Finalize());
  }
  return data;
}

void Smooth(size_t intervals, std::vector<double>* data) {
  if (intervals <= 1) return;
  std::vector<double> smoothed(data->size());
  for (size_t i = 0; i < data->size(); ++i) {
    // Summed afresh for each bucket: a running sum would carry rounding into the floor.
    size_t first = i + 1 >= intervals ? i + 1 - intervals : 0;
    double window = 0;
    for (size_t j = first; j <= i; ++j) window += (*data)[j];
    smoothed[i] = std::floor(window / static_cast<double>(i + 1 - first));
  }
  *data = std::move(smoothed);
}

void FinishBuckets(const TrendsQuery& query, const DateRange& range, TrendsLine* line) {
  const bool cumulative = query.display == Display::kCumulative;
  line->data.resize(range.bucket_starts().size());
  if (!cumulative) Smooth(query.smoothing_intervals, &line->data);
  line->count = 0;
  if (cumulative) {
    line->count = line->data.empty() ? 0 : line->data.back();
  } else {
    for (double v : line->data) line->count += v;
  }
}

void RunningSum(std::vector<double>* data) {
  for (size_t i = 1; i < data->size(); ++i) (*data)[i] += (*data)[i - 1];
}

}  // namespace hoglet::query
