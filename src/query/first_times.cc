#include "query/first_times.h"

namespace hoglet::query {

bool FirstTimes::WouldBeFirst(const Uuid& actor, int64_t timestamp_us, bool matches) const {
  if (first_matching_ && !matches) return false;
  auto found = actors_.find(actor);
  return found == actors_.end() || timestamp_us < found->second.first_us;
}

void FirstTimes::Add(const Uuid& actor, int64_t timestamp_us, bool matches,
                     const std::string& label) {
  First& first = actors_[actor];
  if ((matches || !first_matching_) && timestamp_us < first.first_us) {
    first.first_us = timestamp_us;
    first.label = label;
  }
  if (matches && timestamp_us >= from_us_ && timestamp_us < first.first_in_range_us) {
    first.first_in_range_us = timestamp_us;
  }
}

void FirstTimes::ForEachCounted(const std::function<void(const Uuid& actor, int64_t first_us,
                                                         const std::string& label)>& fn) const {
  for (const auto& [actor, first] : actors_) {
    if (first.first_us != kNever && first.first_us == first.first_in_range_us) {
      fn(actor, first.first_us, first.label);
    }
  }
}

}  // namespace hoglet::query
