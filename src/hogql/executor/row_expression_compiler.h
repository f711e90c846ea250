// HogQL expressions over one event for the insights (query/row_expression.h): the expression
// planned by the HogQL planner as the one column of `SELECT <expr> FROM events` and evaluated row
// by row by the executor's expression evaluator over the block's rows (block_rows.h), so a
// breakdown or a property filter of type "hogql" reads exactly what a HogQL query reads:
// `properties.$browser`, `person.properties.email`, `concat(properties.$os, '-',
// properties.$browser)`. Values are shown as toString shows them.
//
// Refused with kInvalidArgument "line L, column C: …" (positions in the expression's text): what
// does not parse as one expression, aggregates, `IN (SELECT …)`, and whatever the planner refuses.
//
// Thread safety: Compile may be called from any thread; evaluating reads the context's persons,
// used by the calling thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "base/status.h"
#include "hogql/executor/executor.h"
#include "query/row_expression.h"

namespace hoglet::hogql {

class RowExpressionCompiler final : public query::RowExpressionCompiler {
 public:
  // `context` (zone, now, week mode, person overrides and properties) must outlive the compiler
  // and its expressions.
  RowExpressionCompiler(const HogQLRunContext* context, int64_t team_id)
      : context_(context), team_id_(team_id) {}

  StatusOr<std::unique_ptr<query::RowExpression>> Compile(std::string_view text) const override;

 private:
  const HogQLRunContext* context_;
  int64_t team_id_;
};

}  // namespace hoglet::hogql
