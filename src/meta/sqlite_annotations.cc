#include "meta/sqlite_annotations.h"

#include <string>
#include <string_view>

namespace hoglet::meta {
namespace {

constexpr std::string_view kAnnotationColumns =
    "id, team_id, organization_id, content, date_marker, creation_type, scope, insight_id, "
    "dashboard_id, emoji, hidden_in_user_interface, deleted, created_by, created_at, updated_at";

// What project `team_id` sees: its own annotations, and those its organization's projects scoped
// to the whole organization. ?1 is the project.
constexpr std::string_view kVisibleToProject =
    "(team_id = ?1 OR (scope = 'organization' AND organization_id = "
    "(SELECT organization_id FROM projects WHERE id = ?1)))";

// kNotFound unless the row `id` of `table` is project `team_id`'s.
Status CheckOwned(sqlite::Connection& db, std::string_view table, std::string_view what,
                  int64_t team_id, int64_t id) {
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement select,
      db.Prepare("SELECT 1 FROM " + std::string(table) + " WHERE team_id = ? AND id = ?"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id, id));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
  if (!has_row) {
    return NotFoundError("project " + std::to_string(team_id) + " has no " + std::string(what) +
                         " " + std::to_string(id));
  }
  return Status::Ok();
}

Status ValidateAnnotation(sqlite::Connection& db, const AnnotationRecord& annotation) {
  const std::string_view scope = annotation.scope;
  if (scope != kAnnotationScopeInsight && scope != kAnnotationScopeDashboard &&
      scope != kAnnotationScopeProject && scope != kAnnotationScopeOrganization) {
    return InvalidArgumentError(
        "an annotation's scope is dashboard_item, dashboard, project or "
        "organization, not '" +
            annotation.scope + "'",
        "invalid_scope");
  }
  if (annotation.creation_type != "USR" && annotation.creation_type != "GIT") {
    return InvalidArgumentError("an annotation's creation_type is USR or GIT", "invalid_choice");
  }
  if (annotation.content && annotation.content->size() > kMaxAnnotationContentBytes) {
    return InvalidArgumentError("an annotation's content must be at most " +
                                    std::to_string(kMaxAnnotationContentBytes) + " bytes long",
                                "max_length");
  }
  if (annotation.emoji && annotation.emoji->size() > kMaxAnnotationEmojiBytes) {
    return InvalidArgumentError("an annotation's emoji is at most 16 characters", "max_length");
  }
  if (annotation.insight_id) {
    HOGLET_RETURN_IF_ERROR(
        CheckOwned(db, "insights", "insight", annotation.team_id, *annotation.insight_id));
  }
  if (annotation.dashboard_id) {
    HOGLET_RETURN_IF_ERROR(
        CheckOwned(db, "dashboards", "dashboard", annotation.team_id, *annotation.dashboard_id));
  }
  return Status::Ok();
}

AnnotationRecord ReadAnnotation(const sqlite::Statement& row) {
  AnnotationRecord annotation;
  annotation.id = row.ColumnInt64(0);
  annotation.team_id = row.ColumnInt64(1);
  annotation.organization_id = row.ColumnText(2);
  annotation.content = row.ColumnOptionalText(3);
  annotation.date_marker_us = row.ColumnOptionalInt64(4);
  annotation.creation_type = row.ColumnText(5);
  annotation.scope = row.ColumnText(6);
  annotation.insight_id = row.ColumnOptionalInt64(7);
  annotation.dashboard_id = row.ColumnOptionalInt64(8);
  annotation.emoji = row.ColumnOptionalText(9);
  if (auto hidden = row.ColumnOptionalInt64(10)) annotation.hidden_in_user_interface = *hidden != 0;
  annotation.deleted = row.ColumnBool(11);
  annotation.created_by = row.ColumnOptionalInt64(12);
  annotation.created_at_us = row.ColumnInt64(13);
  annotation.updated_at_us = row.ColumnInt64(14);
  return annotation;
}

Status NoSuchAnnotation(int64_t team_id, int64_t id) {
  return NotFoundError("project " + std::to_string(team_id) + " has no annotation " +
                       std::to_string(id));
}

std::optional<int64_t> HiddenColumn(const AnnotationRecord& annotation) {
  if (!annotation.hidden_in_user_interface) return std::nullopt;
  return *annotation.hidden_in_user_interface ? 1 : 0;
}

}  // namespace

StatusOr<AnnotationRecord> InsertAnnotation(sqlite::Connection& db,
                                            const AnnotationRecord& annotation, int64_t now_us) {
  HOGLET_RETURN_IF_ERROR(ValidateAnnotation(db, annotation));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement insert,
      db.Prepare("INSERT INTO annotations (team_id, organization_id, content, date_marker, "
                 "creation_type, scope, insight_id, dashboard_id, emoji, hidden_in_user_interface, "
                 "deleted, created_by, created_at, updated_at) SELECT id, organization_id, ?, ?, "
                 "?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM projects WHERE id = ?"));
  HOGLET_RETURN_IF_ERROR(insert.BindAll(
      annotation.content, annotation.date_marker_us, annotation.creation_type, annotation.scope,
      annotation.insight_id, annotation.dashboard_id, annotation.emoji, HiddenColumn(annotation),
      annotation.deleted, annotation.created_by, now_us, now_us, annotation.team_id));
  HOGLET_RETURN_IF_ERROR(insert.Run());
  if (db.Changes() == 0) {
    return NotFoundError("no project " + std::to_string(annotation.team_id));
  }
  return SelectAnnotation(db, annotation.team_id, db.LastInsertRowId());
}

StatusOr<AnnotationRecord> UpdateAnnotationRow(sqlite::Connection& db,
                                               const AnnotationRecord& annotation, int64_t now_us) {
  HOGLET_RETURN_IF_ERROR(ValidateAnnotation(db, annotation));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement update,
      db.Prepare("UPDATE annotations SET content = ?, date_marker = ?, creation_type = ?, "
                 "scope = ?, insight_id = ?, dashboard_id = ?, emoji = ?, "
                 "hidden_in_user_interface = ?, deleted = ?, updated_at = ? "
                 "WHERE team_id = ? AND id = ?"));
  HOGLET_RETURN_IF_ERROR(update.BindAll(
      annotation.content, annotation.date_marker_us, annotation.creation_type, annotation.scope,
      annotation.insight_id, annotation.dashboard_id, annotation.emoji, HiddenColumn(annotation),
      annotation.deleted, now_us, annotation.team_id, annotation.id));
  HOGLET_RETURN_IF_ERROR(update.Run());
  if (db.Changes() == 0) return NoSuchAnnotation(annotation.team_id, annotation.id);
  return SelectAnnotation(db, annotation.team_id, annotation.id);
}

StatusOr<AnnotationRecord> SelectAnnotation(sqlite::Connection& db, int64_t team_id, int64_t id) {
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement select,
      db.Prepare("SELECT " + std::string(kAnnotationColumns) + " FROM annotations WHERE " +
                 std::string(kVisibleToProject) + " AND id = ?2"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id, id));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
  if (!has_row) return NoSuchAnnotation(team_id, id);
  return ReadAnnotation(select);
}

StatusOr<std::vector<AnnotationRecord>> SelectAnnotations(sqlite::Connection& db, int64_t team_id,
                                                          bool include_deleted) {
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement select,
      db.Prepare("SELECT " + std::string(kAnnotationColumns) + " FROM annotations WHERE " +
                 std::string(kVisibleToProject) + (include_deleted ? "" : " AND deleted = 0") +
                 " ORDER BY date_marker IS NULL, date_marker DESC, id DESC"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id));
  std::vector<AnnotationRecord> annotations;
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    annotations.push_back(ReadAnnotation(select));
  }
  return annotations;
}

}  // namespace hoglet::meta
