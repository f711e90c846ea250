#include "query/series_states.h"

namespace hoglet::query {

std::vector<std::unique_ptr<Aggregate>>& SeriesStates::Row(const std::string& label) {
  auto found = states_.find(label);
  if (found == states_.end()) {
    std::vector<std::unique_ptr<Aggregate>> row(buckets_);
    for (auto& state : row) state = NewAggregate(math_);
    found = states_.emplace(label, std::move(row)).first;
  }
  return found->second;
}

void SeriesStates::Merge(const SeriesStates& other) {
  for (const auto& [label, row] : other.states_) {
    for (size_t bucket = 0; bucket < row.size(); ++bucket) At(label, bucket).Merge(*row[bucket]);
  }
}

}  // namespace hoglet::query
