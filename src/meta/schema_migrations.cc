#include "meta/schema_migrations.h"

#include <array>

namespace hoglet::meta {
namespace {

// Version 1: tenancy (organizations, users, projects) and personal API keys.
//
// projects.id is AUTOINCREMENT so the id of a deleted project (the team id stored in every
// event) is never handed out again. Instants are integer microseconds since the Unix epoch.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid TEXT NOT NULL UNIQUE,
  organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  email TEXT NOT NULL UNIQUE,
  first_name TEXT NOT NULL DEFAULT '',
  password_hash TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX users_organization ON users(organization_id);
CREATE TABLE projects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  api_token TEXT NOT NULL UNIQUE,
  secret_api_token TEXT NOT NULL UNIQUE,
  timezone TEXT NOT NULL DEFAULT 'UTC',
  week_start_day INTEGER NOT NULL DEFAULT 0 CHECK (week_start_day IN (0, 1)),
  anonymize_ips INTEGER NOT NULL DEFAULT 0,
  person_processing_opt_out INTEGER NOT NULL DEFAULT 0,
  test_account_filters TEXT NOT NULL DEFAULT '[]'
    CHECK (CASE WHEN json_valid(test_account_filters)
           THEN json_type(test_account_filters) = 'array' ELSE 0 END),
  created_at INTEGER NOT NULL
);
CREATE INDEX projects_organization ON projects(organization_id);
CREATE TABLE personal_api_keys (
  id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  secure_value TEXT NOT NULL UNIQUE,
  mask_value TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX personal_api_keys_user ON personal_api_keys(user_id);
)sql";

// Version 2: event and property definitions (analytics §1.9), written by ingestion.
//
// property_definitions.type is PostHog's owner kind (1 event, 2 person, 3 group); property_type
// is NULL until a typed value is seen. Both tables go with their project.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE event_definitions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid TEXT NOT NULL UNIQUE,
  team_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  UNIQUE (team_id, name)
);
CREATE TABLE property_definitions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid TEXT NOT NULL UNIQUE,
  team_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  type INTEGER NOT NULL CHECK (type IN (1, 2, 3)),
  name TEXT NOT NULL,
  property_type TEXT
    CHECK (property_type IS NULL OR property_type IN ('String', 'Numeric', 'Boolean', 'DateTime')),
  is_numerical INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER,
  UNIQUE (team_id, type, name)
);
)sql";

// Version 3: feature flags and cohorts (PostHog's posthog_featureflag and posthog_cohort).
//
// Both are soft-deleted (deleted = 1) and keep their ids; AUTOINCREMENT keeps a hard-deleted
// id (a deleted project's) from being handed out again. A flag key is unique among the live
// flags of a project only, so a deleted flag's key can be used again. filters is a JSON object
// and evaluation_contexts a JSON array of strings; what filters mean is checked by the API, not
// here. flags_generations holds MetaStore::FlagsGeneration, written in the transaction of each
// flag or cohort write, so a number always stands for the same flag set, across restarts too.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE feature_flags (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  team_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  filters TEXT NOT NULL DEFAULT '{}'
    CHECK (CASE WHEN json_valid(filters) THEN json_type(filters) = 'object' ELSE 0 END),
  active INTEGER NOT NULL DEFAULT 1,
  deleted INTEGER NOT NULL DEFAULT 0,
  ensure_experience_continuity INTEGER NOT NULL DEFAULT 0,
  evaluation_runtime TEXT
    CHECK (evaluation_runtime IS NULL OR evaluation_runtime IN ('all', 'client', 'server')),
  evaluation_contexts TEXT NOT NULL DEFAULT '[]'
    CHECK (CASE WHEN json_valid(evaluation_contexts)
           THEN json_type(evaluation_contexts) = 'array' ELSE 0 END),
  bucketing_identifier TEXT
    CHECK (bucketing_identifier IS NULL OR bucketing_identifier IN ('distinct_id', 'device_id')),
  version INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX feature_flags_team_key ON feature_flags(team_id, key) WHERE deleted = 0;
CREATE INDEX feature_flags_team ON feature_flags(team_id, id);
CREATE TABLE cohorts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  team_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  filters TEXT NOT NULL DEFAULT '{}'
    CHECK (CASE WHEN json_valid(filters) THEN json_type(filters) = 'object' ELSE 0 END),
  is_static INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX cohorts_team ON cohorts(team_id, id);
CREATE TABLE flags_generations (
  team_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  generation INTEGER NOT NULL
);
)sql";

// Version 4: scopes of personal API keys.
//
// scopes holds a key's scopes joined by single spaces (meta/api_key_scopes.h); every key stored
// before keeps full access, '*', as PostHog treats keys without scopes.
constexpr std::string_view kV4 = R"sql(
ALTER TABLE personal_api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT '*' CHECK (scopes <> '');
)sql";

// Version 5: the personal API keys Bootstrap created.
//
// bootstrap_personal_api_keys remembers the hash of every key Bootstrap created, so a bootstrap
// key deleted through the API is not created again at the next start even though the operator
// still configures it. Keys an earlier Bootstrap created and that still exist are recognised by
// their label; one deleted before this version cannot be known and is created once more.
constexpr std::string_view kV5 = R"sql(
CREATE TABLE bootstrap_personal_api_keys (
  secure_value TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
);
INSERT INTO bootstrap_personal_api_keys (secure_value, created_at)
  SELECT secure_value, created_at FROM personal_api_keys WHERE label = 'Bootstrap key';
)sql";

// Version 6: actions (PostHog's posthog_action), steps kept as a JSON array.
constexpr std::string_view kV6 = R"sql(
CREATE TABLE actions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  team_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (name <> ''),
  description TEXT NOT NULL DEFAULT '',
  steps TEXT NOT NULL DEFAULT '[]'
    CHECK (CASE WHEN json_valid(steps) THEN json_type(steps) = 'array' ELSE 0 END),
  deleted INTEGER NOT NULL DEFAULT 0,
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX actions_team ON actions(team_id, id);
)sql";

// Version 7: browser sessions (meta/sessions.h), by the SHA-256 of their token.
constexpr std::string_view kV7 = R"sql(
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
)sql";

// Version 8: saved insights, dashboards and dashboard tiles (PostHog's posthog_dashboarditem,
// posthog_dashboard and posthog_dashboardtile).
//
// All three are soft-deleted. An insight's short_id is unique within its project; an insight sits
// on a dashboard through at most one tile (dead or alive), so taking it off and putting it back
// revives the same tile with its layout. A tile shows an insight or a text card, never both.
constexpr std::string_view kV8 = R"sql(
CREATE TABLE insights (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  team_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  short_id TEXT NOT NULL,
  name TEXT,
  derived_name TEXT,
  description TEXT NOT NULL DEFAULT '',
  query TEXT
    CHECK (query IS NULL OR CASE WHEN json_valid(query) THEN json_type(query) = 'object' ELSE 0 END),
  tags TEXT NOT NULL DEFAULT '[]'
    CHECK (CASE WHEN json_valid(tags) THEN json_type(tags) = 'array' ELSE 0 END),
  favorited INTEGER NOT NULL DEFAULT 0,
  saved INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  last_modified_at INTEGER NOT NULL,
  last_modified_by INTEGER,
  UNIQUE (team_id, short_id)
);
CREATE INDEX insights_team ON insights(team_id, id);
CREATE TABLE dashboards (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  team_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  pinned INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  filters TEXT NOT NULL DEFAULT '{}'
    CHECK (CASE WHEN json_valid(filters) THEN json_type(filters) = 'object' ELSE 0 END),
  tags TEXT NOT NULL DEFAULT '[]'
    CHECK (CASE WHEN json_valid(tags) THEN json_type(tags) = 'array' ELSE 0 END),
  created_by INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX dashboards_team ON dashboards(team_id, id);
CREATE TABLE dashboard_tiles (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  dashboard_id INTEGER NOT NULL REFERENCES dashboards(id) ON DELETE CASCADE,
  insight_id INTEGER REFERENCES insights(id) ON DELETE CASCADE,
  text_body TEXT,
  layouts TEXT NOT NULL DEFAULT '{}'
    CHECK (CASE WHEN json_valid(layouts) THEN json_type(layouts) = 'object' ELSE 0 END),
  color TEXT,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  last_modified_at INTEGER NOT NULL,
  CHECK ((insight_id IS NULL) <> (text_body IS NULL))
);
CREATE UNIQUE INDEX dashboard_tiles_dashboard_insight ON dashboard_tiles(dashboard_id, insight_id)
  WHERE insight_id IS NOT NULL;
CREATE INDEX dashboard_tiles_insight ON dashboard_tiles(insight_id);
)sql";

// Version 9: annotations, notes at an instant that charts mark (meta/annotations.h).
//
// organization_id is the project's, kept on the row so an organization-scoped annotation is
// found from the organization's other projects.
constexpr std::string_view kV9 = R"sql(
CREATE TABLE annotations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  team_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL,
  content TEXT,
  date_marker INTEGER,
  creation_type TEXT NOT NULL DEFAULT 'USR',
  scope TEXT NOT NULL DEFAULT 'project',
  insight_id INTEGER REFERENCES insights(id) ON DELETE SET NULL,
  dashboard_id INTEGER REFERENCES dashboards(id) ON DELETE SET NULL,
  emoji TEXT,
  hidden_in_user_interface INTEGER,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX annotations_team ON annotations(team_id, date_marker);
CREATE INDEX annotations_organization ON annotations(organization_id, scope);
)sql";

// Version 10: the notes people write on event and property definitions (meta/definitions.h:
// DefinitionNotes); tags is a JSON array of strings.
constexpr std::string_view kV10 = R"sql(
ALTER TABLE event_definitions ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE event_definitions ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE event_definitions ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_definitions ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_definitions ADD COLUMN updated_by INTEGER;
ALTER TABLE property_definitions ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE property_definitions ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE property_definitions ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE property_definitions ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE property_definitions ADD COLUMN updated_by INTEGER;
)sql";

// Version 11: event-to-property pairs (PostHog's posthog_eventproperty), written by ingestion:
// which property keys were seen on events of which name. Person property definitions need no
// schema change (property_definitions.type 2).
constexpr std::string_view kV11 = R"sql(
CREATE TABLE event_properties (
  team_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  event TEXT NOT NULL,
  property TEXT NOT NULL,
  PRIMARY KEY (team_id, event, property)
) WITHOUT ROWID;
)sql";

// Version 12: the names people give a project's group types (meta/group_type_names.h); a row
// exists once a name was set, its names null when cleared.
constexpr std::string_view kV12 = R"sql(
CREATE TABLE group_type_names (
  team_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  group_type_index INTEGER NOT NULL CHECK (group_type_index BETWEEN 0 AND 4),
  name_singular TEXT,
  name_plural TEXT,
  PRIMARY KEY (team_id, group_type_index)
);
)sql";

// Version 13: group property definitions, one set per group type. The table is rebuilt so its
// key holds the group type's index (-1 for event and person properties, 0–4 for group ones):
// SQLite cannot change a UNIQUE constraint in place. Rows keep their ids and uuids.
constexpr std::string_view kV13 = R"sql(
CREATE TABLE property_definitions_v13 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid TEXT NOT NULL UNIQUE,
  team_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  type INTEGER NOT NULL CHECK (type IN (1, 2, 3)),
  group_type_index INTEGER NOT NULL DEFAULT -1
    CHECK (CASE WHEN type = 3 THEN group_type_index BETWEEN 0 AND 4
           ELSE group_type_index = -1 END),
  name TEXT NOT NULL,
  property_type TEXT
    CHECK (property_type IS NULL OR property_type IN ('String', 'Numeric', 'Boolean', 'DateTime')),
  is_numerical INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER,
  description TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '[]',
  verified INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL DEFAULT 0,
  updated_by INTEGER,
  UNIQUE (team_id, type, group_type_index, name)
);
INSERT INTO property_definitions_v13 (id, uuid, team_id, type, group_type_index, name,
    property_type, is_numerical, created_at, last_seen_at, description, tags, verified,
    updated_at, updated_by)
  SELECT id, uuid, team_id, type, -1, name, property_type, is_numerical, created_at,
         last_seen_at, description, tags, verified, updated_at, updated_by
  FROM property_definitions WHERE type IN (1, 2);
DROP TABLE property_definitions;
ALTER TABLE property_definitions_v13 RENAME TO property_definitions;
)sql";

constexpr std::array<sqlite::Migration, 13> kMigrations = {{
    {1, "organizations, users, projects, personal_api_keys", kV1},
    {2, "event_definitions, property_definitions", kV2},
    {3, "feature_flags, cohorts, flags_generations", kV3},
    {4, "personal_api_keys.scopes", kV4},
    {5, "bootstrap_personal_api_keys", kV5},
    {6, "actions", kV6},
    {7, "sessions", kV7},
    {8, "insights, dashboards, dashboard_tiles", kV8},
    {9, "annotations", kV9},
    {10, "event_definitions, property_definitions notes", kV10},
    {11, "event_properties", kV11},
    {12, "group_type_names", kV12},
    {13, "property_definitions.group_type_index", kV13},
}};

}  // namespace

std::span<const sqlite::Migration> SchemaMigrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations.back().version; }

}  // namespace hoglet::meta
