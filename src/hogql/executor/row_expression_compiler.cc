#include "hogql/executor/row_expression_compiler.h"

#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "hogql/executor/block_rows.h"
#include "hogql/executor/expression.h"
#include "hogql/executor/planner.h"
#include "hogql/parser.h"

namespace hoglet::hogql {
namespace {

// The query the expression is planned in starts it on line 2: an error's "line L, …" is restated
// as line L - 1 of the expression.
Status OnExpressionLines(const Status& error) {
  const std::string& message = error.message();
  constexpr std::string_view kLine = "line ";
  if (error.code() != StatusCode::kInvalidArgument || message.rfind(kLine, 0) != 0) return error;
  int line = 0;
  const char* begin = message.data() + kLine.size();
  auto [end, ec] = std::from_chars(begin, message.data() + message.size(), line);
  if (ec != std::errc() || line < 2) return error;
  return InvalidArgumentError(std::string(kLine) + std::to_string(line - 1) +
                                  std::string(end, message.data() + message.size()),
                              std::string(error.reason()));
}

class PlannedRowExpression final : public query::RowExpression {
 public:
  PlannedRowExpression(PlannedQuery plan, const HogQLRunContext* context, int64_t team_id)
      : plan_(std::move(plan)), context_(context), team_id_(team_id) {}

  Status Evaluate(store::BlockReader* block, const store::RowSelection& rows,
                  std::vector<std::optional<std::string>>* values) const override {
    values->assign(rows.size(), std::nullopt);
    BlockRows source(block, plan_, *context_, team_id_);
    EvalContext eval;
    eval.zone = &context_->zone;
    eval.now_us = context_->now_us;
    eval.row = &source;
    for (size_t row = 0; row < rows.size(); ++row) {
      if (!rows[row]) continue;
      source.set_row(row);
      Value value = hogql::Evaluate(plan_.select.front(), eval);
      HOGLET_RETURN_IF_ERROR(source.status());
      if (!value.is_null()) (*values)[row] = ValueToString(value, context_->zone);
    }
    return Status::Ok();
  }

  Status Narrow(store::BlockReader* block, store::RowSelection* rows) const override {
    BlockRows source(block, plan_, *context_, team_id_);
    EvalContext eval;
    eval.zone = &context_->zone;
    eval.now_us = context_->now_us;
    eval.row = &source;
    for (size_t row = 0; row < rows->size(); ++row) {
      if (!(*rows)[row]) continue;
      source.set_row(row);
      const bool holds = Truthy(hogql::Evaluate(plan_.select.front(), eval));
      HOGLET_RETURN_IF_ERROR(source.status());
      if (!holds) (*rows)[row] = 0;
    }
    return Status::Ok();
  }

 private:
  PlannedQuery plan_;
  const HogQLRunContext* context_;
  int64_t team_id_;
};

}  // namespace

StatusOr<std::unique_ptr<query::RowExpression>> RowExpressionCompiler::Compile(
    std::string_view text) const {
  // One expression, or the text could close the SELECT and open another.
  HOGLET_RETURN_IF_ERROR(ParseExpr(text).status());
  PlanContext plan_context;
  plan_context.zone = context_->zone;
  plan_context.now_us = context_->now_us;
  plan_context.week_mode = context_->week_mode;
  StatusOr<PlannedQuery> planned =
      PlanHogQL("SELECT\n" + std::string(text) + "\nFROM events", plan_context);
  if (!planned.ok()) return OnExpressionLines(planned.status());
  if (planned->aggregating || planned->select.size() != 1 || !planned->in_subqueries.empty() ||
      !planned->from_events || planned->source) {
    return InvalidArgumentError(
        "line 1, column 1: the expression must be over one event (no aggregates or subqueries)",
        "hogql_unsupported");
  }
  return std::unique_ptr<query::RowExpression>(
      std::make_unique<PlannedRowExpression>(*std::move(planned), context_, team_id_));
}

}  // namespace hoglet::hogql
