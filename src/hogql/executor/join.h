// Joins the rows of two sources (plan.h, Source::Kind::kJoin): a hash join on the equality keys
// of ON. The right rows are hashed by their keys (AppendMatchKey: a UUID matches its text); each
// left row is joined with every right row of equal keys, in the order of the left rows, then of
// the right ones. A key with a NULL matches nothing (as ClickHouse). LEFT JOIN keeps a left row
// without a match once, with the right columns' defaults ("" for String, 0 for numbers, the
// epoch for dates, the zero UUID, NULL for Nullable columns: ClickHouse's join_use_nulls = 0).
// CROSS JOIN (no keys) joins every pair.
//
// Bounds: the joined rows are at most HogQLRunContext::max_rows (kInvalidArgument, reason
// "hogql_too_many_rows", naming the bound). The query's check runs every 64k rows joined.
//
// Thread safety: pure.
#pragma once

#include "base/status.h"
#include "hogql/executor/relation.h"

namespace hoglet::hogql {

StatusOr<Rows> JoinRows(const Source& join, Rows left, Rows right, const RunInputs& inputs);

// The value a column of `type` holds when a LEFT JOIN finds no match.
Value DefaultValue(ColumnType type);

}  // namespace hoglet::hogql
