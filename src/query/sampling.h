// PostHog's sampling (`samplingFactor`, analytics §3.1): a query reads only the events whose
// distinct id falls in the sample, chosen as ClickHouse's `SAMPLE <factor>` on the events table
// chooses them (`SAMPLE BY cityHash64(distinct_id)`: the rows whose key is below factor × 2^64),
// so the same events are kept every time and a distinct id's events are kept or dropped together.
// Then the count-like values of a trends line are scaled back up by 1/factor and rounded (half to
// even), as PostHog's `correct_result_for_sampling` does; averages, extremes, quantiles and the
// per-actor maths are left as computed.
//
// Example:
//   if (InSample(distinct_id, 0.1)) ...;   // about one distinct id in ten
//   CorrectForSampling(3, 0.1) == 30
//
// Pure functions; call them from any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "query/trends_query.h"

namespace hoglet::query {

// The sampling key below which an event is in a sample of `factor` (0 < factor < 1):
// floor(factor × 2^64).
uint64_t SampleUpperBound(double factor);

// Whether the events of `distinct_id` are in a sample of `factor` (0 < factor < 1).
bool InSample(std::string_view distinct_id, double factor);

// `value` scaled by 1/factor and rounded to a whole number, half to even.
double CorrectForSampling(double value, double factor);

// Whether a series' values are scaled back up when sampled: every math but avg, min, max, the
// quantiles and the *_count_per_actor maths ("sum" is).
bool MathScaledBySampling(Math math);

}  // namespace hoglet::query
