#include "meta/sqlite_actions.h"

#include <string>
#include <string_view>

namespace hoglet::meta {
namespace {

constexpr std::string_view kActionColumns =
    "id, team_id, name, description, steps, deleted, created_by, created_at, updated_at";

// SQLite's own JSON parser decides, so what passes here also passes the table's CHECK.
Status ValidateAction(sqlite::Connection& db, const ActionRecord& action) {
  if (action.name.empty()) return InvalidArgumentError("an action needs a name", "invalid_name");
  if (action.name.size() > kMaxActionNameBytes) {
    return InvalidArgumentError(
        "an action name must be at most " + std::to_string(kMaxActionNameBytes) + " bytes long",
        "invalid_name");
  }
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement check,
      db.Prepare("SELECT CASE WHEN json_valid(?1) THEN json_type(?1) = 'array' ELSE 0 END"));
  HOGLET_RETURN_IF_ERROR(check.BindAll(action.steps_json));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, check.Step());
  if (!has_row || !check.ColumnBool(0)) {
    return InvalidArgumentError("steps must be a JSON array", "invalid_steps");
  }
  return Status::Ok();
}

ActionRecord ReadAction(const sqlite::Statement& row) {
  ActionRecord action;
  action.id = row.ColumnInt64(0);
  action.team_id = row.ColumnInt64(1);
  action.name = row.ColumnText(2);
  action.description = row.ColumnText(3);
  action.steps_json = row.ColumnText(4);
  action.deleted = row.ColumnBool(5);
  action.created_by = row.ColumnOptionalInt64(6);
  action.created_at_us = row.ColumnInt64(7);
  action.updated_at_us = row.ColumnInt64(8);
  return action;
}

Status NoSuchAction(int64_t team_id, int64_t id) {
  return NotFoundError("project " + std::to_string(team_id) + " has no action " +
                       std::to_string(id));
}

}  // namespace

StatusOr<ActionRecord> InsertAction(sqlite::Connection& db, const ActionRecord& action,
                                    int64_t now_us) {
  HOGLET_RETURN_IF_ERROR(ValidateAction(db, action));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement insert,
      db.Prepare("INSERT INTO actions (team_id, name, description, steps, deleted, created_by, "
                 "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  HOGLET_RETURN_IF_ERROR(insert.BindAll(action.team_id, action.name, action.description,
                                        action.steps_json, action.deleted, action.created_by,
                                        now_us, now_us));
  HOGLET_RETURN_IF_ERROR(insert.Run());
  return SelectAction(db, action.team_id, db.LastInsertRowId());
}

StatusOr<ActionRecord> UpdateActionRow(sqlite::Connection& db, const ActionRecord& action,
                                       int64_t now_us) {
  HOGLET_RETURN_IF_ERROR(ValidateAction(db, action));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement update,
      db.Prepare("UPDATE actions SET name = ?, description = ?, steps = ?, deleted = ?, "
                 "updated_at = ? WHERE team_id = ? AND id = ?"));
  HOGLET_RETURN_IF_ERROR(update.BindAll(action.name, action.description, action.steps_json,
                                        action.deleted, now_us, action.team_id, action.id));
  HOGLET_RETURN_IF_ERROR(update.Run());
  if (db.Changes() == 0) return NoSuchAction(action.team_id, action.id);
  return SelectAction(db, action.team_id, action.id);
}

StatusOr<ActionRecord> SelectAction(sqlite::Connection& db, int64_t team_id, int64_t id) {
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement select,
                          db.Prepare("SELECT " + std::string(kActionColumns) +
                                     " FROM actions WHERE team_id = ? AND id = ?"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id, id));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
  if (!has_row) return NoSuchAction(team_id, id);
  return ReadAction(select);
}

StatusOr<std::vector<ActionRecord>> SelectActions(sqlite::Connection& db, int64_t team_id,
                                                  bool include_deleted) {
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement select,
      db.Prepare("SELECT " + std::string(kActionColumns) + " FROM actions WHERE team_id = ?" +
                 (include_deleted ? "" : " AND deleted = 0") + " ORDER BY id"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id));
  std::vector<ActionRecord> actions;
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    actions.push_back(ReadAction(select));
  }
  return actions;
}

}  // namespace hoglet::meta
