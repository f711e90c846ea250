// SqliteMetaStore: insights, dashboards and dashboard tiles (SQL in sqlite_insights.h and
// sqlite_dashboards.h).
#include <set>
#include <vector>

#include "meta/sqlite_dashboards.h"
#include "meta/sqlite_insights.h"
#include "meta/sqlite_meta_store_impl.h"
#include "sqlite/transaction.h"

namespace hoglet::meta {

StatusOr<InsightRecord> SqliteMetaStore::CreateInsight(const InsightRecord& insight) {
  std::lock_guard db_lock(db_mu_);
  HOGLET_RETURN_IF_ERROR(CheckProjectExists(insight.team_id));
  return InsertInsight(*db_, insight, clock_.NowMicros());
}

StatusOr<InsightRecord> SqliteMetaStore::UpdateInsight(const InsightRecord& insight) {
  // An unknown project has no row to update: the UPDATE answers kNotFound.
  std::lock_guard db_lock(db_mu_);
  return UpdateInsightRow(*db_, insight, clock_.NowMicros());
}

StatusOr<InsightRecord> SqliteMetaStore::InsightById(int64_t team_id, int64_t id) const {
  std::lock_guard db_lock(db_mu_);
  return SelectInsight(*db_, team_id, id);
}

StatusOr<InsightRecord> SqliteMetaStore::InsightByShortId(int64_t team_id,
                                                          std::string_view short_id) const {
  std::lock_guard db_lock(db_mu_);
  return SelectInsightByShortId(*db_, team_id, short_id);
}

StatusOr<std::vector<InsightRecord>> SqliteMetaStore::ListInsights(int64_t team_id,
                                                                   bool include_deleted) const {
  std::lock_guard db_lock(db_mu_);
  return SelectInsights(*db_, team_id, include_deleted);
}

StatusOr<DashboardRecord> SqliteMetaStore::CreateDashboard(const DashboardRecord& dashboard) {
  std::lock_guard db_lock(db_mu_);
  HOGLET_RETURN_IF_ERROR(CheckProjectExists(dashboard.team_id));
  return InsertDashboard(*db_, dashboard, clock_.NowMicros());
}

StatusOr<DashboardRecord> SqliteMetaStore::UpdateDashboard(const DashboardRecord& dashboard) {
  std::lock_guard db_lock(db_mu_);
  return UpdateDashboardRow(*db_, dashboard);
}

StatusOr<DashboardRecord> SqliteMetaStore::DashboardById(int64_t team_id, int64_t id) const {
  std::lock_guard db_lock(db_mu_);
  return SelectDashboard(*db_, team_id, id);
}

StatusOr<std::vector<DashboardRecord>> SqliteMetaStore::ListDashboards(int64_t team_id,
                                                                       bool include_deleted) const {
  std::lock_guard db_lock(db_mu_);
  return SelectDashboards(*db_, team_id, include_deleted);
}

Status SqliteMetaStore::SetInsightDashboards(int64_t team_id, int64_t insight_id,
                                             const std::vector<int64_t>& dashboard_ids) {
  std::lock_guard db_lock(db_mu_);
  const int64_t now_us = clock_.NowMicros();
  HOGLET_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(*db_));
  HOGLET_RETURN_IF_ERROR(SelectInsight(*db_, team_id, insight_id).status());
  const std::set<int64_t> wanted(dashboard_ids.begin(), dashboard_ids.end());
  HOGLET_ASSIGN_OR_RETURN(std::vector<DashboardTileRecord> current,
                          SelectInsightTiles(*db_, team_id, insight_id));
  for (DashboardTileRecord tile : current) {
    if (wanted.contains(tile.dashboard_id)) continue;
    tile.deleted = true;
    HOGLET_RETURN_IF_ERROR(UpdateTileRow(*db_, team_id, tile, now_us).status());
  }
  for (int64_t dashboard_id : wanted) {
    auto existing = SelectInsightTile(*db_, team_id, dashboard_id, insight_id);
    if (existing.ok()) {
      if (!existing->deleted) continue;
      existing->deleted = false;
      HOGLET_RETURN_IF_ERROR(UpdateTileRow(*db_, team_id, *existing, now_us).status());
      continue;
    }
    if (existing.status().code() != StatusCode::kNotFound) return existing.status();
    DashboardTileRecord tile;
    tile.dashboard_id = dashboard_id;
    tile.insight_id = insight_id;
    HOGLET_RETURN_IF_ERROR(InsertTile(*db_, team_id, tile, now_us).status());
  }
  return txn.Commit();
}

StatusOr<DashboardTileRecord> SqliteMetaStore::CreateDashboardTile(
    int64_t team_id, const DashboardTileRecord& tile) {
  std::lock_guard db_lock(db_mu_);
  return InsertTile(*db_, team_id, tile, clock_.NowMicros());
}

StatusOr<DashboardTileRecord> SqliteMetaStore::UpdateDashboardTile(
    int64_t team_id, const DashboardTileRecord& tile) {
  std::lock_guard db_lock(db_mu_);
  return UpdateTileRow(*db_, team_id, tile, clock_.NowMicros());
}

StatusOr<std::vector<DashboardTileRecord>> SqliteMetaStore::TilesOfDashboard(
    int64_t team_id, int64_t dashboard_id) const {
  std::lock_guard db_lock(db_mu_);
  return SelectDashboardTiles(*db_, team_id, dashboard_id);
}

StatusOr<std::vector<DashboardTileRecord>> SqliteMetaStore::TilesOfInsight(
    int64_t team_id, int64_t insight_id) const {
  std::lock_guard db_lock(db_mu_);
  return SelectInsightTiles(*db_, team_id, insight_id);
}

}  // namespace hoglet::meta
