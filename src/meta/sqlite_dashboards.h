// The SQL behind MetaStore's dashboard and tile methods (meta/dashboards.h), for the SQLite
// store: validation of what is stored and the rows of `dashboards` and `dashboard_tiles`.
//
// Each function runs on the caller's connection; the caller serialises access to it (the store
// holds its database mutex), has checked that the project exists and, for the writes that touch
// several rows, opened the transaction. Errors are those of sqlite/result_codes.h plus the
// method-specific ones of MetaStore.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "meta/dashboards.h"
#include "sqlite/connection.h"

namespace hoglet::meta {

// Validates `dashboard` and inserts it with created_at = `now_us`. Returns the stored row.
StatusOr<DashboardRecord> InsertDashboard(sqlite::Connection& db, const DashboardRecord& dashboard,
                                          int64_t now_us);
// Validates as above and overwrites the stored dashboard except created_by and created_at.
// kNotFound when the project has no dashboard with this id.
StatusOr<DashboardRecord> UpdateDashboardRow(sqlite::Connection& db,
                                             const DashboardRecord& dashboard);
// kNotFound when the project has no dashboard with this id (deleted ones included).
StatusOr<DashboardRecord> SelectDashboard(sqlite::Connection& db, int64_t team_id, int64_t id);
// Ordered by id; deleted ones only when asked.
StatusOr<std::vector<DashboardRecord>> SelectDashboards(sqlite::Connection& db, int64_t team_id,
                                                        bool include_deleted);

// Inserts a tile on a dashboard of the project (an insight of the project or a text), at
// `now_us`. kNotFound for a dashboard or insight the project does not have; kAlreadyExists when
// the insight already has a tile there (dead or alive).
StatusOr<DashboardTileRecord> InsertTile(sqlite::Connection& db, int64_t team_id,
                                         const DashboardTileRecord& tile, int64_t now_us);
// Stores layouts, color, text and deleted of a tile of one of the project's dashboards.
StatusOr<DashboardTileRecord> UpdateTileRow(sqlite::Connection& db, int64_t team_id,
                                            const DashboardTileRecord& tile, int64_t now_us);
// The insight's tile on the dashboard, alive or soft-deleted; kNotFound when it never had one.
StatusOr<DashboardTileRecord> SelectInsightTile(sqlite::Connection& db, int64_t team_id,
                                                int64_t dashboard_id, int64_t insight_id);
// Live tiles (deleted = 0) of the project's dashboards, by id: all of one dashboard, or all that
// show one insight (on live dashboards).
StatusOr<std::vector<DashboardTileRecord>> SelectDashboardTiles(sqlite::Connection& db,
                                                                int64_t team_id,
                                                                int64_t dashboard_id);
StatusOr<std::vector<DashboardTileRecord>> SelectInsightTiles(sqlite::Connection& db,
                                                              int64_t team_id, int64_t insight_id);

}  // namespace hoglet::meta
