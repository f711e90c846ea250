#include "persons/person_schema.h"

#include <array>
#include <string>
#include <string_view>

namespace hoglet::persons {
namespace {

struct Migration {
  int version;  // 1, 2, 3, … without gaps
  std::string_view description;
  std::string_view sql;
};

// Version 1. Uuids are canonical lower-case text, instants integer microseconds since the Unix
// epoch, properties JSON object text. Distinct ids are keyed per team: the same distinct id in
// two teams is two unrelated persons.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE persons (
  id INTEGER PRIMARY KEY,
  team_id INTEGER NOT NULL,
  uuid TEXT NOT NULL,
  properties TEXT NOT NULL DEFAULT '{}',
  is_identified INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  UNIQUE (team_id, uuid)
);
CREATE INDEX persons_team_created ON persons(team_id, created_at DESC, uuid DESC);
CREATE TABLE person_distinct_ids (
  team_id INTEGER NOT NULL,
  distinct_id TEXT NOT NULL,
  person_uuid TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (team_id, distinct_id)
) WITHOUT ROWID;
CREATE INDEX person_distinct_ids_person ON person_distinct_ids(team_id, person_uuid);
CREATE TABLE personless_distinct_ids (
  team_id INTEGER NOT NULL,
  distinct_id TEXT NOT NULL,
  is_merged INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (team_id, distinct_id)
) WITHOUT ROWID;
CREATE TABLE group_type_mapping (
  team_id INTEGER NOT NULL,
  group_type TEXT NOT NULL,
  group_type_index INTEGER NOT NULL CHECK (group_type_index BETWEEN 0 AND 4),
  PRIMARY KEY (team_id, group_type),
  UNIQUE (team_id, group_type_index)
) WITHOUT ROWID;
CREATE TABLE groups (
  team_id INTEGER NOT NULL,
  group_type_index INTEGER NOT NULL CHECK (group_type_index BETWEEN 0 AND 4),
  group_key TEXT NOT NULL,
  properties TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (team_id, group_type_index, group_key)
);
CREATE INDEX groups_team_created ON groups(team_id, group_type_index, created_at DESC);
CREATE TABLE ingestion_warnings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  team_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}',
  timestamp INTEGER NOT NULL
);
CREATE INDEX ingestion_warnings_team ON ingestion_warnings(team_id, id);
)sql";

// Version 2: feature flag state kept with persons (PostHog's posthog_featureflaghashkeyoverride
// and posthog_cohortpeople). Rows follow their person through merges and go with it; nothing
// ties cohort_id to the metadata store's cohorts (another database), so a deleted cohort's
// members stay until the person goes.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE feature_flag_hash_key_overrides (
  team_id INTEGER NOT NULL,
  person_uuid TEXT NOT NULL,
  feature_flag_key TEXT NOT NULL,
  hash_key TEXT NOT NULL,
  PRIMARY KEY (team_id, person_uuid, feature_flag_key)
) WITHOUT ROWID;
CREATE TABLE cohort_people (
  team_id INTEGER NOT NULL,
  cohort_id INTEGER NOT NULL,
  person_uuid TEXT NOT NULL,
  PRIMARY KEY (team_id, cohort_id, person_uuid)
) WITHOUT ROWID;
CREATE INDEX cohort_people_person ON cohort_people(team_id, person_uuid);
)sql";

constexpr std::array<Migration, 2> kMigrations = {{
    {1, "persons, distinct ids, personless ids, groups, ingestion warnings", kV1},
    {2, "feature flag hash key overrides, static cohort members", kV2},
}};

}  // namespace

int LatestPersonsSchemaVersion() { return kMigrations.back().version; }

StatusOr<int> CurrentPersonsSchemaVersion(SqliteConnection& db) {
  HOGLET_RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
              "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
              "applied_at INTEGER NOT NULL)"));
  HOGLET_ASSIGN_OR_RETURN(CachedStatement query,
                          db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, query.Step());
  if (!has_row) return InternalError("SELECT MAX(version) returned no row");
  return static_cast<int>(query.ColumnInt64(0));
}

Status MigratePersonsSchema(SqliteConnection& db, int64_t now_us) {
  // One write transaction around the version check and every step: two processes opening the
  // same new file serialise here, and the second finds the schema in place.
  HOGLET_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  Status status = [&]() -> Status {
    HOGLET_ASSIGN_OR_RETURN(int current, CurrentPersonsSchemaVersion(db));
    if (current > LatestPersonsSchemaVersion()) {
      return DataLossError("the persons database is at schema version " + std::to_string(current) +
                           " but this binary only knows versions up to " +
                           std::to_string(LatestPersonsSchemaVersion()) +
                           "; it was written by a newer Hoglet: run that version (or newer), "
                           "downgrading is not supported");
    }
    for (const Migration& migration : kMigrations) {
      if (migration.version <= current) continue;
      Status applied = db.Exec(migration.sql);
      if (!applied.ok()) {
        return applied.WithContext("persons schema migration " + std::to_string(migration.version));
      }
      HOGLET_ASSIGN_OR_RETURN(CachedStatement record,
                              db.Prepare("INSERT INTO schema_migrations (version, description, "
                                         "applied_at) VALUES (?, ?, ?)"));
      HOGLET_RETURN_IF_ERROR(record.BindAll(migration.version, migration.description, now_us));
      HOGLET_RETURN_IF_ERROR(record.Run());
    }
    return Status::Ok();
  }();
  if (!status.ok()) {
    (void)db.Exec("ROLLBACK");
    return status;
  }
  return db.Exec("COMMIT");
}

}  // namespace hoglet::persons
