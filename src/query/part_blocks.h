// The blocks of one part that a time-bounded scan reads: the part is skipped when its time range
// misses [from_us, to_us], each block likewise by its timestamp min/max; the query's budget is
// checked before each block read. Every event scan of the engine (trends series, funnels) walks
// its parts through this; a scan on several threads shares its parts out with SplitParts.
//
// Example:
//   HOGLET_RETURN_IF_ERROR(ScanPartBlocks(part, from_us, to_us, budget,
//                                         [&](store::BlockReader* block) { … }));
//
// Single-threaded: the callback runs on the calling thread, one block at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "base/status.h"
#include "query/query_budget.h"
#include "store/block_reader.h"
#include "store/scan_source.h"

namespace hoglet::query {

// Calls `scan_block` with a reader of each block of `part` that may hold events with
// from_us <= timestamp <= to_us (the callback still selects the rows). `budget` may be null.
// Stops at the first error: the budget's, the store's or the callback's.
Status ScanPartBlocks(const store::Part& part, int64_t from_us, int64_t to_us,
                      const QueryBudget* budget,
                      const std::function<Status(store::BlockReader*)>& scan_block);

// The rows of a block whose timestamp is in [from_us, to_us]: what every scan starts from.
store::RowSelection RowsInTime(const std::vector<int64_t>& timestamps, int64_t from_us,
                               int64_t to_us);

// The parts of `snapshot` (by index) each of `threads` scans takes: the biggest part first to the
// scan with the fewest rows so far, each share in part order. The same snapshot is always split
// the same way, so sums whose value depends on the order of additions come out the same every
// time.
std::vector<std::vector<size_t>> SplitParts(const store::ScanSnapshot& snapshot, size_t threads);

}  // namespace hoglet::query
