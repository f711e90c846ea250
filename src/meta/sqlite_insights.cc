#include "meta/sqlite_insights.h"

#include <string>

#include "base/random.h"
#include "meta/sqlite_json_check.h"

namespace hoglet::meta {
namespace {

constexpr std::string_view kInsightColumns =
    "id, short_id, team_id, name, derived_name, description, query, tags, favorited, saved, "
    "deleted, created_by, created_at, last_modified_at, last_modified_by";

// Random short ids collide rarely (62^8 of them); a few draws settle it.
constexpr int kShortIdAttempts = 8;

bool IsShortId(std::string_view id) {
  if (id.size() != kInsightShortIdChars) return false;
  for (char c : id) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum) return false;
  }
  return true;
}

Status CheckLength(std::string_view text, std::string_view field) {
  if (text.size() > kMaxInsightNameBytes) {
    return InvalidArgumentError(std::string(field) + " must be at most " +
                                    std::to_string(kMaxInsightNameBytes) + " bytes long",
                                "max_length");
  }
  return Status::Ok();
}

Status ValidateInsight(sqlite::Connection& db, const InsightRecord& insight) {
  HOGLET_RETURN_IF_ERROR(CheckLength(insight.name.value_or(""), "name"));
  HOGLET_RETURN_IF_ERROR(CheckLength(insight.derived_name.value_or(""), "derived_name"));
  HOGLET_RETURN_IF_ERROR(CheckLength(insight.description, "description"));
  if (insight.query_json) {
    HOGLET_RETURN_IF_ERROR(
        CheckJsonShape(db, *insight.query_json, JsonShape::kObject, "query", "invalid_query"));
  }
  return CheckJsonShape(db, insight.tags_json, JsonShape::kArrayOfStrings, "tags", "invalid_tags");
}

InsightRecord ReadInsight(const sqlite::Statement& row) {
  InsightRecord insight;
  insight.id = row.ColumnInt64(0);
  insight.short_id = row.ColumnText(1);
  insight.team_id = row.ColumnInt64(2);
  insight.name = row.ColumnOptionalText(3);
  insight.derived_name = row.ColumnOptionalText(4);
  insight.description = row.ColumnText(5);
  insight.query_json = row.ColumnOptionalText(6);
  insight.tags_json = row.ColumnText(7);
  insight.favorited = row.ColumnBool(8);
  insight.saved = row.ColumnBool(9);
  insight.deleted = row.ColumnBool(10);
  insight.created_by = row.ColumnOptionalInt64(11);
  insight.created_at_us = row.ColumnInt64(12);
  insight.last_modified_at_us = row.ColumnInt64(13);
  insight.last_modified_by = row.ColumnOptionalInt64(14);
  return insight;
}

StatusOr<InsightRecord> SelectOne(sqlite::Connection& db, std::string_view where, int64_t team_id,
                                  const auto& key, const std::string& missing) {
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement select,
                          db.Prepare("SELECT " + std::string(kInsightColumns) +
                                     " FROM insights WHERE team_id = ? AND " + std::string(where)));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id, key));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
  if (!has_row) return NotFoundError("project " + std::to_string(team_id) + " has no " + missing);
  return ReadInsight(select);
}

StatusOr<std::string> FreeShortId(sqlite::Connection& db, int64_t team_id) {
  for (int attempt = 0; attempt < kShortIdAttempts; ++attempt) {
    std::string candidate = RandomBase62(kInsightShortIdChars);
    auto taken = SelectInsightByShortId(db, team_id, candidate);
    if (taken.status().code() == StatusCode::kNotFound) return candidate;
    HOGLET_RETURN_IF_ERROR(taken.status());
  }
  return InternalError("no free insight short id after several random draws");
}

}  // namespace

StatusOr<InsightRecord> InsertInsight(sqlite::Connection& db, const InsightRecord& insight,
                                      int64_t now_us) {
  HOGLET_RETURN_IF_ERROR(ValidateInsight(db, insight));
  std::string short_id = insight.short_id;
  if (short_id.empty()) {
    HOGLET_ASSIGN_OR_RETURN(short_id, FreeShortId(db, insight.team_id));
  } else if (!IsShortId(short_id)) {
    return InvalidArgumentError("short_id must be 8 letters or digits", "invalid_short_id");
  }
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement insert,
      db.Prepare("INSERT INTO insights (short_id, team_id, name, derived_name, description, "
                 "query, tags, favorited, saved, deleted, created_by, created_at, "
                 "last_modified_at, last_modified_by) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  HOGLET_RETURN_IF_ERROR(insert.BindAll(
      short_id, insight.team_id, insight.name, insight.derived_name, insight.description,
      insight.query_json, insight.tags_json, insight.favorited, insight.saved, insight.deleted,
      insight.created_by, now_us, now_us, insight.last_modified_by));
  Status inserted = insert.Run();
  if (inserted.code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError("project " + std::to_string(insight.team_id) +
                                  " already has an insight with short_id " + short_id,
                              "unique");
  }
  HOGLET_RETURN_IF_ERROR(inserted);
  return SelectInsight(db, insight.team_id, db.LastInsertRowId());
}

StatusOr<InsightRecord> UpdateInsightRow(sqlite::Connection& db, const InsightRecord& insight,
                                         int64_t now_us) {
  HOGLET_RETURN_IF_ERROR(ValidateInsight(db, insight));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement update,
      db.Prepare("UPDATE insights SET name = ?, derived_name = ?, description = ?, query = ?, "
                 "tags = ?, favorited = ?, saved = ?, deleted = ?, last_modified_at = ?, "
                 "last_modified_by = ? WHERE team_id = ? AND id = ?"));
  HOGLET_RETURN_IF_ERROR(update.BindAll(insight.name, insight.derived_name, insight.description,
                                        insight.query_json, insight.tags_json, insight.favorited,
                                        insight.saved, insight.deleted, now_us,
                                        insight.last_modified_by, insight.team_id, insight.id));
  HOGLET_RETURN_IF_ERROR(update.Run());
  if (db.Changes() == 0) {
    return NotFoundError("project " + std::to_string(insight.team_id) + " has no insight " +
                         std::to_string(insight.id));
  }
  return SelectInsight(db, insight.team_id, insight.id);
}

StatusOr<InsightRecord> SelectInsight(sqlite::Connection& db, int64_t team_id, int64_t id) {
  return SelectOne(db, "id = ?", team_id, id, "insight " + std::to_string(id));
}

StatusOr<InsightRecord> SelectInsightByShortId(sqlite::Connection& db, int64_t team_id,
                                               std::string_view short_id) {
  return SelectOne(db, "short_id = ?", team_id, short_id,
                   "insight with short_id " + std::string(short_id));
}

StatusOr<std::vector<InsightRecord>> SelectInsights(sqlite::Connection& db, int64_t team_id,
                                                    bool include_deleted) {
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement select,
      db.Prepare("SELECT " + std::string(kInsightColumns) + " FROM insights WHERE team_id = ?" +
                 (include_deleted ? "" : " AND deleted = 0") + " ORDER BY id"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id));
  std::vector<InsightRecord> insights;
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    insights.push_back(ReadInsight(select));
  }
  return insights;
}

}  // namespace hoglet::meta
