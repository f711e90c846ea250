#include "query/sampling.h"

#include <cmath>

#include "base/city_hash.h"

namespace hoglet::query {

uint64_t SampleUpperBound(double factor) {
  if (!(factor > 0)) return 0;
  if (factor >= 1) return UINT64_MAX;
  // 2^64 × factor, truncated; long double keeps the 64 bits the product needs.
  const long double bound = static_cast<long double>(factor) * 18446744073709551616.0L;
  return static_cast<uint64_t>(bound);
}

bool InSample(std::string_view distinct_id, double factor) {
  if (factor >= 1) return true;
  return CityHash64(distinct_id) < SampleUpperBound(factor);
}

double CorrectForSampling(double value, double factor) {
  // std::nearbyint rounds half to even in the default rounding mode, as Python's round() does.
  return std::nearbyint(value * (1.0 / factor));
}

bool MathScaledBySampling(Math math) {
  switch (math) {
    case Math::kAvg:
    case Math::kMin:
    case Math::kMax:
    case Math::kMedian:
    case Math::kP75:
    case Math::kP90:
    case Math::kP95:
    case Math::kP99:
    case Math::kAvgCountPerActor:
    case Math::kMinCountPerActor:
    case Math::kMaxCountPerActor:
    case Math::kMedianCountPerActor:
    case Math::kP75CountPerActor:
    case Math::kP90CountPerActor:
    case Math::kP95CountPerActor:
    case Math::kP99CountPerActor:
      return false;
    default:
      return true;
  }
}

}  // namespace hoglet::query
