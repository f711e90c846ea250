// The SQL behind MetaStore's action methods (meta/actions.h), for the SQLite store: validation of
// what is stored and the rows of `actions`.
//
// Each function runs on the caller's connection; the caller serialises access to it (the store
// holds its database mutex) and has checked that the project exists. Errors are those of
// sqlite/result_codes.h plus the method-specific ones of MetaStore.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "meta/actions.h"
#include "sqlite/connection.h"

namespace hoglet::meta {

// Validates `action` (a name of 1..kMaxActionNameBytes bytes, steps a JSON array) and inserts it
// with created_at = updated_at = `now_us`. Returns the stored row.
StatusOr<ActionRecord> InsertAction(sqlite::Connection& db, const ActionRecord& action,
                                    int64_t now_us);
// Validates as above and overwrites the stored action (team_id, id) except created_by and
// created_at; updated_at = `now_us`. kNotFound when the project has no action with this id.
StatusOr<ActionRecord> UpdateActionRow(sqlite::Connection& db, const ActionRecord& action,
                                       int64_t now_us);
// kNotFound when the project has no action with this id (deleted ones included).
StatusOr<ActionRecord> SelectAction(sqlite::Connection& db, int64_t team_id, int64_t id);
// Ordered by id; deleted ones only when asked.
StatusOr<std::vector<ActionRecord>> SelectActions(sqlite::Connection& db, int64_t team_id,
                                                  bool include_deleted);

}  // namespace hoglet::meta
