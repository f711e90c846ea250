// The buckets each actor was active in, turned round from each bucket's actors as a distinct
// count keeps them (TrendsContext::bucket_actors): stickiness counts an actor's intervals and
// lifecycle reads its active periods from these. The buckets' actors' numbers (query/
// actor_numbers.h) are spread by number with a counting sort, so each actor's buckets come
// together and in order without a sort of (actor, bucket) pairs.
//
// Example:
//   ActorBuckets active(range.bucket_starts().size());
//   context.bucket_actors = [&](size_t, const std::string&, size_t bucket,
//                               const std::vector<uint32_t>& numbers, const ActorNumbers& from) {
//     return active.Add(bucket, numbers, from);
//   };
//   HOGLET_RETURN_IF_ERROR(RunTrends(query, range, context, source, team_id).status());
//   active.Finish();
//   std::vector<Uuid> actors = active.Actors();
//   for (size_t i = 0; i < active.size(); ++i) Use(actors[i], active.BucketsOf(i));
//
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "query/actor_numbers.h"

namespace hoglet::query {

class ActorBuckets {
 public:
  // Buckets from `buckets` on are not kept.
  explicit ActorBuckets(size_t buckets) : buckets_(buckets) {}

  // Keeps the actors of one bucket (numbers in `numbering`, each once; a bucket given once), and
  // the actors themselves: the numbering need not outlive the call. All buckets' numbers are in
  // one numbering. kInvalidArgument for a second numbering.
  Status Add(size_t bucket, const std::vector<uint32_t>& numbers, const ActorNumbers& numbering);

  // Spreads what was added by actor; Add may not be called after.
  void Finish();

  // After Finish: the actors with a bucket, by number ascending.
  size_t size() const { return numbers_.size(); }
  uint32_t NumberOf(size_t i) const { return numbers_[i]; }
  // The buckets of the i-th actor, ascending.
  std::span<const uint32_t> BucketsOf(size_t i) const {
    return {buckets_of_.data() + starts_[i], buckets_of_.data() + starts_[i + 1]};
  }
  // The actors themselves (persons, or groups), in the same order.
  std::vector<Uuid> Actors() const;

 private:
  const size_t buckets_;
  const ActorNumbers* numbering_ = nullptr;
  std::vector<Uuid> actor_of_;  // by number, for the numbers added
  std::vector<bool> known_;     // by number: actor_of_ holds its actor
  std::vector<std::pair<uint32_t, std::vector<uint32_t>>> added_;  // (bucket, its actors)
  std::vector<uint32_t> numbers_;
  std::vector<size_t> starts_;  // the i-th actor's buckets: buckets_of_[starts_[i], starts_[i+1])
  std::vector<uint32_t> buckets_of_;
};

}  // namespace hoglet::query
