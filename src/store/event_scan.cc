#include "store/event_scan.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "store/block_reader.h"

namespace hoglet::store {
namespace {

// Heap order: the worse result compares greater, so std::*_heap keeps the worst at the front.
bool BetterCandidate(const Candidate& a, const Candidate& b) {
  return std::tie(b.timestamp_us, b.uuid) < std::tie(a.timestamp_us, a.uuid);
}

// Rows whose value in a dictionary column equals `wanted`.
void KeepEqual(const DictStrings& column, const std::string& wanted, RowSelection* keep) {
  std::vector<char> dict_match(column.dict.size());
  for (size_t i = 0; i < column.dict.size(); ++i) dict_match[i] = column.dict[i] == wanted;
  for (size_t row = 0; row < keep->size(); ++row) {
    if ((*keep)[row] && !dict_match[column.index[row]]) (*keep)[row] = 0;
  }
}

Status FilterBlock(const EventQuery& q, BlockReader* block, RowSelection* keep) {
  if (q.event) {
    HOGLET_ASSIGN_OR_RETURN(const DictStrings* names, block->EventNames());
    KeepEqual(*names, *q.event, keep);
    if (!AnySelected(*keep)) return Status::Ok();
  }
  if (q.distinct_id) {
    HOGLET_ASSIGN_OR_RETURN(const DictStrings* ids, block->DistinctIds());
    KeepEqual(*ids, *q.distinct_id, keep);
    if (!AnySelected(*keep)) return Status::Ok();
  }
  if (q.distinct_ids) {
    HOGLET_ASSIGN_OR_RETURN(const DictStrings* ids, block->DistinctIds());
    for (size_t row = 0; row < keep->size(); ++row) {
      if ((*keep)[row] && std::find(q.distinct_ids->begin(), q.distinct_ids->end(), ids->at(row)) ==
                              q.distinct_ids->end()) {
        (*keep)[row] = 0;
      }
    }
    if (!AnySelected(*keep)) return Status::Ok();
  }
  if (q.person_id) {
    HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* persons, block->PersonIds());
    for (size_t row = 0; row < keep->size(); ++row) {
      if (!((*persons)[row] == *q.person_id)) (*keep)[row] = 0;
    }
    if (!AnySelected(*keep)) return Status::Ok();
  }
  if (q.properties.empty()) return Status::Ok();
  return block->Select(q.properties, q.filter_context, keep);
}

}  // namespace

bool TopCandidates::Admits(int64_t timestamp_us, const Uuid& uuid) const {
  if (limit_ == 0) return false;
  if (!full()) return true;
  const Candidate& w = worst();
  return std::tie(w.timestamp_us, w.uuid) < std::tie(timestamp_us, uuid);
}

void TopCandidates::Offer(const Candidate& c) {
  if (!Admits(c.timestamp_us, c.uuid)) return;
  if (full()) {
    std::pop_heap(heap_.begin(), heap_.end(), BetterCandidate);
    heap_.pop_back();
  }
  heap_.push_back(c);
  std::push_heap(heap_.begin(), heap_.end(), BetterCandidate);
}

std::vector<Candidate> TopCandidates::TakeSorted() && {
  std::sort(heap_.begin(), heap_.end(), BetterCandidate);
  return std::move(heap_);
}

Status ScanPart(const Part& part, uint32_t part_index, const EventQuery& q, TopCandidates* top) {
  const PartMeta& meta = part.meta();
  if (meta.row_count == 0) return Status::Ok();
  if (q.after_us && meta.max_timestamp_us <= *q.after_us) return Status::Ok();
  // Whether a timestamp lies after the page cursor (or at it, when ties are not admitted).
  auto past_before = [&q](int64_t ts) {
    return q.before_us && (ts > *q.before_us || (ts == *q.before_us && !q.before_uuid));
  };
  if (past_before(meta.min_timestamp_us)) return Status::Ok();
  if (top->full() && meta.max_timestamp_us < top->worst().timestamp_us) return Status::Ok();
  HOGLET_ASSIGN_OR_RETURN(std::shared_ptr<const ColumnIndex> index, part.TimestampIndex());
  PartCursor cursor(part);
  for (size_t block = 0; block < index->blocks.size(); ++block) {
    const BlockInfo& info = index->blocks[block];
    if (q.after_us && info.max <= *q.after_us) continue;
    if (past_before(info.min)) continue;
    if (top->full() && info.max < top->worst().timestamp_us) continue;

    BlockReader reader(part, block, &cursor);
    HOGLET_ASSIGN_OR_RETURN(const std::vector<int64_t>* timestamp_column, reader.Timestamps());
    const std::vector<int64_t>& timestamps = *timestamp_column;
    RowSelection keep(timestamps.size(), 1);
    for (size_t row = 0; row < timestamps.size(); ++row) {
      int64_t ts = timestamps[row];
      if ((q.after_us && ts <= *q.after_us) || past_before(ts) ||
          (top->full() && ts < top->worst().timestamp_us)) {
        keep[row] = 0;
      }
    }
    if (!AnySelected(keep)) continue;
    HOGLET_RETURN_IF_ERROR(FilterBlock(q, &reader, &keep));
    if (!AnySelected(keep)) continue;
    HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* uuid_column, reader.Uuids());
    const std::vector<Uuid>& uuids = *uuid_column;
    if (uuids.size() != keep.size()) {
      return DataLossError("block " + std::to_string(block) + " of " + part.dir() +
                           " has inconsistent row counts");
    }
    for (size_t row = 0; row < keep.size(); ++row) {
      if (!keep[row]) continue;
      if (q.before_uuid && timestamps[row] == *q.before_us && !(uuids[row] < *q.before_uuid)) {
        continue;
      }
      top->Offer({timestamps[row], uuids[row], part_index, static_cast<uint32_t>(block),
                  static_cast<uint32_t>(row)});
    }
  }
  return Status::Ok();
}

StatusOr<std::vector<Event>> Materialize(const std::vector<const Part*>& parts,
                                         const std::vector<Candidate>& candidates) {
  // Decode each needed block once, in part/block order.
  std::map<std::pair<uint32_t, uint32_t>, std::vector<size_t>> by_block;
  for (size_t i = 0; i < candidates.size(); ++i) {
    by_block[{candidates[i].part, candidates[i].block}].push_back(i);
  }
  std::vector<Event> out(candidates.size());
  std::unique_ptr<PartCursor> cursor;
  uint32_t cursor_part = UINT32_MAX;
  for (const auto& [key, indexes] : by_block) {
    if (key.first >= parts.size()) return InternalError("candidate names an unknown part");
    if (key.first != cursor_part) {
      cursor = std::make_unique<PartCursor>(*parts[key.first]);
      cursor_part = key.first;
    }
    HOGLET_ASSIGN_OR_RETURN(std::vector<Event> rows, cursor->ReadEvents(key.second));
    for (size_t i : indexes) {
      if (candidates[i].row >= rows.size()) {
        return DataLossError("block " + std::to_string(key.second) + " of " +
                             parts[key.first]->dir() + " shrank while being read");
      }
      out[i] = std::move(rows[candidates[i].row]);
    }
  }
  return out;
}

}  // namespace hoglet::store
