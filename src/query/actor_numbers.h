// Small dense numbers for the actors a query counts (persons, groups), so that distinct counts
// keep 4-byte numbers, in a sorted list or as one bit per actor (query/aggregate.h), rather than
// 16-byte UUIDs. An actor keeps its number for the object's life: numbers worked out for a block
// once can be kept and serve later queries (PersonOverrides holds one ActorNumbers for the
// persons of its project, and the numbers of each block's rows are kept in the block cache).
//
// Example:
//   ActorNumbers numbers;
//   std::vector<uint32_t> out(persons.size());
//   HOGLET_RETURN_IF_ERROR(numbers.Number(persons.data(), persons.size(), out.data()));
//
// Thread-safe: lookups of known actors share a lock; numbering new ones takes it alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <shared_mutex>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "base/uuid_index.h"

namespace hoglet::query {

class ActorNumbers {
 public:
  static constexpr size_t kMaxActors = size_t{1} << 31;

  ActorNumbers() = default;
  ActorNumbers(const ActorNumbers&) = delete;
  ActorNumbers& operator=(const ActorNumbers&) = delete;

  // The number of each of actors[0, count), into out[i]; an actor seen for the first time gets
  // the next free number. kResourceExhausted past kMaxActors actors.
  Status Number(const Uuid* actors, size_t count, uint32_t* out);
  StatusOr<uint32_t> Number(const Uuid& actor);

  // How many actors have a number: every number is below it.
  size_t size() const;

  // The actor of each of numbers[0, count) (each below size()), into out[i].
  void ActorsOf(const uint32_t* numbers, size_t count, Uuid* out) const;

 private:
  mutable std::shared_mutex mu_;
  UuidIndex index_;           // guarded by mu_
  std::vector<Uuid> actors_;  // by number; guarded by mu_
};

}  // namespace hoglet::query
