#include "store/event_scan.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <optional>
#include <tuple>

#include "filters/property_match.h"
#include "store/properties_parser.h"

namespace hoglet::store {
namespace {

// Heap order: the worse result compares greater, so std::*_heap keeps the worst at the front.
bool BetterCandidate(const Candidate& a, const Candidate& b) {
  return std::tie(b.timestamp_us, b.uuid) < std::tie(a.timestamp_us, a.uuid);
}

// Rows whose value in a dictionary column equals `wanted`.
void KeepEqual(const DictStrings& column, const std::string& wanted, std::vector<char>* keep) {
  std::vector<char> dict_match(column.dict.size());
  for (size_t i = 0; i < column.dict.size(); ++i) dict_match[i] = column.dict[i] == wanted;
  for (size_t row = 0; row < keep->size(); ++row) {
    if ((*keep)[row] && !dict_match[column.index[row]]) (*keep)[row] = 0;
  }
}

bool AnyKept(const std::vector<char>& keep) {
  return std::find(keep.begin(), keep.end(), 1) != keep.end();
}

// A stored property value as the filter model reads it, borrowed: strings and JSON text are not
// copied; a number's text is formatted into a buffer the reference points into (valid until
// the next Read).
class ValueReader final {
 public:
  const filters::PropertyValueRef* Read(const PropertyValue* value) {
    if (value == nullptr) return nullptr;
    using Kind = filters::PropertyValue::Kind;
    switch (value->kind) {
      case PropertyValue::Kind::kNull:
        ref_ = {Kind::kNull, false, 0, {}};
        break;
      case PropertyValue::Kind::kString:
        ref_ = {Kind::kString, false, 0, value->text};
        break;
      case PropertyValue::Kind::kNumber: {
        auto [end, error] =
            std::to_chars(number_text_, number_text_ + sizeof number_text_, value->number);
        std::string_view text =
            error == std::errc() ? std::string_view(number_text_, end - number_text_) : "null";
        ref_ = {Kind::kNumber, false, value->number, text};
        break;
      }
      case PropertyValue::Kind::kBool:
        ref_ = {Kind::kBool, value->boolean, 0, {}};
        break;
      case PropertyValue::Kind::kJson:
        ref_ = {value->text.starts_with('[') ? Kind::kArray : Kind::kObject, false, 0, value->text};
        break;
    }
    return &ref_;
  }

 private:
  filters::PropertyValueRef ref_;
  char number_text_[32];
};

// Narrows a block's selection (`keep`, one flag per row) to the rows a filter tree holds for.
// Property columns are decoded once per key, on first use.
class BlockFilter final {
 public:
  BlockFilter(const Part& part, size_t block, PartCursor* cursor,
              const filters::MatchContext& context)
      : part_(part), block_(block), cursor_(cursor), context_(context) {}

  Status Narrow(const filters::FilterNode& node, std::vector<char>* keep) {
    switch (node.kind) {
      case filters::FilterNode::Kind::kLeaf:
        return NarrowLeaf(node.filter, keep);
      case filters::FilterNode::Kind::kAnd:
        for (const filters::FilterNode& child : node.children) {
          if (!AnyKept(*keep)) break;
          HOGLET_RETURN_IF_ERROR(Narrow(child, keep));
        }
        return Status::Ok();
      case filters::FilterNode::Kind::kOr: {
        // Each child sees only the rows no earlier child has matched.
        std::vector<char> matched(keep->size(), 0);
        std::vector<char> trial;
        for (const filters::FilterNode& child : node.children) {
          trial = *keep;
          for (size_t row = 0; row < trial.size(); ++row) trial[row] &= !matched[row];
          if (!AnyKept(trial)) break;
          HOGLET_RETURN_IF_ERROR(Narrow(child, &trial));
          for (size_t row = 0; row < trial.size(); ++row) matched[row] |= trial[row];
        }
        *keep = std::move(matched);
        return Status::Ok();
      }
    }
    return Status::Ok();
  }

 private:
  Status NarrowLeaf(const filters::PropertyFilter& filter, std::vector<char>* keep) {
    auto holds = [&](const PropertyValue* value) {
      return filters::MatchValue(filter, reader_.Read(value), context_) != filter.negation;
    };
    HOGLET_ASSIGN_OR_RETURN(const PropertyColumnData* column, Column(filter.key));
    if (column != nullptr) {
      for (size_t row = 0; row < keep->size(); ++row) {
        if ((*keep)[row] && !holds(column->Get(row))) (*keep)[row] = 0;
      }
    } else if (part_.meta().property_overflow) {
      if (!properties_json_) {
        HOGLET_ASSIGN_OR_RETURN(properties_json_, cursor_->Properties(block_));
      }
      for (size_t row = 0; row < keep->size(); ++row) {
        if (!(*keep)[row]) continue;
        std::optional<PropertyValue> value = parser_.Find((*properties_json_)[row], filter.key);
        if (!holds(value ? &*value : nullptr)) (*keep)[row] = 0;
      }
    } else if (!holds(nullptr)) {
      std::fill(keep->begin(), keep->end(), 0);
    }
    return Status::Ok();
  }

  // The block's column for `key`; nullptr when the part has none.
  StatusOr<const PropertyColumnData*> Column(const std::string& key) {
    auto found = columns_.find(key);
    if (found == columns_.end()) {
      HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<PropertyColumnData> column,
                              cursor_->Property(key, block_));
      found = columns_.emplace(key, std::move(column)).first;
    }
    return found->second.get();
  }

  const Part& part_;
  const size_t block_;
  PartCursor* const cursor_;
  const filters::MatchContext& context_;
  std::map<std::string, std::unique_ptr<PropertyColumnData>, std::less<>> columns_;
  std::optional<std::vector<std::string>> properties_json_;
  PropertiesParser parser_;
  ValueReader reader_;
};

Status FilterBlock(const Part& part, const EventQuery& q, size_t block, PartCursor* cursor,
                   std::vector<char>* keep) {
  if (q.event) {
    HOGLET_ASSIGN_OR_RETURN(DictStrings names, cursor->EventNames(block));
    KeepEqual(names, *q.event, keep);
    if (!AnyKept(*keep)) return Status::Ok();
  }
  if (q.distinct_id) {
    HOGLET_ASSIGN_OR_RETURN(DictStrings ids, cursor->DistinctIds(block));
    KeepEqual(ids, *q.distinct_id, keep);
    if (!AnyKept(*keep)) return Status::Ok();
  }
  if (q.distinct_ids) {
    HOGLET_ASSIGN_OR_RETURN(DictStrings ids, cursor->DistinctIds(block));
    for (size_t row = 0; row < keep->size(); ++row) {
      if ((*keep)[row] && std::find(q.distinct_ids->begin(), q.distinct_ids->end(), ids.at(row)) ==
                              q.distinct_ids->end()) {
        (*keep)[row] = 0;
      }
    }
    if (!AnyKept(*keep)) return Status::Ok();
  }
  if (q.person_id) {
    HOGLET_ASSIGN_OR_RETURN(std::vector<Uuid> persons, cursor->PersonIds(block));
    for (size_t row = 0; row < keep->size(); ++row) {
      if (!(persons[row] == *q.person_id)) (*keep)[row] = 0;
    }
    if (!AnyKept(*keep)) return Status::Ok();
  }
  if (q.properties.empty()) return Status::Ok();
  return BlockFilter(part, block, cursor, q.filter_context).Narrow(q.properties, keep);
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

    HOGLET_ASSIGN_OR_RETURN(std::vector<int64_t> timestamps, cursor.Timestamps(block));
    std::vector<char> keep(timestamps.size(), 1);
    for (size_t row = 0; row < timestamps.size(); ++row) {
      int64_t ts = timestamps[row];
      if ((q.after_us && ts <= *q.after_us) || past_before(ts) ||
          (top->full() && ts < top->worst().timestamp_us)) {
        keep[row] = 0;
      }
    }
    if (!AnyKept(keep)) continue;
    HOGLET_RETURN_IF_ERROR(FilterBlock(part, q, block, &cursor, &keep));
    if (!AnyKept(keep)) continue;
    HOGLET_ASSIGN_OR_RETURN(std::vector<Uuid> uuids, cursor.Uuids(block));
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
