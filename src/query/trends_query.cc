#include "query/trends_query.h"

#include <array>
#include <utility>

namespace hoglet::query {
namespace {

constexpr std::array<std::pair<Math, std::string_view>, 26> kMathNames = {{
    {Math::kTotal, "total"},
    {Math::kDau, "dau"},
    {Math::kWeeklyActive, "weekly_active"},
    {Math::kMonthlyActive, "monthly_active"},
    {Math::kUniqueSession, "unique_session"},
    {Math::kUniqueGroup, "unique_group"},
    {Math::kSum, "sum"},
    {Math::kAvg, "avg"},
    {Math::kMin, "min"},
    {Math::kMax, "max"},
    {Math::kMedian, "median"},
    {Math::kP75, "p75"},
    {Math::kP90, "p90"},
    {Math::kP95, "p95"},
    {Math::kP99, "p99"},
    {Math::kAvgCountPerActor, "avg_count_per_actor"},
    {Math::kMinCountPerActor, "min_count_per_actor"},
    {Math::kMaxCountPerActor, "max_count_per_actor"},
    {Math::kMedianCountPerActor, "median_count_per_actor"},
    {Math::kP75CountPerActor, "p75_count_per_actor"},
    {Math::kP90CountPerActor, "p90_count_per_actor"},
    {Math::kP95CountPerActor, "p95_count_per_actor"},
    {Math::kP99CountPerActor, "p99_count_per_actor"},
    {Math::kFirstTimeForUser, "first_time_for_user"},
    {Math::kFirstMatchingEventForUser, "first_matching_event_for_user"},
    {Math::kHogQL, "hogql"},
}};

}  // namespace

std::string_view MathName(Math math) {
  for (const auto& [value, name] : kMathNames) {
    if (value == math) return name;
  }
  return "total";
}

std::optional<Math> MathFromName(std::string_view name) {
  for (const auto& [value, known] : kMathNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

bool MathNeedsProperty(Math math) {
  switch (math) {
    case Math::kSum:
    case Math::kAvg:
    case Math::kMin:
    case Math::kMax:
    case Math::kMedian:
    case Math::kP75:
    case Math::kP90:
    case Math::kP95:
    case Math::kP99:
      return true;
    default:
      return false;
  }
}

bool Breakdown::reads_hogql_or_histogram() const {
  for (const BreakdownProperty& by : properties) {
    if (by.hogql || by.histogram_bin_count) return true;
  }
  return false;
}

}  // namespace hoglet::query
