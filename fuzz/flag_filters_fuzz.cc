// Fuzzes what a flag definition and a /flags request carry into the evaluator: a flag's
// `filters`, a cohort's `filters` and a properties object. Any input must parse or be refused
// with a status, never crash, hang or read out of bounds; whatever parses must evaluate, and
// every result must satisfy the evaluator's contract.
//
// Input layout: three JSON texts separated by a 0x00 byte: flag filters, cohort filters,
// person properties. A missing part is "{}".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "base/time_zone.h"
#include "filters/property_value.h"
#include "flags/cohort.h"
#include "flags/feature_flag.h"
#include "flags/flag_evaluator.h"
#include "flags/flag_snapshot.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

std::vector<std::string_view> Split(std::string_view input) {
  std::vector<std::string_view> parts;
  while (parts.size() < 2) {
    size_t zero = input.find('\0');
    if (zero == std::string_view::npos) break;
    parts.push_back(input.substr(0, zero));
    input.remove_prefix(zero + 1);
  }
  parts.push_back(input);
  while (parts.size() < 3) parts.push_back("{}");
  return parts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hoglet::flags;
  auto parts = Split(std::string_view(reinterpret_cast<const char*>(data), size));

  std::vector<FeatureFlag> flags;
  if (auto filters = ParseFlagFilters(parts[0]); filters.ok()) {
    FeatureFlag flag;
    flag.id = 1;
    flag.team_id = 1;
    flag.key = "fuzzed-flag";
    flag.filters_json = std::string(parts[0]);
    flag.filters = std::move(*filters);
    flags.push_back(std::move(flag));
  } else {
    Check(!filters.status().message().empty());
  }

  std::vector<Cohort> cohorts;
  if (auto root = ParseCohortFilters(parts[1]); root.ok()) {
    Cohort cohort;
    cohort.id = 1;
    cohort.team_id = 1;
    cohort.filters_json = std::string(parts[1]);
    cohort.root = std::move(*root);
    cohorts.push_back(std::move(cohort));
  }

  EvaluationRequest request;
  request.distinct_id = "user-1";
  request.groups["company"] = "acme";
  request.now_us = 1'700'000'000'000'000;
  // A zone with daylight saving, so naive dates go through the zone conversion.
  static const hoglet::TimeZone kZone = [] {
    hoglet::StatusOr<hoglet::TimeZone> zone = hoglet::TimeZone::Load("America/New_York");
    return zone.ok() ? *zone : hoglet::TimeZone::Utc();
  }();
  request.time_zone = kZone;
  if (auto properties = hoglet::filters::ParseProperties(parts[2]); properties.ok()) {
    request.person_properties = std::move(*properties);
    request.group_properties["company"] = request.person_properties;
  }

  auto snapshot = FlagSnapshot::Build(1, std::move(flags), std::move(cohorts), {{"company", 0}});
  for (const FlagResult& result : EvaluateFlags(*snapshot, request)) {
    Check(result.flag != nullptr);
    Check(!(result.enabled && result.failed));
    Check(result.enabled || !result.variant.has_value());
    Check(result.enabled || !result.payload.has_value());
    Check(!result.Description().empty());
  }
  return 0;
}
