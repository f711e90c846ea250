#include "meta/sqlite_feature_flags.h"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/json_writer.h"

namespace hoglet::meta {
namespace {

constexpr std::string_view kFlagColumns =
    "id, team_id, key, name, filters, active, deleted, ensure_experience_continuity, "
    "evaluation_runtime, evaluation_contexts, bucketing_identifier, version, created_by, "
    "created_at, updated_at";
constexpr std::string_view kCohortColumns =
    "id, team_id, name, description, filters, is_static, deleted, version, created_by, "
    "created_at, updated_at";

constexpr std::string_view kDuplicateKeyMessage = "There is already a feature flag with this key.";

bool IsKeyCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

Status ValidateKey(std::string_view key) {
  if (key.empty()) return InvalidArgumentError("a feature flag needs a key", "invalid_key");
  if (key.size() > kMaxFeatureFlagKeyBytes) {
    return InvalidArgumentError("a feature flag key must be at most " +
                                    std::to_string(kMaxFeatureFlagKeyBytes) + " bytes long",
                                "invalid_key");
  }
  for (char c : key) {
    if (!IsKeyCharacter(c)) {
      return InvalidArgumentError(
          "Only letters, numbers, hyphens (-) & underscores (_) are allowed in a feature flag "
          "key.",
          "invalid_key");
    }
  }
  return Status::Ok();
}

// SQLite's own JSON parser decides, so what passes here also passes the table's CHECK.
Status ValidateFiltersObject(sqlite::Connection& db, const std::string& filters_json) {
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement check,
      db.Prepare("SELECT CASE WHEN json_valid(?1) THEN json_type(?1) = 'object' "
                 "ELSE 0 END"));
  HOGLET_RETURN_IF_ERROR(check.BindAll(filters_json));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, check.Step());
  if (!has_row || !check.ColumnBool(0)) {
    return InvalidArgumentError("filters must be a JSON object", "invalid_filters");
  }
  return Status::Ok();
}

Status ValidateOneOf(const std::optional<std::string>& value, std::string_view field,
                     std::initializer_list<std::string_view> allowed) {
  if (!value.has_value()) return Status::Ok();
  for (std::string_view candidate : allowed) {
    if (*value == candidate) return Status::Ok();
  }
  std::string message = std::string(field) + " must be one of";
  for (std::string_view candidate : allowed) message += " " + std::string(candidate) + ",";
  message += " or null";
  return InvalidArgumentError(std::move(message), "invalid_" + std::string(field));
}

Status ValidateFlag(sqlite::Connection& db, const FeatureFlagRecord& flag) {
  HOGLET_RETURN_IF_ERROR(ValidateKey(flag.key));
  HOGLET_RETURN_IF_ERROR(
      ValidateOneOf(flag.evaluation_runtime, "evaluation_runtime", {"all", "client", "server"}));
  HOGLET_RETURN_IF_ERROR(ValidateOneOf(flag.bucketing_identifier, "bucketing_identifier",
                                       {"distinct_id", "device_id"}));
  return ValidateFiltersObject(db, flag.filters_json);
}

Status ValidateCohortRecord(sqlite::Connection& db, const CohortRecord& cohort) {
  if (cohort.name.empty()) return InvalidArgumentError("a cohort needs a name", "invalid_name");
  return ValidateFiltersObject(db, cohort.filters_json);
}

std::string ContextsJson(const std::vector<std::string>& contexts) {
  JsonWriter w;
  w.BeginArray();
  for (const std::string& context : contexts) w.String(context);
  w.EndArray();
  return std::move(w).Take();
}

// The unique index on live keys is the guard against two flags with one key; its violation
// gets the message the API shows (PostHog's wording).
Status KeyTakenOr(Status status) {
  if (status.code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError(std::string(kDuplicateKeyMessage), "unique");
  }
  return status;
}

// Reads flag rows; evaluation_contexts is a JSON array that SQLite itself takes apart.
class FlagReader {
 public:
  static StatusOr<FlagReader> Make(sqlite::Connection& db) {
    HOGLET_ASSIGN_OR_RETURN(sqlite::Statement elements,
                            db.Prepare("SELECT value FROM json_each(?) ORDER BY key"));
    return FlagReader(std::move(elements));
  }

  StatusOr<FeatureFlagRecord> Read(const sqlite::Statement& row) {
    FeatureFlagRecord flag;
    flag.id = row.ColumnInt64(0);
    flag.team_id = row.ColumnInt64(1);
    flag.key = row.ColumnText(2);
    flag.name = row.ColumnText(3);
    flag.filters_json = row.ColumnText(4);
    flag.active = row.ColumnBool(5);
    flag.deleted = row.ColumnBool(6);
    flag.ensure_experience_continuity = row.ColumnBool(7);
    flag.evaluation_runtime = row.ColumnOptionalText(8);
    std::string contexts = row.ColumnText(9);
    flag.bucketing_identifier = row.ColumnOptionalText(10);
    flag.version = row.ColumnInt64(11);
    flag.created_by = row.ColumnOptionalInt64(12);
    flag.created_at_us = row.ColumnInt64(13);
    flag.updated_at_us = row.ColumnInt64(14);
    if (contexts != "[]") {
      HOGLET_RETURN_IF_ERROR(elements_.BindAll(contexts));
      while (true) {
        HOGLET_ASSIGN_OR_RETURN(bool has_row, elements_.Step());
        if (!has_row) break;
        flag.evaluation_contexts.push_back(elements_.ColumnText(0));
      }
      HOGLET_RETURN_IF_ERROR(elements_.Reset());
    }
    return flag;
  }

 private:
  explicit FlagReader(sqlite::Statement elements) : elements_(std::move(elements)) {}
  sqlite::Statement elements_;
};

CohortRecord ReadCohort(const sqlite::Statement& row) {
  CohortRecord cohort;
  cohort.id = row.ColumnInt64(0);
  cohort.team_id = row.ColumnInt64(1);
  cohort.name = row.ColumnText(2);
  cohort.description = row.ColumnText(3);
  cohort.filters_json = row.ColumnText(4);
  cohort.is_static = row.ColumnBool(5);
  cohort.deleted = row.ColumnBool(6);
  cohort.version = row.ColumnInt64(7);
  cohort.created_by = row.ColumnOptionalInt64(8);
  cohort.created_at_us = row.ColumnInt64(9);
  cohort.updated_at_us = row.ColumnInt64(10);
  return cohort;
}

// "… WHERE team_id = ?[ AND deleted = 0] ORDER BY id" over `table`.
std::string ListSql(std::string_view columns, std::string_view table, bool include_deleted) {
  return "SELECT " + std::string(columns) + " FROM " + std::string(table) + " WHERE team_id = ?" +
         (include_deleted ? "" : " AND deleted = 0") + " ORDER BY id";
}

}  // namespace

StatusOr<FeatureFlagRecord> InsertFeatureFlag(sqlite::Connection& db, const FeatureFlagRecord& flag,
                                              int64_t now_us) {
  HOGLET_RETURN_IF_ERROR(ValidateFlag(db, flag));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement insert,
      db.Prepare("INSERT INTO feature_flags (team_id, key, name, filters, active, deleted, "
                 "ensure_experience_continuity, evaluation_runtime, evaluation_contexts, "
                 "bucketing_identifier, version, created_by, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)"));
  HOGLET_RETURN_IF_ERROR(
      insert.BindAll(flag.team_id, flag.key, flag.name, flag.filters_json, flag.active,
                     flag.deleted, flag.ensure_experience_continuity, flag.evaluation_runtime,
                     ContextsJson(flag.evaluation_contexts), flag.bucketing_identifier,
                     flag.created_by, now_us, now_us));
  HOGLET_RETURN_IF_ERROR(KeyTakenOr(insert.Run()));
  return SelectFeatureFlag(db, flag.team_id, db.LastInsertRowId());
}

StatusOr<FeatureFlagRecord> UpdateFeatureFlagRow(sqlite::Connection& db,
                                                 const FeatureFlagRecord& flag, int64_t now_us) {
  HOGLET_RETURN_IF_ERROR(ValidateFlag(db, flag));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement update,
      db.Prepare("UPDATE feature_flags SET key = ?, name = ?, filters = ?, active = ?, "
                 "deleted = ?, ensure_experience_continuity = ?, evaluation_runtime = ?, "
                 "evaluation_contexts = ?, bucketing_identifier = ?, version = version + 1, "
                 "updated_at = ? WHERE team_id = ? AND id = ?"));
  HOGLET_RETURN_IF_ERROR(update.BindAll(flag.key, flag.name, flag.filters_json, flag.active,
                                        flag.deleted, flag.ensure_experience_continuity,
                                        flag.evaluation_runtime,
                                        ContextsJson(flag.evaluation_contexts),
                                        flag.bucketing_identifier, now_us, flag.team_id, flag.id));
  HOGLET_RETURN_IF_ERROR(KeyTakenOr(update.Run()));
  if (db.Changes() == 0) {
    return NotFoundError("project " + std::to_string(flag.team_id) + " has no feature flag " +
                         std::to_string(flag.id));
  }
  return SelectFeatureFlag(db, flag.team_id, flag.id);
}

StatusOr<FeatureFlagRecord> SelectFeatureFlag(sqlite::Connection& db, int64_t team_id, int64_t id) {
  HOGLET_ASSIGN_OR_RETURN(FlagReader reader, FlagReader::Make(db));
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement select,
                          db.Prepare("SELECT " + std::string(kFlagColumns) +
                                     " FROM feature_flags WHERE team_id = ? AND id = ?"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id, id));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
  if (!has_row) {
    return NotFoundError("project " + std::to_string(team_id) + " has no feature flag " +
                         std::to_string(id));
  }
  return reader.Read(select);
}

StatusOr<std::vector<FeatureFlagRecord>> SelectFeatureFlags(sqlite::Connection& db, int64_t team_id,
                                                            bool include_deleted) {
  HOGLET_ASSIGN_OR_RETURN(FlagReader reader, FlagReader::Make(db));
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement select,
                          db.Prepare(ListSql(kFlagColumns, "feature_flags", include_deleted)));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id));
  std::vector<FeatureFlagRecord> flags;
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    HOGLET_ASSIGN_OR_RETURN(FeatureFlagRecord flag, reader.Read(select));
    flags.push_back(std::move(flag));
  }
  return flags;
}

StatusOr<CohortRecord> InsertCohort(sqlite::Connection& db, const CohortRecord& cohort,
                                    int64_t now_us) {
  HOGLET_RETURN_IF_ERROR(ValidateCohortRecord(db, cohort));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement insert,
      db.Prepare("INSERT INTO cohorts (team_id, name, description, filters, is_static, deleted, "
                 "version, created_by, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)"));
  HOGLET_RETURN_IF_ERROR(insert.BindAll(cohort.team_id, cohort.name, cohort.description,
                                        cohort.filters_json, cohort.is_static, cohort.deleted,
                                        cohort.created_by, now_us, now_us));
  HOGLET_RETURN_IF_ERROR(insert.Run());
  return SelectCohort(db, cohort.team_id, db.LastInsertRowId());
}

StatusOr<CohortRecord> UpdateCohortRow(sqlite::Connection& db, const CohortRecord& cohort,
                                       int64_t now_us) {
  HOGLET_RETURN_IF_ERROR(ValidateCohortRecord(db, cohort));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement update,
      db.Prepare("UPDATE cohorts SET name = ?, description = ?, filters = ?, is_static = ?, "
                 "deleted = ?, version = version + 1, updated_at = ? WHERE team_id = ? AND "
                 "id = ?"));
  HOGLET_RETURN_IF_ERROR(update.BindAll(cohort.name, cohort.description, cohort.filters_json,
                                        cohort.is_static, cohort.deleted, now_us, cohort.team_id,
                                        cohort.id));
  HOGLET_RETURN_IF_ERROR(update.Run());
  if (db.Changes() == 0) {
    return NotFoundError("project " + std::to_string(cohort.team_id) + " has no cohort " +
                         std::to_string(cohort.id));
  }
  return SelectCohort(db, cohort.team_id, cohort.id);
}

StatusOr<CohortRecord> SelectCohort(sqlite::Connection& db, int64_t team_id, int64_t id) {
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement select,
                          db.Prepare("SELECT " + std::string(kCohortColumns) +
                                     " FROM cohorts WHERE team_id = ? AND id = ?"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id, id));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
  if (!has_row) {
    return NotFoundError("project " + std::to_string(team_id) + " has no cohort " +
                         std::to_string(id));
  }
  return ReadCohort(select);
}

StatusOr<std::vector<CohortRecord>> SelectCohorts(sqlite::Connection& db, int64_t team_id,
                                                  bool include_deleted) {
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement select,
                          db.Prepare(ListSql(kCohortColumns, "cohorts", include_deleted)));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id));
  std::vector<CohortRecord> cohorts;
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    cohorts.push_back(ReadCohort(select));
  }
  return cohorts;
}

StatusOr<std::map<int64_t, uint64_t>> SelectFlagsGenerations(sqlite::Connection& db) {
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement select,
                          db.Prepare("SELECT team_id, generation FROM flags_generations"));
  std::map<int64_t, uint64_t> generations;
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    generations[select.ColumnInt64(0)] = static_cast<uint64_t>(select.ColumnInt64(1));
  }
  return generations;
}

Status StoreFlagsGeneration(sqlite::Connection& db, int64_t team_id, uint64_t generation) {
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement upsert,
      db.Prepare("INSERT INTO flags_generations (team_id, generation) VALUES (?, ?) "
                 "ON CONFLICT (team_id) DO UPDATE SET generation = excluded.generation"));
  HOGLET_RETURN_IF_ERROR(upsert.BindAll(team_id, static_cast<int64_t>(generation)));
  return upsert.Run();
}

}  // namespace hoglet::meta
