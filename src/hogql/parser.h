// Parsing HogQL text into the syntax tree of ast.h: a hand-written recursive-descent parser with
// precedence climbing for expressions, following PostHog's grammar (HogQLParser.g4) and the
// tree PostHog's own parser builds from it, desugarings included.
//
// Operator precedence, loosest first (each left-associative unless said otherwise):
//   expr AS name                       alias; only another AS may follow it
//   a ? b : c                          right-associative
//   OR
//   AND
//   NOT a                              prefix
//   a [NOT] BETWEEN b AND c
//   a ?? b
//   a IS [NOT] DISTINCT FROM b
//   a IS [NOT] NULL                    postfix
//   = == != <> < <= > >= [NOT] LIKE [NOT] ILIKE [NOT] IN [COHORT] =~ ~ !~ =~* ~* !~*
//   + - ||
//   * / %
//   -a                                 prefix
//   a[i] a[i:j] a.1 a.b a?.b a::Type f(…)(…) OVER …    postfix
//
// Refused, each with its own message: SETTINGS, TOP, WITH TOTALS / CUBE / ROLLUP modifiers,
// GROUPING SETS, PIVOT / UNPIVOT, VALUES, COLUMNS(…), EXCLUDE / REPLACE, NATURAL and POSITIONAL
// joins, IGNORE NULLS, DATE '…' / TIMESTAMP '…' literals, SUBSTRING(… FROM …), template strings,
// HogQLX tags and Hog blocks (`x -> { … }`). PostHog refuses most of these too; docs/hogql.md
// lists the differences.
//
// Errors are kInvalidArgument with a message "line L, column C: …" naming what was expected and
// what was found. What a client controls is bounded by `ParseOptions`; past a bound the query is
// refused (kInvalidArgument, reasons "hogql_too_long", "hogql_too_deep",
// "hogql_too_many_tokens"), never a stack overflow.
//
// Thread safety: the functions are pure; call them from any thread.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/status.h"
#include "hogql/ast.h"

namespace hoglet::hogql {

struct ParseOptions {
  size_t max_query_bytes = 1 << 20;  // longer queries are refused before lexing
  // Nesting bound: parentheses, subqueries, calls and prefix operators, and the height of the
  // resulting tree (so `1+1+…+1` with thousands of terms is refused too).
  size_t max_depth = 256;
  size_t max_tokens = 200'000;
};

// A whole SELECT statement (a SelectQuery, or a SelectSetQuery for UNION / INTERSECT / EXCEPT),
// optionally followed by one ';'.
StatusOr<ExprPtr> ParseSelect(std::string_view text, const ParseOptions& options = {});

// One expression, e.g. a `where` entry of an EventsQuery or a breakdown.
StatusOr<ExprPtr> ParseExpr(std::string_view text, const ParseOptions& options = {});

// A comma-separated ORDER BY list without the keywords: "timestamp DESC, event".
StatusOr<std::vector<std::unique_ptr<OrderExpr>>> ParseOrderExprList(
    std::string_view text, const ParseOptions& options = {});

}  // namespace hoglet::hogql
