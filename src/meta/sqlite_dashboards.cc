#include "meta/sqlite_dashboards.h"

#include <string>
#include <string_view>

#include "meta/sqlite_json_check.h"

namespace hoglet::meta {
namespace {

constexpr std::string_view kDashboardColumns =
    "id, team_id, name, description, pinned, deleted, filters, tags, created_by, created_at";
// Tile columns, qualified: every tile query joins its dashboard to scope it to the project.
constexpr std::string_view kTileColumns =
    "t.id, t.dashboard_id, t.insight_id, t.text_body, t.layouts, t.color, t.deleted, "
    "t.created_at, t.last_modified_at";
constexpr std::string_view kTileFrom =
    " FROM dashboard_tiles t JOIN dashboards d ON d.id = t.dashboard_id WHERE d.team_id = ?";

Status ValidateDashboard(sqlite::Connection& db, const DashboardRecord& dashboard) {
  if (dashboard.name.size() > kMaxDashboardNameBytes) {
    return InvalidArgumentError(
        "name must be at most " + std::to_string(kMaxDashboardNameBytes) + " bytes long",
        "max_length");
  }
  HOGLET_RETURN_IF_ERROR(
      CheckJsonShape(db, dashboard.filters_json, JsonShape::kObject, "filters", "invalid_filters"));
  return CheckJsonShape(db, dashboard.tags_json, JsonShape::kArrayOfStrings, "tags",
                        "invalid_tags");
}

Status ValidateTile(sqlite::Connection& db, const DashboardTileRecord& tile) {
  if (tile.insight_id.has_value() == tile.text.has_value()) {
    return InvalidArgumentError("a tile shows either an insight or a text", "invalid_tile");
  }
  if (tile.text && (tile.text->empty() || tile.text->size() > kMaxTextTileBytes)) {
    return InvalidArgumentError(
        "a text tile's body must be 1 to " + std::to_string(kMaxTextTileBytes) + " bytes long",
        "invalid_text");
  }
  return CheckJsonShape(db, tile.layouts_json, JsonShape::kObject, "layouts", "invalid_layouts");
}

DashboardRecord ReadDashboard(const sqlite::Statement& row) {
  DashboardRecord dashboard;
  dashboard.id = row.ColumnInt64(0);
  dashboard.team_id = row.ColumnInt64(1);
  dashboard.name = row.ColumnText(2);
  dashboard.description = row.ColumnText(3);
  dashboard.pinned = row.ColumnBool(4);
  dashboard.deleted = row.ColumnBool(5);
  dashboard.filters_json = row.ColumnText(6);
  dashboard.tags_json = row.ColumnText(7);
  dashboard.created_by = row.ColumnOptionalInt64(8);
  dashboard.created_at_us = row.ColumnInt64(9);
  return dashboard;
}

DashboardTileRecord ReadTile(const sqlite::Statement& row) {
  DashboardTileRecord tile;
  tile.id = row.ColumnInt64(0);
  tile.dashboard_id = row.ColumnInt64(1);
  tile.insight_id = row.ColumnOptionalInt64(2);
  tile.text = row.ColumnOptionalText(3);
  tile.layouts_json = row.ColumnText(4);
  tile.color = row.ColumnOptionalText(5);
  tile.deleted = row.ColumnBool(6);
  tile.created_at_us = row.ColumnInt64(7);
  tile.last_modified_at_us = row.ColumnInt64(8);
  return tile;
}

Status NoSuch(std::string_view what, int64_t team_id, int64_t id) {
  return NotFoundError("project " + std::to_string(team_id) + " has no " + std::string(what) + " " +
                       std::to_string(id));
}

StatusOr<std::vector<DashboardTileRecord>> SelectTiles(sqlite::Connection& db, int64_t team_id,
                                                       std::string_view where, int64_t key) {
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement select,
      db.Prepare("SELECT " + std::string(kTileColumns) + std::string(kTileFrom) +
                 " AND t.deleted = 0 AND " + std::string(where) + " ORDER BY t.id"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id, key));
  std::vector<DashboardTileRecord> tiles;
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    tiles.push_back(ReadTile(select));
  }
  return tiles;
}

StatusOr<DashboardTileRecord> SelectTile(sqlite::Connection& db, int64_t team_id, int64_t id) {
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement select,
      db.Prepare("SELECT " + std::string(kTileColumns) + std::string(kTileFrom) + " AND t.id = ?"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id, id));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
  if (!has_row) return NoSuch("dashboard tile", team_id, id);
  return ReadTile(select);
}

// kNotFound unless the project has an insight with this id.
Status CheckInsightOfProject(sqlite::Connection& db, int64_t team_id, int64_t insight_id) {
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement select,
                          db.Prepare("SELECT 1 FROM insights WHERE team_id = ? AND id = ?"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id, insight_id));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
  return has_row ? Status::Ok() : NoSuch("insight", team_id, insight_id);
}

}  // namespace

StatusOr<DashboardRecord> InsertDashboard(sqlite::Connection& db, const DashboardRecord& dashboard,
                                          int64_t now_us) {
  HOGLET_RETURN_IF_ERROR(ValidateDashboard(db, dashboard));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement insert,
      db.Prepare("INSERT INTO dashboards (team_id, name, description, pinned, deleted, filters, "
                 "tags, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  HOGLET_RETURN_IF_ERROR(insert.BindAll(dashboard.team_id, dashboard.name, dashboard.description,
                                        dashboard.pinned, dashboard.deleted, dashboard.filters_json,
                                        dashboard.tags_json, dashboard.created_by, now_us));
  HOGLET_RETURN_IF_ERROR(insert.Run());
  return SelectDashboard(db, dashboard.team_id, db.LastInsertRowId());
}

StatusOr<DashboardRecord> UpdateDashboardRow(sqlite::Connection& db,
                                             const DashboardRecord& dashboard) {
  HOGLET_RETURN_IF_ERROR(ValidateDashboard(db, dashboard));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement update,
      db.Prepare("UPDATE dashboards SET name = ?, description = ?, pinned = ?, deleted = ?, "
                 "filters = ?, tags = ? WHERE team_id = ? AND id = ?"));
  HOGLET_RETURN_IF_ERROR(update.BindAll(dashboard.name, dashboard.description, dashboard.pinned,
                                        dashboard.deleted, dashboard.filters_json,
                                        dashboard.tags_json, dashboard.team_id, dashboard.id));
  HOGLET_RETURN_IF_ERROR(update.Run());
  if (db.Changes() == 0) return NoSuch("dashboard", dashboard.team_id, dashboard.id);
  return SelectDashboard(db, dashboard.team_id, dashboard.id);
}

StatusOr<DashboardRecord> SelectDashboard(sqlite::Connection& db, int64_t team_id, int64_t id) {
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement select,
                          db.Prepare("SELECT " + std::string(kDashboardColumns) +
                                     " FROM dashboards WHERE team_id = ? AND id = ?"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id, id));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
  if (!has_row) return NoSuch("dashboard", team_id, id);
  return ReadDashboard(select);
}

StatusOr<std::vector<DashboardRecord>> SelectDashboards(sqlite::Connection& db, int64_t team_id,
                                                        bool include_deleted) {
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement select,
      db.Prepare("SELECT " + std::string(kDashboardColumns) + " FROM dashboards WHERE team_id = ?" +
                 (include_deleted ? "" : " AND deleted = 0") + " ORDER BY id"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id));
  std::vector<DashboardRecord> dashboards;
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    dashboards.push_back(ReadDashboard(select));
  }
  return dashboards;
}

StatusOr<DashboardTileRecord> InsertTile(sqlite::Connection& db, int64_t team_id,
                                         const DashboardTileRecord& tile, int64_t now_us) {
  HOGLET_RETURN_IF_ERROR(ValidateTile(db, tile));
  HOGLET_RETURN_IF_ERROR(SelectDashboard(db, team_id, tile.dashboard_id).status());
  if (tile.insight_id) {
    HOGLET_RETURN_IF_ERROR(CheckInsightOfProject(db, team_id, *tile.insight_id));
  }
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement insert,
      db.Prepare("INSERT INTO dashboard_tiles (dashboard_id, insight_id, text_body, layouts, "
                 "color, deleted, created_at, last_modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  HOGLET_RETURN_IF_ERROR(insert.BindAll(tile.dashboard_id, tile.insight_id, tile.text,
                                        tile.layouts_json, tile.color, tile.deleted, now_us,
                                        now_us));
  Status inserted = insert.Run();
  if (inserted.code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError(
        "the insight is already on dashboard " + std::to_string(tile.dashboard_id), "unique");
  }
  HOGLET_RETURN_IF_ERROR(inserted);
  return SelectTile(db, team_id, db.LastInsertRowId());
}

StatusOr<DashboardTileRecord> UpdateTileRow(sqlite::Connection& db, int64_t team_id,
                                            const DashboardTileRecord& tile, int64_t now_us) {
  HOGLET_ASSIGN_OR_RETURN(DashboardTileRecord stored, SelectTile(db, team_id, tile.id));
  DashboardTileRecord changed = stored;
  changed.layouts_json = tile.layouts_json;
  changed.color = tile.color;
  changed.deleted = tile.deleted;
  if (stored.text) changed.text = tile.text;
  HOGLET_RETURN_IF_ERROR(ValidateTile(db, changed));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement update,
      db.Prepare("UPDATE dashboard_tiles SET layouts = ?, color = ?, text_body = ?, deleted = ?, "
                 "last_modified_at = ? WHERE id = ?"));
  HOGLET_RETURN_IF_ERROR(update.BindAll(changed.layouts_json, changed.color, changed.text,
                                        changed.deleted, now_us, changed.id));
  HOGLET_RETURN_IF_ERROR(update.Run());
  return SelectTile(db, team_id, changed.id);
}

StatusOr<DashboardTileRecord> SelectInsightTile(sqlite::Connection& db, int64_t team_id,
                                                int64_t dashboard_id, int64_t insight_id) {
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement select,
      db.Prepare("SELECT " + std::string(kTileColumns) + std::string(kTileFrom) +
                 " AND t.dashboard_id = ? AND t.insight_id = ?"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id, dashboard_id, insight_id));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
  if (!has_row) return NoSuch("tile of insight on dashboard", team_id, dashboard_id);
  return ReadTile(select);
}

StatusOr<std::vector<DashboardTileRecord>> SelectDashboardTiles(sqlite::Connection& db,
                                                                int64_t team_id,
                                                                int64_t dashboard_id) {
  return SelectTiles(db, team_id, "t.dashboard_id = ?", dashboard_id);
}

StatusOr<std::vector<DashboardTileRecord>> SelectInsightTiles(sqlite::Connection& db,
                                                              int64_t team_id, int64_t insight_id) {
  return SelectTiles(db, team_id, "d.deleted = 0 AND t.insight_id = ?", insight_id);
}

}  // namespace hoglet::meta
