// The SQL behind MetaStore's insight methods (meta/insights.h), for the SQLite store: validation
// of what is stored, short id generation and the rows of `insights`.
//
// Each function runs on the caller's connection; the caller serialises access to it (the store
// holds its database mutex) and has checked that the project exists. Errors are those of
// sqlite/result_codes.h plus the method-specific ones of MetaStore.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "meta/insights.h"
#include "sqlite/connection.h"

namespace hoglet::meta {

// Validates `insight` and inserts it with created_at = last_modified_at = `now_us` and, when its
// short_id is empty, a random one not yet taken in the project. Returns the stored row.
StatusOr<InsightRecord> InsertInsight(sqlite::Connection& db, const InsightRecord& insight,
                                      int64_t now_us);
// Validates as above and overwrites the stored insight (team_id, id) except short_id,
// created_by and created_at; last_modified_at = `now_us`. kNotFound when there is none.
StatusOr<InsightRecord> UpdateInsightRow(sqlite::Connection& db, const InsightRecord& insight,
                                         int64_t now_us);
// kNotFound when the project has no such insight (deleted ones included).
StatusOr<InsightRecord> SelectInsight(sqlite::Connection& db, int64_t team_id, int64_t id);
StatusOr<InsightRecord> SelectInsightByShortId(sqlite::Connection& db, int64_t team_id,
                                               std::string_view short_id);
// Ordered by id; deleted ones only when asked.
StatusOr<std::vector<InsightRecord>> SelectInsights(sqlite::Connection& db, int64_t team_id,
                                                    bool include_deleted);

}  // namespace hoglet::meta
