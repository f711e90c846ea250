#include "query/part_blocks.h"

#include <algorithm>
#include <memory>

namespace hoglet::query {

Status ScanPartBlocks(const store::Part& part, int64_t from_us, int64_t to_us,
                      const QueryBudget* budget,
                      const std::function<Status(store::BlockReader*)>& scan_block) {
  const store::PartMeta& meta = part.meta();
  if (meta.max_timestamp_us < from_us || meta.min_timestamp_us > to_us) return Status::Ok();
  HOGLET_ASSIGN_OR_RETURN(std::shared_ptr<const store::ColumnIndex> index, part.TimestampIndex());
  store::PartCursor cursor(part);
  for (size_t block = 0; block < index->blocks.size(); ++block) {
    const store::BlockInfo& info = index->blocks[block];
    if (info.max < from_us || info.min > to_us) continue;
    if (budget != nullptr) HOGLET_RETURN_IF_ERROR(budget->Check());
    store::BlockReader reader(part, block, &cursor);
    HOGLET_RETURN_IF_ERROR(scan_block(&reader));
  }
  return Status::Ok();
}

store::RowSelection RowsInTime(const std::vector<int64_t>& timestamps, int64_t from_us,
                               int64_t to_us) {
  store::RowSelection rows(timestamps.size(), 0);
  for (size_t row = 0; row < rows.size(); ++row) {
    rows[row] = timestamps[row] >= from_us && timestamps[row] <= to_us;
  }
  return rows;
}

std::vector<std::vector<size_t>> SplitParts(const store::ScanSnapshot& snapshot, size_t threads) {
  std::vector<size_t> order(snapshot.parts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto rows = [&](size_t i) { return snapshot.parts[i]->meta().row_count; };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return rows(a) > rows(b); });
  std::vector<std::vector<size_t>> split(threads);
  std::vector<uint64_t> load(threads, 0);
  for (size_t part : order) {
    size_t least = std::min_element(load.begin(), load.end()) - load.begin();
    split[least].push_back(part);
    load[least] += rows(part);
  }
  for (std::vector<size_t>& parts : split) std::sort(parts.begin(), parts.end());
  return split;
}

}  // namespace hoglet::query
