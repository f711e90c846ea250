#include "store/merger.h"

#include <map>
#include <queue>

#include "store/event_order.h"

namespace hoglet::store {
namespace {

// One source's position: its current decoded block and the row within it.
struct SourceCursor {
  const Part* part = nullptr;
  std::unique_ptr<PartCursor> cursor;
  size_t block_count = 0;
  size_t next_block = 0;
  std::vector<Event> rows;
  size_t row = 0;

  // Loads blocks until a row is available; false when the source is exhausted.
  StatusOr<bool> Advance() {
    while (row >= rows.size()) {
      if (next_block >= block_count) return false;
      HOGLET_ASSIGN_OR_RETURN(rows, cursor->ReadEvents(next_block));
      ++next_block;
      row = 0;
    }
    return true;
  }
};

}  // namespace

std::vector<LogPosition> MergedPositions(const std::vector<std::shared_ptr<const Part>>& sources) {
  std::map<int, uint64_t> best;
  for (const auto& part : sources) {
    for (const LogPosition& p : part->meta().positions) {
      uint64_t& slot = best[p.partition];
      slot = std::max(slot, p.next_offset);
    }
  }
  std::vector<LogPosition> out;
  for (const auto& [partition, offset] : best) out.push_back({partition, offset});
  return out;
}

Status MergeParts(const std::vector<std::shared_ptr<const Part>>& sources, PartWriter* writer,
                  const std::atomic<bool>* stop) {
  std::vector<SourceCursor> cursors(sources.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    HOGLET_ASSIGN_OR_RETURN(std::shared_ptr<const ColumnIndex> index, sources[i]->TimestampIndex());
    cursors[i].part = sources[i].get();
    cursors[i].cursor = std::make_unique<PartCursor>(*sources[i]);
    cursors[i].block_count = index->blocks.size();
  }
  auto later = [&cursors](size_t a, size_t b) {
    const Event& ea = cursors[a].rows[cursors[a].row];
    const Event& eb = cursors[b].rows[cursors[b].row];
    if (StorageOrderLess(eb, ea)) return true;
    if (StorageOrderLess(ea, eb)) return false;
    return a > b;  // equal keys: deterministic order by source
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> heap(later);
  for (size_t i = 0; i < cursors.size(); ++i) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, cursors[i].Advance());
    if (has_row) heap.push(i);
  }
  while (!heap.empty()) {
    size_t i = heap.top();
    heap.pop();
    SourceCursor& c = cursors[i];
    HOGLET_RETURN_IF_ERROR(writer->Add(c.rows[c.row]));
    ++c.row;
    if (c.row >= c.rows.size() && stop != nullptr && stop->load()) {
      return UnavailableError("merge abandoned: the store is closing");
    }
    HOGLET_ASSIGN_OR_RETURN(bool has_row, c.Advance());
    if (has_row) heap.push(i);
  }
  return Status::Ok();
}

}  // namespace hoglet::store
