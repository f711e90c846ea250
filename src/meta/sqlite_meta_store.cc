#include "meta/sqlite_meta_store.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "meta/api_key_scopes.h"
#include "meta/meta_rows.h"
#include "meta/schema_migrations.h"
#include "meta/sqlite_definitions.h"
#include "meta/sqlite_feature_flags.h"
#include "meta/sqlite_meta_store_impl.h"
#include "sqlite/migrations.h"

namespace hoglet::meta {
namespace {

constexpr int kBusyTimeoutMs = 5000;

}  // namespace

Status SqliteMetaStore::LoadCache() {
  std::lock_guard db_lock(db_mu_);
  std::unique_lock cache_lock(cache_mu_);
  auto select_all = [this](std::string_view columns, std::string_view table,
                           const std::function<void(const sqlite::Statement&)>& add) -> Status {
    HOGLET_ASSIGN_OR_RETURN(sqlite::Statement query, db_->Prepare("SELECT " + std::string(columns) +
                                                                  " FROM " + std::string(table)));
    while (true) {
      HOGLET_ASSIGN_OR_RETURN(bool has_row, query.Step());
      if (!has_row) return Status::Ok();
      add(query);
    }
  };
  HOGLET_RETURN_IF_ERROR(
      select_all(kOrganizationColumns, "organizations", [this](const sqlite::Statement& row) {
        Organization org = ReadOrganization(row);
        organizations_.emplace(org.id, std::move(org));
      }));
  HOGLET_RETURN_IF_ERROR(select_all(kUserColumns, "users", [this](const sqlite::Statement& row) {
    User user = ReadUser(row);
    users_.emplace(user.id, std::move(user));
  }));
  HOGLET_RETURN_IF_ERROR(
      select_all(kProjectColumns, "projects", [this](const sqlite::Statement& row) {
        Project project = ReadProject(row);
        project_by_token_[project.api_token] = project.id;
        project_by_secret_token_[project.secret_api_token] = project.id;
        projects_.emplace(project.id, std::move(project));
      }));
  auto add_key = [this](const sqlite::Statement& row) {
    KeyEntry entry{row.ColumnText(0), row.ColumnInt64(1),
                   row.ColumnOptionalInt64(2).value_or(kNeverUsed),
                   ParseStoredScopes(row.ColumnText(4))};
    keys_by_hash_.emplace(row.ColumnText(3), std::move(entry));
  };
  HOGLET_RETURN_IF_ERROR(
      select_all("id, user_id, last_used_at, secure_value, scopes", "personal_api_keys", add_key));
  HOGLET_ASSIGN_OR_RETURN(auto generations, SelectFlagsGenerations(*db_));
  flags_generations_.insert(generations.begin(), generations.end());
  return Status::Ok();
}

StatusOr<RecordedDefinitions> SqliteMetaStore::RecordDefinitions(
    int64_t team_id, const std::vector<EventDefinitionSeen>& events,
    const std::vector<PropertyDefinitionSeen>& properties, const DefinitionLimits& limits) {
  std::lock_guard db_lock(db_mu_);
  {
    std::shared_lock lock(cache_mu_);
    if (!projects_.contains(team_id)) {
      return NotFoundError("project " + std::to_string(team_id) + " does not exist");
    }
  }
  return UpsertDefinitions(*db_, team_id, events, properties, limits, clock_.NowMicros());
}

StatusOr<RecordedEventProperties> SqliteMetaStore::RecordEventProperties(
    int64_t team_id, const std::vector<EventPropertySeen>& pairs,
    const EventPropertyLimits& limits) {
  std::lock_guard db_lock(db_mu_);
  {
    std::shared_lock lock(cache_mu_);
    if (!projects_.contains(team_id)) {
      return NotFoundError("project " + std::to_string(team_id) + " does not exist");
    }
  }
  return InsertEventProperties(*db_, team_id, pairs, limits);
}

StatusOr<DefinitionPage<EventDefinition>> SqliteMetaStore::ListEventDefinitions(
    const DefinitionListQuery& query) const {
  std::lock_guard db_lock(db_mu_);
  return SelectEventDefinitions(*db_, query);
}

StatusOr<DefinitionPage<PropertyDefinition>> SqliteMetaStore::ListPropertyDefinitions(
    const DefinitionListQuery& query) const {
  std::lock_guard db_lock(db_mu_);
  return SelectPropertyDefinitions(*db_, query);
}

StatusOr<EventDefinition> SqliteMetaStore::EventDefinitionByUuid(int64_t team_id,
                                                                 std::string_view uuid) const {
  std::lock_guard db_lock(db_mu_);
  return SelectEventDefinition(*db_, team_id, uuid);
}

StatusOr<PropertyDefinition> SqliteMetaStore::PropertyDefinitionByUuid(
    int64_t team_id, std::string_view uuid) const {
  std::lock_guard db_lock(db_mu_);
  return SelectPropertyDefinition(*db_, team_id, uuid);
}

StatusOr<EventDefinition> SqliteMetaStore::UpdateEventDefinitionNotes(
    int64_t team_id, std::string_view uuid, const DefinitionNotesChange& change,
    std::optional<int64_t> user_id) {
  std::lock_guard db_lock(db_mu_);
  return meta::UpdateEventDefinitionNotes(*db_, team_id, uuid, change, user_id, clock_.NowMicros());
}

StatusOr<PropertyDefinition> SqliteMetaStore::UpdatePropertyDefinitionNotes(
    int64_t team_id, std::string_view uuid, const DefinitionNotesChange& change,
    std::optional<int64_t> user_id) {
  std::lock_guard db_lock(db_mu_);
  return meta::UpdatePropertyDefinitionNotes(*db_, team_id, uuid, change, user_id,
                                             clock_.NowMicros());
}

StatusOr<std::unique_ptr<MetaStore>> OpenSqliteMetaStore(const std::string& path,
                                                         const Clock& clock) {
  sqlite::OpenOptions options;
  options.name = "metadata database";
  options.busy_timeout_ms = kBusyTimeoutMs;
  options.foreign_keys = true;
  HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Connection> db,
                          sqlite::Connection::Open(path, options));
  Status migrated = sqlite::Migrate(*db, SchemaMigrations(), clock.NowMicros());
  if (!migrated.ok()) return migrated.WithContext("metadata database " + path);
  auto store = std::make_unique<SqliteMetaStore>(std::move(db), clock);
  HOGLET_RETURN_IF_ERROR(store->LoadCache());
  return std::unique_ptr<MetaStore>(std::move(store));
}

}  // namespace hoglet::meta
