#include "query/actor_buckets.h"

#include <algorithm>

namespace hoglet::query {

Status ActorBuckets::Add(size_t bucket, const std::vector<uint32_t>& numbers,
                         const ActorNumbers& numbering) {
  if (numbering_ != nullptr && numbering_ != &numbering) {
    return InvalidArgumentError("the buckets' actors come from two numberings");
  }
  numbering_ = &numbering;
  if (bucket >= buckets_ || numbers.empty()) return Status::Ok();
  added_.emplace_back(static_cast<uint32_t>(bucket), numbers);
  // The actors of the numbers not met before, asked for at once.
  std::vector<uint32_t> unknown;
  for (uint32_t number : numbers) {
    if (number >= known_.size()) {
      const size_t size = std::max<size_t>(number + 1, known_.size() + known_.size() / 2);
      known_.resize(size, false);
      actor_of_.resize(size);
    }
    if (!known_[number]) {
      known_[number] = true;
      unknown.push_back(number);
    }
  }
  std::vector<Uuid> actors(unknown.size());
  numbering.ActorsOf(unknown.data(), unknown.size(), actors.data());
  for (size_t i = 0; i < unknown.size(); ++i) actor_of_[unknown[i]] = actors[i];
  return Status::Ok();
}

void ActorBuckets::Finish() {
  std::sort(added_.begin(), added_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  uint32_t limit = 0;
  size_t total = 0;
  for (const auto& [bucket, numbers] : added_) {
    limit = std::max(limit, *std::max_element(numbers.begin(), numbers.end()) + 1);
    total += numbers.size();
  }
  // next[n]: where actor n's next bucket goes; first its count of buckets.
  std::vector<size_t> next(limit, 0);
  for (const auto& [bucket, numbers] : added_) {
    for (uint32_t number : numbers) ++next[number];
  }
  numbers_.clear();
  starts_.assign(1, 0);
  for (uint32_t number = 0; number < limit; ++number) {
    if (next[number] == 0) continue;
    const size_t count = next[number];
    next[number] = starts_.back();
    numbers_.push_back(number);
    starts_.push_back(starts_.back() + count);
  }
  buckets_of_.resize(total);
  for (const auto& [bucket, numbers] : added_) {
    for (uint32_t number : numbers) buckets_of_[next[number]++] = bucket;
  }
  added_ = {};
}

std::vector<Uuid> ActorBuckets::Actors() const {
  std::vector<Uuid> out;
  out.reserve(numbers_.size());
  for (uint32_t number : numbers_) out.push_back(actor_of_[number]);
  return out;
}

}  // namespace hoglet::query
