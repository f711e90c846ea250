// Internals of the SQLite metadata store (not part of the public API; include
// meta/sqlite_meta_store.h instead): the store's class, whose methods are defined by concept:
//
//   sqlite_meta_store.cc           opening, loading the cache, event and property definitions
//   sqlite_meta_store_projects.cc  organizations and projects
//   sqlite_meta_store_users.cc     users and their passwords
//   sqlite_meta_store_api_keys.cc  personal API keys and their authentication
//   sqlite_meta_store_sessions.cc  browser sessions
//   sqlite_meta_store_bootstrap.cc Bootstrap
//   sqlite_meta_store_flags.cc     feature flags, cohorts and generation numbers
//   sqlite_meta_store_insights.cc  insights, dashboards and dashboard tiles
//   sqlite_meta_store_group_types.cc  names of group types
//
// The SQL of definitions, flags and cohorts, insights and dashboards is in sqlite_definitions.h,
// sqlite_feature_flags.h, sqlite_insights.h and sqlite_dashboards.h; the connection, statements and
// transactions are sqlite/.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "meta/meta_store.h"
#include "sqlite/connection.h"

namespace hoglet::meta {

// Every read is served from these maps; every write goes to SQLite first and then here, under
// the store's database mutex, so the cache never shows what the file does not hold.
//
// Lock order: db_mu_ before cache_mu_. Readers take only cache_mu_ (shared).
class SqliteMetaStore final : public MetaStore {
 public:
  SqliteMetaStore(std::unique_ptr<sqlite::Connection> db, const Clock& clock)
      : clock_(clock), db_(std::move(db)) {}

  Status LoadCache();

  StatusOr<BootstrapResult> Bootstrap(const BootstrapRequest& request) override;
  StatusOr<Project> ProjectByToken(std::string_view api_token) const override;
  StatusOr<Project> ProjectBySecretToken(std::string_view secret_api_token) const override;
  StatusOr<Project> ProjectById(int64_t id) const override;
  StatusOr<std::vector<Project>> ProjectsOfOrganization(
      std::string_view organization_id) const override;
  StatusOr<Organization> CreateOrganization(std::string_view name) override;
  StatusOr<Project> CreateProject(std::string_view organization_id, std::string_view name) override;
  StatusOr<Project> UpdateProject(const Project& project) override;
  Status DeleteProject(int64_t id) override;
  StatusOr<User> CreateUser(std::string_view organization_id, std::string_view email,
                            std::string_view first_name) override;
  StatusOr<User> UserById(int64_t id) const override;
  StatusOr<Organization> OrganizationById(std::string_view id) const override;
  StatusOr<AuthenticatedKey> AuthenticatePersonalApiKey(std::string_view key) override;
  StatusOr<NewPersonalApiKey> CreatePersonalApiKey(int64_t user_id, std::string_view label,
                                                   std::vector<std::string> scopes) override;
  StatusOr<PersonalApiKey> UpdatePersonalApiKey(int64_t user_id, std::string_view key_id,
                                                const PersonalApiKeyUpdate& update) override;
  StatusOr<std::vector<PersonalApiKey>> ListPersonalApiKeys(int64_t user_id) const override;
  Status DeletePersonalApiKey(int64_t user_id, std::string_view key_id) override;
  Status SetUserPassword(int64_t user_id, std::string_view password) override;
  StatusOr<User> AuthenticatePassword(std::string_view email, std::string_view password) override;
  StatusOr<bool> AnyUserHasPassword() const override;
  StatusOr<NewSession> CreateSession(int64_t user_id, int64_t lifetime_us) override;
  StatusOr<SessionInfo> SessionByToken(std::string_view token) override;
  Status DeleteSession(std::string_view token) override;
  Status DeleteUserSessions(int64_t user_id) override;
  StatusOr<RecordedDefinitions> RecordDefinitions(
      int64_t team_id, const std::vector<EventDefinitionSeen>& events,
      const std::vector<PropertyDefinitionSeen>& properties,
      const DefinitionLimits& limits) override;
  StatusOr<RecordedEventProperties> RecordEventProperties(
      int64_t team_id, const std::vector<EventPropertySeen>& pairs,
      const EventPropertyLimits& limits) override;
  StatusOr<DefinitionPage<EventDefinition>> ListEventDefinitions(
      const DefinitionListQuery& query) const override;
  StatusOr<DefinitionPage<PropertyDefinition>> ListPropertyDefinitions(
      const DefinitionListQuery& query) const override;
  StatusOr<EventDefinition> EventDefinitionByUuid(int64_t team_id,
                                                  std::string_view uuid) const override;
  StatusOr<PropertyDefinition> PropertyDefinitionByUuid(int64_t team_id,
                                                        std::string_view uuid) const override;
  StatusOr<EventDefinition> UpdateEventDefinitionNotes(int64_t team_id, std::string_view uuid,
                                                       const DefinitionNotesChange& change,
                                                       std::optional<int64_t> user_id) override;
  StatusOr<PropertyDefinition> UpdatePropertyDefinitionNotes(
      int64_t team_id, std::string_view uuid, const DefinitionNotesChange& change,
      std::optional<int64_t> user_id) override;
  StatusOr<std::vector<GroupTypeNames>> ListGroupTypeNames(int64_t team_id) const override;
  Status SetGroupTypeNames(int64_t team_id, const GroupTypeNames& names) override;
  StatusOr<FeatureFlagRecord> CreateFeatureFlag(const FeatureFlagRecord& flag) override;
  StatusOr<FeatureFlagRecord> UpdateFeatureFlag(const FeatureFlagRecord& flag) override;
  StatusOr<FeatureFlagRecord> FeatureFlagById(int64_t team_id, int64_t id) const override;
  StatusOr<std::vector<FeatureFlagRecord>> ListFeatureFlags(int64_t team_id,
                                                            bool include_deleted) const override;
  StatusOr<CohortRecord> CreateCohort(const CohortRecord& cohort) override;
  StatusOr<CohortRecord> UpdateCohort(const CohortRecord& cohort) override;
  StatusOr<CohortRecord> CohortById(int64_t team_id, int64_t id) const override;
  StatusOr<std::vector<CohortRecord>> ListCohorts(int64_t team_id,
                                                  bool include_deleted) const override;
  StatusOr<ActionRecord> CreateAction(const ActionRecord& action) override;
  StatusOr<ActionRecord> UpdateAction(const ActionRecord& action) override;
  StatusOr<ActionRecord> ActionById(int64_t team_id, int64_t id) const override;
  StatusOr<std::vector<ActionRecord>> ListActions(int64_t team_id,
                                                  bool include_deleted) const override;
  StatusOr<AnnotationRecord> CreateAnnotation(const AnnotationRecord& annotation) override;
  StatusOr<AnnotationRecord> UpdateAnnotation(const AnnotationRecord& annotation) override;
  StatusOr<AnnotationRecord> AnnotationById(int64_t team_id, int64_t id) const override;
  StatusOr<std::vector<AnnotationRecord>> ListAnnotations(int64_t team_id,
                                                          bool include_deleted) const override;
  StatusOr<InsightRecord> CreateInsight(const InsightRecord& insight) override;
  StatusOr<InsightRecord> UpdateInsight(const InsightRecord& insight) override;
  StatusOr<InsightRecord> InsightById(int64_t team_id, int64_t id) const override;
  StatusOr<InsightRecord> InsightByShortId(int64_t team_id,
                                           std::string_view short_id) const override;
  StatusOr<std::vector<InsightRecord>> ListInsights(int64_t team_id,
                                                    bool include_deleted) const override;
  StatusOr<DashboardRecord> CreateDashboard(const DashboardRecord& dashboard) override;
  StatusOr<DashboardRecord> UpdateDashboard(const DashboardRecord& dashboard) override;
  StatusOr<DashboardRecord> DashboardById(int64_t team_id, int64_t id) const override;
  StatusOr<std::vector<DashboardRecord>> ListDashboards(int64_t team_id,
                                                        bool include_deleted) const override;
  Status SetInsightDashboards(int64_t team_id, int64_t insight_id,
                              const std::vector<int64_t>& dashboard_ids) override;
  StatusOr<DashboardTileRecord> CreateDashboardTile(int64_t team_id,
                                                    const DashboardTileRecord& tile) override;
  StatusOr<DashboardTileRecord> UpdateDashboardTile(int64_t team_id,
                                                    const DashboardTileRecord& tile) override;
  StatusOr<std::vector<DashboardTileRecord>> TilesOfDashboard(int64_t team_id,
                                                              int64_t dashboard_id) const override;
  StatusOr<std::vector<DashboardTileRecord>> TilesOfInsight(int64_t team_id,
                                                            int64_t insight_id) const override;
  uint64_t FlagsGeneration(int64_t team_id) const override;

  // A key's last_used_at before its first use.
  static constexpr int64_t kNeverUsed = std::numeric_limits<int64_t>::min();

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

  // What authentication needs of a stored key, indexed by its hash.
  struct KeyEntry {
    std::string id;
    int64_t user_id = 0;
    int64_t last_used_at_us = kNeverUsed;
    std::vector<std::string> scopes;
  };

  // The Insert* helpers write inside the caller's transaction, with db_mu_ held.
  StatusOr<Organization> InsertOrganization(std::string_view name);
  StatusOr<User> InsertUser(const std::string& organization_id, std::string_view email,
                            std::string_view first_name = {});
  StatusOr<Project> InsertProject(std::optional<int64_t> id, const std::string& organization_id,
                                  std::string_view name, const std::string& api_token);
  StatusOr<NewPersonalApiKey> InsertPersonalApiKey(int64_t user_id, std::string_view label,
                                                   const std::string& plain_key,
                                                   std::vector<std::string> scopes);
  // Remembers that Bootstrap created the key with this hash, in the caller's transaction.
  Status RecordBootstrapKey(const std::string& hash, int64_t created_at_us);
  // Whether Bootstrap ever created the key with this hash.
  StatusOr<bool> WasBootstrapKey(const std::string& hash);
  StatusOr<BootstrapResult> BootstrapEmptyStore(const BootstrapRequest& request);
  StatusOr<BootstrapResult> BootstrapExistingStore(const BootstrapRequest& request);
  // kNotFound unless the project exists; the caller holds db_mu_.
  Status CheckProjectExists(int64_t team_id) const;
  // Runs `write` (a flag or cohort write at `now_us`) in a transaction together with the
  // project's next generation number, and publishes that number after the commit. The caller
  // holds db_mu_. Defined in sqlite_meta_store_flags.cc, its only user.
  template <typename Record, typename Write>
  StatusOr<Record> WriteFlagState(int64_t team_id, int64_t now_us, const Write& write);

  // Cache updates; the caller holds db_mu_ and not cache_mu_.
  void CacheProject(const Project& project);
  void CacheKey(const NewPersonalApiKey& created);

  const Clock& clock_;

  // One connection, used by one thread at a time: the metadata store's writes are rare and
  // small, and its hot reads come from the cache below.
  mutable std::mutex db_mu_;
  std::unique_ptr<sqlite::Connection> db_;  // guarded by db_mu_

  mutable std::shared_mutex cache_mu_;
  std::map<std::string, Organization, std::less<>> organizations_;  // guarded by cache_mu_
  std::map<int64_t, User> users_;                                   // guarded by cache_mu_
  std::map<int64_t, Project> projects_;                             // guarded by cache_mu_
  StringMap<int64_t> project_by_token_;                             // guarded by cache_mu_
  StringMap<int64_t> project_by_secret_token_;                      // guarded by cache_mu_
  // team → FlagsGeneration; a copy of flags_generations.
  std::unordered_map<int64_t, uint64_t> flags_generations_;  // guarded by cache_mu_
  StringMap<KeyEntry> keys_by_hash_;                         // guarded by cache_mu_
};

}  // namespace hoglet::meta
