// Column encode/decode throughput: the per-block cost of writing and scanning parts.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "store/block_codec.h"
#include "store/fixed_columns.h"
#include "store/property_column.h"

namespace hoglet::store {
namespace {

constexpr size_t kRows = 8192;

PropertyColumnData BrowserColumn() {
  const char* browsers[] = {"Chrome", "Firefox", "Safari", "Edge", "Opera"};
  std::mt19937 rng(1);
  PropertyColumnData data;
  for (size_t i = 0; i < kRows; ++i) {
    if (rng() % 10 == 0) {
      data.AppendAbsent();
    } else {
      data.Append(PropertyValue::String(browsers[rng() % 5]));
    }
  }
  return data;
}

PropertyColumnData NumberColumn() {
  std::mt19937 rng(2);
  PropertyColumnData data;
  for (size_t i = 0; i < kRows; ++i) data.Append(PropertyValue::Number((rng() % 100000) / 100.0));
  return data;
}

std::vector<int64_t> Timestamps() {
  std::vector<int64_t> ts;
  int64_t t = 1710028800000000;
  std::mt19937 rng(3);
  for (size_t i = 0; i < kRows; ++i) ts.push_back(t += rng() % 5000000);
  return ts;
}

void EncodeProperty(benchmark::State& state, const PropertyColumnData& data) {
  size_t bytes = 0;
  for (auto _ : state) {
    std::string block = CompressBlock(data.PreferredCodec(), data.Encode());
    bytes = block.size();
    benchmark::DoNotOptimize(block);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
  state.counters["bytes_per_row"] = static_cast<double>(bytes) / kRows;
}

void DecodeProperty(benchmark::State& state, const PropertyColumnData& data) {
  std::string block = CompressBlock(data.PreferredCodec(), data.Encode());
  for (auto _ : state) {
    auto raw = DecompressBlock(block);
    auto back = PropertyColumnData::Decode(*raw);
    benchmark::DoNotOptimize(back);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
}

void BM_PropertyColumn_EncodeStrings(benchmark::State& state) {
  EncodeProperty(state, BrowserColumn());
}
void BM_PropertyColumn_DecodeStrings(benchmark::State& state) {
  DecodeProperty(state, BrowserColumn());
}
void BM_PropertyColumn_EncodeNumbers(benchmark::State& state) {
  EncodeProperty(state, NumberColumn());
}
void BM_PropertyColumn_DecodeNumbers(benchmark::State& state) {
  DecodeProperty(state, NumberColumn());
}

void BM_Int64Column_EncodeTimestamps(benchmark::State& state) {
  std::vector<int64_t> ts = Timestamps();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string block = CompressBlock(Codec::kLz4, EncodeInt64Block(ts));
    bytes = block.size();
    benchmark::DoNotOptimize(block);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
  state.counters["bytes_per_row"] = static_cast<double>(bytes) / kRows;
}

void BM_Int64Column_DecodeTimestamps(benchmark::State& state) {
  std::string block = CompressBlock(Codec::kLz4, EncodeInt64Block(Timestamps()));
  for (auto _ : state) {
    auto raw = DecompressBlock(block);
    auto back = DecodeInt64Block(*raw);
    benchmark::DoNotOptimize(back);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
}

BENCHMARK(BM_PropertyColumn_EncodeStrings);
BENCHMARK(BM_PropertyColumn_DecodeStrings);
BENCHMARK(BM_PropertyColumn_EncodeNumbers);
BENCHMARK(BM_PropertyColumn_DecodeNumbers);
BENCHMARK(BM_Int64Column_EncodeTimestamps);
BENCHMARK(BM_Int64Column_DecodeTimestamps);

}  // namespace
}  // namespace hoglet::store
