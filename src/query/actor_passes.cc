#include "query/actor_passes.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "query/part_blocks.h"

namespace hoglet::query {
namespace {

// The estimate of the shares a range needs is raised by this much, so that the shares' sizes may
// vary around their mean without most of them passing the bound.
constexpr double kShareHeadroom = 1.25;

// The shares that split the events of `kept` events over `rows_read` of `total_rows` rows into
// parts of at most `max_events`.
uint32_t EstimatedShares(size_t kept, uint64_t rows_read, uint64_t total_rows, size_t max_events) {
  const double per_row =
      static_cast<double>(kept) / static_cast<double>(std::max<uint64_t>(1, rows_read));
  const double events = per_row * static_cast<double>(std::max(total_rows, rows_read));
  const double shares = std::ceil(events * kShareHeadroom / static_cast<double>(max_events));
  return static_cast<uint32_t>(std::clamp(shares, 2.0, static_cast<double>(kMaxActorShares) + 1));
}

Status TooManyEvents(std::string_view insight, size_t max_events) {
  return InvalidArgumentError(std::string("the ") + std::string(insight) + " reads more than " +
                                  std::to_string(max_events * kMaxActorShares) +
                                  " events; choose a shorter date range",
                              "too_many_events");
}

}  // namespace

uint64_t ActorShare::NumberHash(uint32_t number) {
  // splitmix64's finalizer.
  uint64_t x = (number + 1) * 0x9e3779b97f4a7c15ULL;
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

void ActorPass::BeginApart(const ActorShare&, uint32_t) {}

Status ActorPass::Gather(std::span<ActorPass* const>) {
  return InternalError("this pass does not read apart");
}

Status ActorPass::FinishShare(std::span<ActorPass* const>, uint32_t) {
  return InternalError("this pass does not read apart");
}

namespace {

// Runs run(i) for i < n, run(0) on the calling thread and the others on threads of their own (or
// here, when no thread is to be had); the statuses by i.
template <typename Run>
std::vector<Status> RunOnThreads(uint32_t n, Run run) {
  std::vector<Status> statuses(n, Status::Ok());
  std::vector<std::thread> running;
  for (uint32_t i = 1; i < n; ++i) {
    try {
      running.emplace_back([&, i] { statuses[i] = run(i); });
    } catch (const std::system_error&) {
      statuses[i] = run(i);
    }
  }
  statuses[0] = run(0);
  for (std::thread& thread : running) thread.join();
  return statuses;
}

// One round of the passes reading apart: every pass keeps the events of `round`'s actors, pass i
// those of every n-th block of the range from the i-th on, apart by keeper; then, unless a pass
// passed `bound`, pass i runs keeper i's actors from what all kept. `kept` and `rows_read`: what
// the passes kept and read together, for the estimate of a round over the bound.
struct ApartRound {
  bool over = false;
  size_t kept = 0;
  uint64_t rows_read = 0;
};

StatusOr<ApartRound> RunApartRound(const store::ScanSnapshot& snapshot, size_t bound,
                                   const QueryBudget* budget, const ActorShare& round,
                                   std::span<ActorPass* const> passes) {
  const auto n = static_cast<uint32_t>(passes.size());
  for (ActorPass* pass : passes) pass->BeginApart(round, n);
  std::atomic<bool> stop = false;  // a pass failed, or passed its bound
  std::atomic<bool> over = false;
  std::vector<uint64_t> rows_read(n, 0);
  // A pass that stopped because another did answers Ok; one that failed, its error.
  std::vector<Status> statuses = RunOnThreads(n, [&](uint32_t i) -> Status {
    ActorPass* pass = passes[i];
    uint64_t ordinal = 0;  // of the blocks in the range, over every part
    bool stopped = false;
    for (const auto& part : snapshot.parts) {
      std::shared_ptr<const store::ColumnIndex> index;
      Status status = ScanPartBlocks(*part, pass->from_us(), pass->to_us(), budget,
                                     [&](store::BlockReader* block) -> Status {
                                       if (stop) {
                                         stopped = true;
                                         return UnavailableError("the reading stopped");
                                       }
                                       if (ordinal++ % n != i) return Status::Ok();
                                       HOGLET_RETURN_IF_ERROR(pass->ScanBlock(block));
                                       if (index == nullptr) {
                                         HOGLET_ASSIGN_OR_RETURN(index, part->TimestampIndex());
                                       }
                                       rows_read[i] += index->blocks[block->block()].rows;
                                       if (pass->kept() <= bound) return Status::Ok();
                                       over = true;
                                       stopped = true;
                                       stop = true;
                                       return UnavailableError("the pass is over its bound");
                                     });
      if (stopped) return Status::Ok();
      if (!status.ok()) {
        stop = true;
        return status;
      }
    }
    return Status::Ok();
  });
  for (const Status& status : statuses) HOGLET_RETURN_IF_ERROR(status);
  ApartRound done;
  if (over) {
    done.over = true;
    for (uint32_t i = 0; i < n; ++i) {
      done.kept += passes[i]->kept();
      done.rows_read += rows_read[i];
    }
    return done;
  }
  HOGLET_RETURN_IF_ERROR(passes[0]->Gather(passes));
  statuses = RunOnThreads(n, [&](uint32_t i) { return passes[i]->FinishShare(passes, i); });
  for (const Status& status : statuses) HOGLET_RETURN_IF_ERROR(status);
  return done;
}

// The passes reading apart, in rounds: the first round takes every actor; a round over the bound
// is read again in smaller ones (the first time by the estimate of how many it needs, then in
// two), as RunShares splits its shares.
Status RunApart(const store::ScanSnapshot& snapshot, size_t max_events, std::string_view insight,
                const QueryBudget* budget, std::span<ActorPass* const> passes) {
  const auto n = static_cast<uint32_t>(passes.size());
  const size_t bound = std::max<size_t>(max_events / n, 1);
  uint64_t total_rows = 0;
  for (const auto& part : snapshot.parts) total_rows += part->meta().row_count;
  struct Todo {
    ActorShare round;
    bool split = false;  // split from another round already
  };
  std::vector<Todo> todo{{{1, 0}, false}};
  while (!todo.empty()) {
    const Todo next = todo.back();
    todo.pop_back();
    HOGLET_ASSIGN_OR_RETURN(const ApartRound done,
                            RunApartRound(snapshot, bound, budget, next.round, passes));
    if (!done.over) continue;
    const uint32_t factor =
        next.split ? 2 : EstimatedShares(done.kept, done.rows_read, total_rows, max_events);
    const uint64_t count = uint64_t{next.round.count} * factor;
    if (count > kMaxActorShares) return TooManyEvents(insight, max_events);
    for (uint32_t j = factor; j-- > 0;) {
      todo.push_back(
          {{static_cast<uint32_t>(count), next.round.index + next.round.count * j}, true});
    }
  }
  return Status::Ok();
}

// One pass's shares, from `first` on: a share over the bound is read again in smaller shares
// (the first time by the estimate of how many it needs, then in two), the last pushed read first.
// `max_events` is this pass's bound, `all_events` every pass's together (for the refusal).
Status RunShares(const store::ScanSnapshot& snapshot, uint64_t total_rows, size_t max_events,
                 size_t all_events, std::string_view insight, const QueryBudget* budget,
                 ActorShare first, std::atomic<bool>* failed, ActorPass* pass) {
  struct Todo {
    ActorShare share;
    bool split = false;  // split from another share already
  };
  std::vector<Todo> todo{{first, false}};
  while (!todo.empty()) {
    const Todo next = todo.back();
    todo.pop_back();
    const ActorShare share = next.share;
    pass->Begin(share);
    uint64_t rows_read = 0;
    bool over = false;
    bool stopped = false;  // another pass failed: its error is the answer
    for (const auto& part : snapshot.parts) {
      std::shared_ptr<const store::ColumnIndex> index;
      Status status = ScanPartBlocks(*part, pass->from_us(), pass->to_us(), budget,
                                     [&](store::BlockReader* block) -> Status {
                                       if (*failed) {
                                         stopped = true;
                                         return UnavailableError("another pass failed");
                                       }
                                       HOGLET_RETURN_IF_ERROR(pass->ScanBlock(block));
                                       if (index == nullptr) {
                                         HOGLET_ASSIGN_OR_RETURN(index, part->TimestampIndex());
                                       }
                                       rows_read += index->blocks[block->block()].rows;
                                       if (pass->kept() <= max_events) return Status::Ok();
                                       over = true;
                                       return ResourceExhaustedError("the pass is over its bound");
                                     });
      if (stopped) return Status::Ok();
      if (over) break;
      HOGLET_RETURN_IF_ERROR(status);
    }
    if (!over) {
      HOGLET_RETURN_IF_ERROR(pass->Finish());
      continue;
    }
    // Share {c, i} splits into {c·k, i + c·j} for j < k: the same actors.
    const uint32_t factor =
        next.split ? 2 : EstimatedShares(pass->kept(), rows_read, total_rows, max_events);
    const uint64_t count = uint64_t{share.count} * factor;
    if (count > kMaxActorShares) return TooManyEvents(insight, all_events);
    for (uint32_t j = factor; j-- > 0;) {
      todo.push_back({{static_cast<uint32_t>(count), share.index + share.count * j}, true});
    }
  }
  return Status::Ok();
}

}  // namespace

Status RunActorPasses(const store::ScanSnapshot& snapshot, size_t max_events,
                      std::string_view insight, const QueryBudget* budget, ActorPass* pass) {
  ActorPass* const passes[] = {pass};
  return RunActorPasses(snapshot, max_events, insight, budget, passes);
}

Status RunActorPasses(const store::ScanSnapshot& snapshot, size_t max_events,
                      std::string_view insight, const QueryBudget* budget,
                      std::span<ActorPass* const> passes) {
  const auto n = static_cast<uint32_t>(passes.size());
  if (n > 1 && std::all_of(passes.begin(), passes.end(),
                           [](const ActorPass* pass) { return pass->reads_apart(); })) {
    return RunApart(snapshot, max_events, insight, budget, passes);
  }
  uint64_t total_rows = 0;
  for (const auto& part : snapshot.parts) total_rows += part->meta().row_count;
  const size_t bound = std::max<size_t>(max_events / n, 1);
  std::atomic<bool> failed = false;
  std::vector<Status> statuses = RunOnThreads(n, [&](uint32_t i) {
    Status status = RunShares(snapshot, total_rows, bound, max_events, insight, budget, {n, i},
                              &failed, passes[i]);
    if (!status.ok()) failed = true;
    return status;
  });
  for (const Status& status : statuses) HOGLET_RETURN_IF_ERROR(status);
  return Status::Ok();
}

}  // namespace hoglet::query
