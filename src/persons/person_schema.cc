#include "persons/person_schema.h"

#include <array>
#include <string_view>

namespace hoglet::persons {
namespace {

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

constexpr std::array<sqlite::Migration, 2> kMigrations = {{
    {1, "persons, distinct ids, personless ids, groups, ingestion warnings", kV1},
    {2, "feature flag hash key overrides, static cohort members", kV2},
}};

}  // namespace

std::span<const sqlite::Migration> PersonsSchemaMigrations() { return kMigrations; }

int LatestPersonsSchemaVersion() { return kMigrations.back().version; }

}  // namespace hoglet::persons
