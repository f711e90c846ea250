// /flags evaluation throughput: EvaluateFlags over a 50-flag project, one request per iteration,
// each iteration a different distinct id (1024 ids in rotation).
//   BM_FlagEvaluator_SimpleFlags     50 boolean flags, one condition, 50% rollout, no properties
//   BM_FlagEvaluator_PropertyFlags   50 boolean flags, two person-property filters + 50% rollout
//   BM_FlagEvaluator_Multivariate    50 flags with three variants, 50% rollout
// Counter: items_per_second = flag evaluations per second (50 per request).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "flags/feature_flag.h"
#include "flags/flag_evaluator.h"
#include "flags/flag_snapshot.h"

namespace {

using hoglet::filters::PropertyValue;
using hoglet::flags::EvaluateFlags;
using hoglet::flags::EvaluationRequest;
using hoglet::flags::EvaluationRuntime;
using hoglet::flags::FeatureFlag;
using hoglet::flags::FlagResult;
using hoglet::flags::FlagSnapshot;
using hoglet::flags::ParseFlagFilters;

constexpr int kFlags = 50;
constexpr int kIds = 1024;

std::shared_ptr<const FlagSnapshot> Snapshot(const std::string& filters_json) {
  std::vector<FeatureFlag> flags;
  for (int i = 0; i < kFlags; ++i) {
    FeatureFlag flag;
    flag.id = i + 1;
    flag.team_id = 1;
    flag.key = "flag-" + std::to_string(i);
    flag.filters_json = filters_json;
    auto filters = ParseFlagFilters(filters_json);
    if (!filters.ok()) std::abort();
    flag.filters = std::move(filters).value();
    flags.push_back(std::move(flag));
  }
  return FlagSnapshot::Build(1, std::move(flags), {}, {});
}

std::vector<EvaluationRequest> Requests(bool with_properties) {
  std::vector<EvaluationRequest> requests(kIds);
  for (int i = 0; i < kIds; ++i) {
    EvaluationRequest& request = requests[i];
    request.distinct_id = "user-" + std::to_string(i * 7919) + "@example.com";
    request.runtime = EvaluationRuntime::kAll;
    if (with_properties) {
      auto& props = request.person_properties;
      props["email"] = PropertyValue::String(request.distinct_id);
      props["plan"] = PropertyValue::String(i % 2 ? "pro" : "free");
      props["$browser"] = PropertyValue::String("Chrome");
      props["$os"] = PropertyValue::String("Mac OS X");
      props["$initial_referring_domain"] = PropertyValue::String("$direct");
      props["seats"] = PropertyValue::Number(i % 50, std::to_string(i % 50));
    }
  }
  return requests;
}

void Run(benchmark::State& state, const FlagSnapshot& snapshot,
         const std::vector<EvaluationRequest>& requests) {
  size_t next = 0;
  int64_t enabled = 0;
  for (auto _ : state) {
    std::vector<FlagResult> results = EvaluateFlags(snapshot, requests[next]);
    next = (next + 1) % requests.size();
    enabled += static_cast<int64_t>(results.front().enabled);
    benchmark::DoNotOptimize(results.data());
  }
  benchmark::DoNotOptimize(enabled);
  state.SetItemsProcessed(state.iterations() * kFlags);
}

void BM_FlagEvaluator_SimpleFlags(benchmark::State& state) {
  auto snapshot = Snapshot(R"({"groups":[{"properties":[],"rollout_percentage":50}]})");
  Run(state, *snapshot, Requests(false));
}
BENCHMARK(BM_FlagEvaluator_SimpleFlags);

void BM_FlagEvaluator_PropertyFlags(benchmark::State& state) {
  auto snapshot = Snapshot(R"({"groups":[{"properties":[
      {"key":"email","value":"@example.com","operator":"icontains","type":"person"},
      {"key":"plan","value":["pro","enterprise"],"operator":"exact","type":"person"}],
      "rollout_percentage":50}]})");
  Run(state, *snapshot, Requests(true));
}
BENCHMARK(BM_FlagEvaluator_PropertyFlags);

void BM_FlagEvaluator_Multivariate(benchmark::State& state) {
  auto snapshot = Snapshot(R"({"groups":[{"properties":[],"rollout_percentage":50}],
      "multivariate":{"variants":[{"key":"control","rollout_percentage":34},
                                  {"key":"test-a","rollout_percentage":33},
                                  {"key":"test-b","rollout_percentage":33}]}})");
  Run(state, *snapshot, Requests(false));
}
BENCHMARK(BM_FlagEvaluator_Multivariate);

}  // namespace
