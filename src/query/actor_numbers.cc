#include "query/actor_numbers.h"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace hoglet::query {

Status ActorNumbers::Number(const Uuid* actors, size_t count, uint32_t* out) {
  // The rows of a block come in person order: an actor repeating the one before is not looked
  // up again. Known actors are found under the shared lock; the rest are numbered after it.
  constexpr size_t kAhead = 8;
  std::vector<size_t> unknown;
  {
    std::shared_lock lock(mu_);
    for (size_t i = 0; i < count; ++i) {
      if (i + kAhead < count) index_.Prefetch(actors[i + kAhead]);
      if (i > 0 && actors[i] == actors[i - 1]) {
        out[i] = out[i - 1];
        continue;
      }
      if (std::optional<uint32_t> found = index_.Find(actors[i])) {
        out[i] = *found;
      } else {
        unknown.push_back(i);
      }
    }
  }
  if (unknown.empty()) return Status::Ok();
  std::unique_lock lock(mu_);
  for (size_t i : unknown) {
    if (std::optional<uint32_t> found = index_.Find(actors[i])) {
      out[i] = *found;
      continue;
    }
    if (index_.size() >= kMaxActors) {
      return ResourceExhaustedError("a query counts more than " + std::to_string(kMaxActors) +
                                    " distinct actors");
    }
    out[i] = static_cast<uint32_t>(index_.size());
    index_.Insert(actors[i], out[i]);
    actors_.push_back(actors[i]);
  }
  // A repeat of an actor numbered just now took its number before it had one.
  for (size_t i = 1; i < count; ++i) {
    if (actors[i] == actors[i - 1]) out[i] = out[i - 1];
  }
  return Status::Ok();
}

StatusOr<uint32_t> ActorNumbers::Number(const Uuid& actor) {
  uint32_t number = 0;
  HOGLET_RETURN_IF_ERROR(Number(&actor, 1, &number));
  return number;
}

size_t ActorNumbers::size() const {
  std::shared_lock lock(mu_);
  return index_.size();
}

void ActorNumbers::ActorsOf(const uint32_t* numbers, size_t count, Uuid* out) const {
  std::shared_lock lock(mu_);
  for (size_t i = 0; i < count; ++i) out[i] = actors_[numbers[i]];
}

}  // namespace hoglet::query
