#include "query/actor_passes.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
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

Status RunActorPasses(const store::ScanSnapshot& snapshot, size_t max_events,
                      std::string_view insight, const QueryBudget* budget, ActorPass* pass) {
  uint64_t total_rows = 0;
  for (const auto& part : snapshot.parts) total_rows += part->meta().row_count;

  std::vector<ActorShare> todo{ActorShare{}};
  while (!todo.empty()) {
    const ActorShare share = todo.back();
    todo.pop_back();
    pass->Begin(share);
    uint64_t rows_read = 0;
    bool over = false;
    for (const auto& part : snapshot.parts) {
      std::shared_ptr<const store::ColumnIndex> index;
      Status status = ScanPartBlocks(*part, pass->from_us(), pass->to_us(), budget,
                                     [&](store::BlockReader* block) -> Status {
                                       HOGLET_RETURN_IF_ERROR(pass->ScanBlock(block));
                                       if (index == nullptr) {
                                         HOGLET_ASSIGN_OR_RETURN(index, part->TimestampIndex());
                                       }
                                       rows_read += index->blocks[block->block()].rows;
                                       if (pass->kept() <= max_events) return Status::Ok();
                                       over = true;
                                       return ResourceExhaustedError("the pass is over its bound");
                                     });
      if (over) break;
      HOGLET_RETURN_IF_ERROR(status);
    }
    if (!over) {
      HOGLET_RETURN_IF_ERROR(pass->Finish());
      continue;
    }
    // Read the share again in smaller shares, the last pushed read first.
    const uint32_t count = share.count == 1
                               ? EstimatedShares(pass->kept(), rows_read, total_rows, max_events)
                               : share.count * 2;
    if (count > kMaxActorShares) return TooManyEvents(insight, max_events);
    if (share.count == 1) {
      for (uint32_t i = count; i-- > 0;) todo.push_back({count, i});
    } else {
      todo.push_back({count, share.index + share.count});
      todo.push_back({count, share.index});
    }
  }
  return Status::Ok();
}

}  // namespace hoglet::query
