// Printing a HogQL syntax tree (ast.h) back to canonical HogQL text: keywords in capitals, one
// space around binary operators, parentheses only where precedence needs them, names in
// backticks only where they would otherwise read as something else. This is the text of the
// `hogql` field of query responses, and parsing it gives back the same tree (tests check
// parse → print → parse).
//
// Desugared forms print as what they became (a ternary as `if(…)`, `-x` as `0 - x`); a
// hand-built `Not` whose operand needs parentheses prints as `NOT (…)`, which reads back as the
// equivalent call `not(…)`.
//
// Thread safety: pure; call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "hogql/ast.h"

namespace hoglet::hogql {

// Any node: an expression, a SELECT, or a clause node (OrderExpr, JoinExpr, …).
std::string PrintHogQL(const Expr& expr);

// `name` as HogQL reads it back as the same name: bare when it can be, else in backticks.
std::string QuoteIdentifier(std::string_view name);

// `text` as a HogQL string literal in single quotes, escaped.
std::string QuoteString(std::string_view text);

}  // namespace hoglet::hogql
