// An expression evaluated on each event of a block: what a breakdown of type "hogql"
// (analytics §3.1) reads, e.g. `concat(properties.$os, '-', properties.$browser)` or
// `person.properties.email`, and the condition of a property filter of type "hogql"
// (`properties.$browser = 'Chrome'`). The query layer owns the interface; the HogQL engine
// implements it (hogql/executor/row_expression_compiler.h), so insights evaluate HogQL with the
// very engine that runs HogQL queries.
//
// Example (per block of a scan):
//   HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<RowExpression> expr, compiler.Compile(text));
//   std::vector<std::optional<std::string>> values;
//   HOGLET_RETURN_IF_ERROR(expr->Evaluate(block, selected, &values));
//
// Thread safety: a compiled expression is immutable, but evaluates with the person data of the
// compiler that made it: use both from one thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/block_reader.h"

namespace hoglet::query {

class RowExpression {
 public:
  virtual ~RowExpression() = default;
  // (*values)[row]: the expression's value on each selected row of the block as ClickHouse's
  // toString shows it, nullopt for NULL (and for the rows not selected). Errors are the stores'.
  virtual Status Evaluate(store::BlockReader* block, const store::RowSelection& rows,
                          std::vector<std::optional<std::string>>* values) const = 0;
  // Unselects the selected rows on which the expression does not hold as a WHERE clause reads
  // it: a non-zero number holds; zero, NULL and any other value do not. Errors are the stores'.
  virtual Status Narrow(store::BlockReader* block, store::RowSelection* rows) const = 0;
};

class RowExpressionCompiler {
 public:
  virtual ~RowExpressionCompiler() = default;
  // kInvalidArgument "line L, column C: …" for text that does not parse, or that is not an
  // expression over one event (an aggregate, a subquery).
  virtual StatusOr<std::unique_ptr<RowExpression>> Compile(std::string_view text) const = 0;
};

}  // namespace hoglet::query
