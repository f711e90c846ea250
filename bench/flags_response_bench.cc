// Writing /flags answers: WriteFlagsResponse over the evaluated results of a 50-flag project
// shaped like bench/make_flags.mjs's (30 boolean rollouts, 10 three-variant experiments with a
// payload, 10 on person properties), 1024 distinct ids in rotation.
//   BM_FlagsResponse_Detailed   /flags?v=2 (the shape posthog-js and posthog-node ask for)
//   BM_FlagsResponse_Legacy     /flags?v=1
// Counters: items_per_second = responses per second; bytes_per_second = response bytes.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "filters/property_value.h"
#include "flags/feature_flag.h"
#include "flags/flag_evaluator.h"
#include "flags/flag_snapshot.h"
#include "flags/flags_response.h"

namespace {

namespace filters = hoglet::filters;
namespace flags = hoglet::flags;
using hoglet::flags::FlagAnswer;
using hoglet::flags::FlagsResponseInput;
using hoglet::flags::ResponseShape;

constexpr int kIds = 1024;

flags::FeatureFlag Flag(int id, std::string key, std::string filters_json) {
  flags::FeatureFlag flag;
  flag.id = id;
  flag.team_id = 1;
  flag.key = std::move(key);
  flag.filters_json = std::move(filters_json);
  auto filters = flags::ParseFlagFilters(flag.filters_json);
  if (!filters.ok()) std::abort();
  flag.filters = std::move(filters).value();
  return flag;
}

std::shared_ptr<const flags::FlagSnapshot> Snapshot() {
  std::vector<flags::FeatureFlag> all;
  int id = 0;
  for (int i = 0; i < 30; ++i) {
    all.push_back(Flag(++id, "rollout-" + std::to_string(i),
                       R"({"groups":[{"properties":[],"rollout_percentage":)" +
                           std::to_string(i * 7 % 101) + "}]}"));
  }
  for (int i = 0; i < 10; ++i) {
    all.push_back(Flag(
        ++id, "experiment-" + std::to_string(i),
        R"({"groups":[{"properties":[],"rollout_percentage":)" + std::to_string(50 + i * 5) +
            R"(}],"multivariate":{"variants":[{"key":"control","rollout_percentage":34},)"
            R"({"key":"test-a","rollout_percentage":33},{"key":"test-b","rollout_percentage":33}]},)"
            R"("payloads":{"test-a":"{\"experiment\":)" +
            std::to_string(i) + R"(,\"copy\":\"Try it now\"}"}})"));
  }
  for (int i = 0; i < 10; ++i) {
    all.push_back(Flag(++id, "targeted-" + std::to_string(i),
                       R"({"groups":[{"properties":[{"key":"plan","type":"person",)"
                       R"("value":["pro","team"]}],"rollout_percentage":60}]})"));
  }
  return flags::FlagSnapshot::Build(1, std::move(all), {}, {});
}

// The answers for each id, evaluated once up front: only writing is measured. Results point
// into the snapshot, which lives as long as they do.
const std::vector<std::vector<FlagAnswer>>& Answers() {
  static const auto* answers = [] {
    static const std::shared_ptr<const flags::FlagSnapshot> snapshot = Snapshot();
    auto* out = new std::vector<std::vector<FlagAnswer>>(kIds);
    for (int i = 0; i < kIds; ++i) {
      flags::EvaluationRequest request;
      request.distinct_id = "user-" + std::to_string(i);
      request.runtime = flags::EvaluationRuntime::kAll;
      request.person_properties["plan"] = filters::PropertyValue::String(i % 2 ? "pro" : "free");
      for (flags::FlagResult& result : flags::EvaluateFlags(*snapshot, request)) {
        (*out)[i].push_back(FlagAnswer{std::move(result), {}});
      }
    }
    return out;
  }();
  return *answers;
}

void Write(benchmark::State& state, ResponseShape shape) {
  const auto& answers = Answers();
  int i = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    FlagsResponseInput input;
    input.shape = shape;
    input.flags = &answers[i++ % kIds];
    input.evaluated_at_ms = 1'700'000'000'000;
    std::string body = hoglet::flags::WriteFlagsResponse(input);
    bytes += static_cast<int64_t>(body.size());
    benchmark::DoNotOptimize(body);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}

void BM_FlagsResponse_Detailed(benchmark::State& state) { Write(state, ResponseShape::kDetailed); }
void BM_FlagsResponse_Legacy(benchmark::State& state) { Write(state, ResponseShape::kLegacy); }

BENCHMARK(BM_FlagsResponse_Detailed);
BENCHMARK(BM_FlagsResponse_Legacy);

}  // namespace
