// A trends line's values once its states are counted: the running forms of cumulative displays
// and the fitting of the per-bucket values to the range (smoothing, the line's count).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "query/aggregate.h"
#include "query/date_range.h"
#include "query/trends_query.h"
#include "query/trends_runner.h"

namespace hoglet::query {

// Values of a line that counts distinct persons cumulatively: each person once, in the bucket of
// its first appearance (`states`, one per bucket, are not changed).
std::vector<double> CumulativeDistinct(const std::vector<std::unique_ptr<Aggregate>>& states);

// Each value becomes the sum of itself and those before it.
void RunningSum(std::vector<double>* data);

// trendsFilter.smoothingIntervals: each value becomes the floor of the mean of the last
// `intervals` values (fewer at the start of the range).
void Smooth(size_t intervals, std::vector<double>* data);

// Fits a line's per-bucket values to the range and smooths and counts them (not for total-value
// displays). Cumulative values are already summed.
void FinishBuckets(const TrendsQuery& query, const DateRange& range, TrendsLine* line);

}  // namespace hoglet::query
