// The rows of a Source (plan.h), read before the query that selects from them runs: a table of
// the person store, the answer of a subquery, the members of a UNION ALL one after the other,
// or a join (join.h). Rows are vectors of values in the order of the Source's columns.
//
// Bounds: every set of rows read holds at most HogQLRunContext::max_rows rows; past it the read
// stops with kInvalidArgument (reason "hogql_too_many_rows") naming the bound.
//
// Thread safety: pure functions; a RowValues is used by one thread.
#pragma once

#include <cstddef>
#include <vector>

#include "base/status.h"
#include "hogql/executor/executor.h"
#include "hogql/executor/expression.h"
#include "hogql/executor/plan.h"

namespace hoglet::hogql {

using Row = std::vector<Value>;
using Rows = std::vector<Row>;

// One row of a Source served to expressions (Node::Op::kSlot).
class RowValues final : public RowSource {
 public:
  void set_row(const Row* row) { row_ = row; }
  Value Column(EventColumn) override { return Value::Null(); }
  Value Property(size_t, PropertyRead) override { return Value::Null(); }
  Value PersonProperty(size_t) override { return Value::Null(); }
  Value Slot(size_t index) override {
    return row_ != nullptr && index < row_->size() ? (*row_)[index] : Value::Null();
  }

 private:
  const Row* row_ = nullptr;
};

// kUnavailable when a person table is read without HogQLRunContext::person_tables; the bound
// above; the errors of the stores and of the subqueries otherwise.
StatusOr<Rows> ReadSource(const Source& source, const RunInputs& inputs);

}  // namespace hoglet::hogql
