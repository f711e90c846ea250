#include "hogql/executor/executor.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "hogql/executor/block_rows.h"
#include "hogql/executor/functions.h"
#include "hogql/executor/planner.h"
#include "hogql/executor/relation.h"
#include "query/part_blocks.h"
#include "store/block_reader.h"
#include "store/column_type.h"

namespace hoglet::hogql {
namespace {

// One row of the answer, with the values it is ordered by.
struct OutputRow {
  std::vector<Value> values;
  std::vector<Value> order;
  std::string limit_by_key;  // the LIMIT BY values
};

struct Group {
  std::vector<Value> keys;
  std::vector<std::unique_ptr<AggregateState>> states;
};

// Whether `node` reads nothing of a row but one property (slot `*slot`, set at the first met).
bool ReadsOneProperty(const Node& node, std::optional<size_t>* slot) {
  switch (node.op) {
    case Node::Op::kColumn:
    case Node::Op::kSlot:
    case Node::Op::kPersonProperty:
    case Node::Op::kKey:
    case Node::Op::kAggregate:
      return false;
    case Node::Op::kProperty:
      if (*slot && **slot != node.index) return false;
      *slot = node.index;
      return true;
    default:
      break;
  }
  for (const Node& arg : node.args) {
    if (!ReadsOneProperty(arg, slot)) return false;
  }
  return true;
}

class Execution {
 public:
  Execution(const PlannedQuery& plan, const RunInputs& inputs)
      : plan_(plan), context_(*inputs.context), inputs_(inputs) {
    eval_.zone = &context_.zone;
    eval_.now_us = context_.now_us;
    eval_.sets = &sets_;
    // A subquery without LIMIT keeps every row, up to the bound on rows held.
    const auto max_rows = static_cast<int64_t>(context_.max_rows);
    bounded_ = plan.subquery && (!plan.limit_given || plan.limit > max_rows);
    limit_ = bounded_ ? max_rows : plan.limit;
    // Rows kept while scanning before the ordered ones are cut back to what the answer needs.
    wanted_ = static_cast<size_t>(plan.offset + limit_ + 1);
    if (plan.group_keys.size() == 1 && plan.group_keys.front().op == Node::Op::kColumn &&
        (plan.group_keys.front().column == EventColumn::kEvent ||
         plan.group_keys.front().column == EventColumn::kDistinctId)) {
      dictionary_key_ = plan.group_keys.front().column;
      // count() alone, without WHERE: a block's rows are tallied by their dictionary code.
      count_by_code_ = !plan.where && !plan.aggregates.empty() &&
                       std::all_of(plan.aggregates.begin(), plan.aggregates.end(),
                                   [](const PlannedAggregate& aggregate) {
                                     return !aggregate.arg && !aggregate.condition &&
                                            !aggregate.distinct &&
                                            aggregate.function->name == "count";
                                   });
    }
    // An aggregation whose WHERE, keys and aggregates read one property alone is computed once
    // per distinct value of a block's dictionary-coded column of it (see AggregateBySlot).
    if (plan.aggregating && plan.from_events && !count_by_code_) {
      std::optional<size_t> slot;
      bool one = !plan.where || ReadsOneProperty(*plan.where, &slot);
      for (const Node& key : plan.group_keys) one = one && ReadsOneProperty(key, &slot);
      for (const PlannedAggregate& aggregate : plan.aggregates) {
        if (aggregate.arg) one = one && ReadsOneProperty(*aggregate.arg, &slot);
        if (aggregate.condition) one = one && ReadsOneProperty(*aggregate.condition, &slot);
      }
      if (one) property_slot_ = slot;
    }
  }

  Status Scan() {
    HOGLET_RETURN_IF_ERROR(ReadInSets());
    if (plan_.source != nullptr) return ScanSource();
    const store::ScanSource* source = inputs_.source;
    const int64_t team_id = inputs_.team_id;
    if (!plan_.from_events) {
      // No table: one row of constants.
      eval_.row = nullptr;
      if (plan_.where && !Truthy(Evaluate(*plan_.where, eval_))) return Status::Ok();
      return TakeRow();
    }
    if (source == nullptr) {
      return UnavailableError("this server's event store cannot be queried by the embedded engine");
    }
    if (plan_.from_us > plan_.to_us) return Status::Ok();
    HOGLET_ASSIGN_OR_RETURN(store::ScanSnapshot snapshot,
                            source->Snapshot(team_id, plan_.from_us, plan_.to_us));
    for (const std::shared_ptr<const store::Part>& part : snapshot.parts) {
      const store::PartMeta& meta = part->meta();
      if (meta.max_timestamp_us < plan_.from_us || meta.min_timestamp_us > plan_.to_us) continue;
      HOGLET_ASSIGN_OR_RETURN(std::shared_ptr<const store::ColumnIndex> index,
                              part->TimestampIndex());
      store::PartCursor cursor(*part);
      for (size_t block = 0; block < index->blocks.size(); ++block) {
        const store::BlockInfo& info = index->blocks[block];
        if (info.max < plan_.from_us || info.min > plan_.to_us) continue;
        if (context_.check) HOGLET_RETURN_IF_ERROR(context_.check());
        store::BlockReader reader(*part, block, &cursor);
        HOGLET_RETURN_IF_ERROR(ScanBlock(&reader, info, team_id));
        if (Done()) return Status::Ok();
      }
    }
    return Status::Ok();
  }

  StatusOr<HogQLResult> Finish() {
    if (plan_.aggregating) HOGLET_RETURN_IF_ERROR(EmitGroups());
    SortRows();
    if (!plan_.limit_by.empty()) ApplyLimitBy();
    HogQLResult result;
    result.columns = plan_.column_names;
    for (const ColumnType& type : plan_.column_types) {
      result.types.push_back(TypeName(type, context_.zone.name()));
    }
    result.limit = limit_;
    result.offset = plan_.offset;
    result.hogql = plan_.hogql;
    const size_t offset = static_cast<size_t>(plan_.offset);
    const size_t limit = static_cast<size_t>(limit_);
    if (bounded_ && rows_.size() > offset + limit) {
      return TooManyRows("a subquery", context_.max_rows);
    }
    for (size_t i = offset; i < rows_.size() && i < offset + limit; ++i) {
      result.rows.push_back(std::move(rows_[i].values));
    }
    result.has_more = !plan_.limit_given && rows_.size() > offset + limit;
    return result;
  }

 private:
  // `info`: the block's rows and timestamp bounds.
  Status ScanBlock(store::BlockReader* block, const store::BlockInfo& info, int64_t team_id) {
    // A block wholly inside the time range keeps every row: its timestamps need not be decoded
    // (a query that reads none of them does not decode them at all).
    store::RowSelection rows;
    if (info.min >= plan_.from_us && info.max <= plan_.to_us) {
      rows.assign(info.rows, 1);
    } else {
      HOGLET_ASSIGN_OR_RETURN(const std::vector<int64_t>* timestamps, block->Timestamps());
      rows = query::RowsInTime(*timestamps, plan_.from_us, plan_.to_us);
    }
    if (!store::AnySelected(rows)) return Status::Ok();
    if (!plan_.event_names.empty()) {
      HOGLET_RETURN_IF_ERROR(query::SelectEventNames(block, plan_.event_names, &rows));
      if (!store::AnySelected(rows)) return Status::Ok();
    }
    if (context_.narrow) {
      HOGLET_RETURN_IF_ERROR(context_.narrow(block, &rows));
      if (!store::AnySelected(rows)) return Status::Ok();
    }
    BlockRows source(block, plan_, context_, team_id);
    eval_.row = &source;
    block_rows_ = &source;
    code_groups_.clear();
    if (count_by_code_) {
      Status counted = CountByCode(block, rows, &source);
      eval_.row = nullptr;
      block_rows_ = nullptr;
      return counted;
    }
    if (property_slot_) {
      HOGLET_ASSIGN_OR_RETURN(const store::PropertyColumnData* column,
                              block->Property(plan_.property_keys[*property_slot_]));
      if (column == nullptr || column->slots() * 2 <= rows.size()) {
        Status aggregated = AggregateBySlot(column, rows, &source);
        eval_.row = nullptr;
        block_rows_ = nullptr;
        return aggregated;
      }
    }
    for (size_t row = 0; row < rows.size(); ++row) {
      if (!rows[row]) continue;
      source.set_row(row);
      bool keep = !plan_.where || Truthy(Evaluate(*plan_.where, eval_));
      HOGLET_RETURN_IF_ERROR(source.status());
      if (!keep) continue;
      HOGLET_RETURN_IF_ERROR(TakeRow());
      HOGLET_RETURN_IF_ERROR(source.status());
      if (Done()) break;
    }
    eval_.row = nullptr;
    block_rows_ = nullptr;
    return Status::Ok();
  }

  // count() grouped by the block's dictionary-coded column: each code's rows are tallied, and its
  // group (found from its first row) takes the tally at once.
  Status CountByCode(store::BlockReader* block, const store::RowSelection& rows,
                     BlockRows* source) {
    StatusOr<const store::DictStrings*> dictionary =
        *dictionary_key_ == EventColumn::kEvent ? block->EventNames() : block->DistinctIds();
    HOGLET_RETURN_IF_ERROR(dictionary.status());
    const std::vector<uint32_t>& codes = (*dictionary)->index;
    tally_.assign((*dictionary)->dict.size(), 0);
    first_row_.resize(tally_.size());
    for (size_t row = 0; row < rows.size(); ++row) {
      if (!rows[row]) continue;
      if (tally_[codes[row]]++ == 0) first_row_[codes[row]] = row;
    }
    for (size_t code = 0; code < tally_.size(); ++code) {
      if (tally_[code] == 0) continue;
      source->set_row(first_row_[code]);
      HOGLET_ASSIGN_OR_RETURN(const size_t index, GroupOfRow());
      HOGLET_RETURN_IF_ERROR(source->status());
      for (const auto& state : groups_[index].states) {
        state->AddRepeated(Value::Null(), tally_[code]);
      }
    }
    return Status::Ok();
  }

  // An aggregation that reads one property alone (property_slot_) over a block whose column of
  // it holds each distinct value once (a slot): rows are tallied by slot (absent and null rows
  // together: every read of the property sees them alike), and WHERE, the group and the
  // aggregates are evaluated once per slot on its first row, the aggregates taking the tally.
  Status AggregateBySlot(const store::PropertyColumnData* column, const store::RowSelection& rows,
                         BlockRows* source) {
    const size_t none = column != nullptr ? column->slots() : 0;  // absent and null rows
    tally_.assign(none + 1, 0);
    first_row_.resize(none + 1);
    for (size_t row = 0; row < rows.size(); ++row) {
      if (!rows[row]) continue;
      const uint32_t slot =
          column != nullptr ? column->SlotOf(row) : store::PropertyColumnData::kNoSlot;
      const size_t bucket = slot == store::PropertyColumnData::kNoSlot ? none : slot;
      if (tally_[bucket]++ == 0) first_row_[bucket] = row;
    }
    for (size_t bucket = 0; bucket < tally_.size(); ++bucket) {
      if (tally_[bucket] == 0) continue;
      source->set_row(first_row_[bucket]);
      const bool keep = !plan_.where || Truthy(Evaluate(*plan_.where, eval_));
      HOGLET_RETURN_IF_ERROR(source->status());
      if (!keep) continue;
      HOGLET_ASSIGN_OR_RETURN(const size_t index, GroupOfRow());
      HOGLET_RETURN_IF_ERROR(Aggregate(index, tally_[bucket]));
      HOGLET_RETURN_IF_ERROR(source->status());
    }
    return Status::Ok();
  }

  // Without ORDER BY or aggregation, the scan stops once it has the rows the answer shows and
  // one more (which tells there are more).
  bool Done() const {
    return !plan_.aggregating && plan_.order.empty() && plan_.limit_by.empty() &&
           rows_.size() >= wanted_;
  }

  // The values of each IN subquery, read once before the query runs.
  Status ReadInSets() {
    for (const PlannedQuery& subquery : plan_.in_subqueries) {
      HOGLET_ASSIGN_OR_RETURN(HogQLResult result, RunPlannedQuery(subquery, inputs_));
      ValueSet set;
      std::string key;
      for (const std::vector<Value>& row : result.rows) {
        if (row[0].is_null()) {
          set.has_null = true;
          continue;
        }
        key.clear();
        AppendMatchKey(row[0], &key);
        set.keys.insert(key);
      }
      sets_.push_back(std::move(set));
    }
    return Status::Ok();
  }

  // The rows of a table of the person store, a subquery, a UNION ALL or a join.
  Status ScanSource() {
    HOGLET_ASSIGN_OR_RETURN(Rows rows, ReadSource(*plan_.source, inputs_));
    RowValues values;
    eval_.row = &values;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (context_.check && i % 65536 == 65535) HOGLET_RETURN_IF_ERROR(context_.check());
      values.set_row(&rows[i]);
      if (plan_.where && !Truthy(Evaluate(*plan_.where, eval_))) continue;
      HOGLET_RETURN_IF_ERROR(TakeRow());
      if (Done()) break;
    }
    eval_.row = nullptr;
    return Status::Ok();
  }

  // LIMIT n [OFFSET m] BY exprs: the first rows of each value, in the answer's order.
  void ApplyLimitBy() {
    std::unordered_map<std::string, int64_t> seen;
    std::vector<OutputRow> kept;
    for (OutputRow& row : rows_) {
      int64_t index = seen[row.limit_by_key]++;
      if (index < plan_.limit_by_offset || index >= plan_.limit_by_offset + plan_.limit_by_count) {
        continue;
      }
      kept.push_back(std::move(row));
    }
    rows_ = std::move(kept);
  }

  void AddOutputRow(OutputRow row, const EvalContext& context) {
    for (const Node& node : plan_.limit_by) {
      AppendGroupKey(Evaluate(node, context), &row.limit_by_key);
    }
    rows_.push_back(std::move(row));
  }

  Status TakeRow() {
    if (!plan_.aggregating) {
      OutputRow row;
      for (const Node& node : plan_.select) row.values.push_back(Evaluate(node, eval_));
      for (const OrderKey& key : plan_.order) row.order.push_back(Evaluate(key.expr, eval_));
      AddOutputRow(std::move(row), eval_);
      if (!plan_.limit_by.empty() && rows_.size() > context_.max_rows) {
        return TooManyRows("LIMIT … BY", context_.max_rows);
      }
      if (!plan_.order.empty() && plan_.limit_by.empty() && rows_.size() >= 2 * wanted_ + 1024) {
        SortRows();
        rows_.resize(wanted_);
      }
      return Status::Ok();
    }
    HOGLET_ASSIGN_OR_RETURN(const size_t index, GroupOfRow());
    return Aggregate(index, 1);
  }

  // Adds the current row, `times` over (rows of the same values), to group `index`'s aggregates.
  Status Aggregate(size_t index, int64_t times) {
    Group& group = groups_[index];
    for (size_t i = 0; i < plan_.aggregates.size(); ++i) {
      const PlannedAggregate& aggregate = plan_.aggregates[i];
      if (aggregate.condition && !Truthy(Evaluate(*aggregate.condition, eval_))) continue;
      AggregateState& state = *group.states[i];
      if (!aggregate.arg) {
        state.AddRepeated(Value::Null(), times);
        continue;
      }
      Value value = Evaluate(*aggregate.arg, eval_);
      if (value.is_null()) continue;
      held_values_ += times == 1 ? state.Add(value) : state.AddRepeated(value, times);
    }
    if (held_values_ > context_.max_distinct_values) {
      return InvalidArgumentError(
          "the query counts more than " + std::to_string(context_.max_distinct_values) +
              " distinct values; count fewer (narrow WHERE or group by less)",
          "hogql_too_many_distinct_values");
    }
    return Status::Ok();
  }

  // The group of the row being taken, made when it is the first of its keys. A GROUP BY of one
  // dictionary-coded column of the events (event, distinct_id) looks each dictionary entry of a
  // block up once, not each row.
  StatusOr<size_t> GroupOfRow() {
    std::optional<uint32_t> code;
    if (dictionary_key_ && block_rows_ != nullptr) {
      code = block_rows_->DictionaryCode(*dictionary_key_);
      if (code && *code < code_groups_.size() && code_groups_[*code] != kNoGroup) {
        return code_groups_[*code];
      }
    }
    key_.clear();
    keys_.clear();
    for (const Node& node : plan_.group_keys) {
      keys_.push_back(Evaluate(node, eval_));
      AppendGroupKey(keys_.back(), &key_);
    }
    auto found = group_of_.find(key_);
    size_t index = 0;
    if (found == group_of_.end()) {
      if (groups_.size() >= context_.max_groups) {
        return InvalidArgumentError(
            "the query makes more than " + std::to_string(context_.max_groups) +
                " groups (GROUP BY or DISTINCT values); group by fewer values or narrow WHERE",
            "hogql_too_many_groups");
      }
      index = groups_.size();
      group_of_.emplace(key_, index);
      groups_.push_back(NewGroup(keys_));
    } else {
      index = found->second;
    }
    if (code) {
      if (*code >= code_groups_.size()) code_groups_.resize(*code + 1, kNoGroup);
      code_groups_[*code] = index;
    }
    return index;
  }

  Group NewGroup(std::vector<Value> keys) const {
    Group group;
    group.keys = std::move(keys);
    for (const PlannedAggregate& aggregate : plan_.aggregates) {
      group.states.push_back(aggregate.function->make(aggregate.distinct, aggregate.level));
    }
    return group;
  }

  Status EmitGroups() {
    // Aggregates without GROUP BY answer one row, even over no rows.
    if (groups_.empty() && plan_.group_keys.empty()) groups_.push_back(NewGroup({}));
    std::unordered_set<std::string> seen;
    std::vector<Value> finals;
    for (Group& group : groups_) {
      finals.clear();
      for (const auto& state : group.states) finals.push_back(state->Finalize());
      EvalContext context = eval_;
      context.row = nullptr;
      context.keys = &group.keys;
      context.aggregates = &finals;
      if (plan_.having && !Truthy(Evaluate(*plan_.having, context))) continue;
      OutputRow row;
      for (const Node& node : plan_.select) row.values.push_back(Evaluate(node, context));
      for (const OrderKey& key : plan_.order) row.order.push_back(Evaluate(key.expr, context));
      if (plan_.distinct) {
        std::string key;
        for (const Value& value : row.values) AppendGroupKey(value, &key);
        if (!seen.insert(std::move(key)).second) continue;
      }
      AddOutputRow(std::move(row), context);
    }
    groups_.clear();
    return Status::Ok();
  }

  void SortRows() {
    if (plan_.order.empty()) return;
    const TimeZone& zone = context_.zone;
    std::stable_sort(rows_.begin(), rows_.end(), [&](const OutputRow& a, const OutputRow& b) {
      for (size_t i = 0; i < plan_.order.size(); ++i) {
        const OrderKey& key = plan_.order[i];
        const Value& x = a.order[i];
        const Value& y = b.order[i];
        if (x.is_null() != y.is_null()) return x.is_null() == key.nulls_first;
        if (x.is_null()) continue;
        int c = OrderValues(x, y, zone);
        if (c != 0) return key.descending ? c > 0 : c < 0;
      }
      return false;
    });
  }

  const PlannedQuery& plan_;
  const HogQLRunContext& context_;
  const RunInputs& inputs_;
  EvalContext eval_;
  std::vector<ValueSet> sets_;
  int64_t limit_ = 0;
  bool bounded_ = false;  // a subquery whose rows are bounded by max_rows, not by its LIMIT
  size_t wanted_ = 0;
  std::vector<OutputRow> rows_;
  std::unordered_map<std::string, size_t> group_of_;
  std::vector<Group> groups_;
  std::string key_;
  std::vector<Value> keys_;
  // The GROUP BY's one dictionary-coded column, when it has one (see GroupOfRow).
  std::optional<EventColumn> dictionary_key_;
  BlockRows* block_rows_ = nullptr;  // the block being scanned
  static constexpr size_t kNoGroup = static_cast<size_t>(-1);
  std::vector<size_t> code_groups_;  // the block's dictionary entry → group, kNoGroup unknown
  // count() alone by the dictionary column, without WHERE (see CountByCode), and its tallies
  // and first rows per dictionary entry of the block being scanned.
  bool count_by_code_ = false;
  // The one property an aggregation reads, when it reads one alone (see AggregateBySlot).
  std::optional<size_t> property_slot_;
  std::vector<int64_t> tally_;
  std::vector<size_t> first_row_;
  size_t held_values_ = 0;  // distinct values held by the aggregate states
};

}  // namespace

StatusOr<HogQLResult> RunHogQL(std::string_view text, const HogQLRunContext& context,
                               const store::ScanSource* source, int64_t team_id) {
  HOGLET_ASSIGN_OR_RETURN(
      PlannedQuery plan,
      PlanHogQL(text, {context.zone, context.now_us, context.week_mode, context.placeholders}));
  return RunPlannedQuery(plan, {&context, source, team_id});
}

StatusOr<HogQLResult> RunPlannedQuery(const PlannedQuery& plan, const RunInputs& inputs) {
  Execution execution(plan, inputs);
  HOGLET_RETURN_IF_ERROR(execution.Scan());
  return execution.Finish();
}

}  // namespace hoglet::hogql
