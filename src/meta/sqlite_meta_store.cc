#include "meta/sqlite_meta_store.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>
#include <utility>

#include "base/logging.h"
#include "base/random.h"
#include "base/uuid.h"
#include "meta/api_key_scopes.h"
#include "meta/api_tokens.h"
#include "meta/meta_rows.h"
#include "meta/password_hash.h"
#include "meta/schema_migrations.h"
#include "meta/sqlite_definitions.h"
#include "meta/sqlite_feature_flags.h"
#include "sqlite/connection.h"
#include "sqlite/migrations.h"
#include "sqlite/transaction.h"

namespace hoglet::meta {
namespace {

constexpr int kBusyTimeoutMs = 5000;
// A key's last_used_at is written at most this often, so authentication stays a memory lookup.
constexpr int64_t kLastUsedResolutionUs = 60'000'000;
constexpr int64_t kNeverUsed = std::numeric_limits<int64_t>::min();
constexpr size_t kMaxLabelBytes = 255;
constexpr size_t kMaxEmailBytes = 254;  // RFC 5321's limit on a forward path
constexpr std::string_view kBootstrapKeyLabel = "Bootstrap key";

// True when a key last used at `last_used_us` (kNeverUsed for never) should record `now_us`.
bool LastUseIsStale(int64_t last_used_us, int64_t now_us) {
  return last_used_us == kNeverUsed || now_us - last_used_us >= kLastUsedResolutionUs;
}

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Verified against when the email is unknown or the user has no password, so that answer takes
// as long as a wrong password. Hashed once, from a random password nobody knows.
const std::string& DecoyPasswordHash() {
  static const std::string decoy = [] {
    StatusOr<std::string> hashed = HashPassword(RandomBase62(32));
    if (hashed.ok()) return *std::move(hashed);
    // Logins still fail as they should; only the timing of unknown emails differs.
    LogWarning("hashing the decoy password: " + hashed.status().ToString());
    return std::string();
  }();
  return decoy;
}

template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// What authentication needs of a stored key, indexed by its hash.
struct KeyEntry {
  std::string id;
  int64_t user_id = 0;
  int64_t last_used_at_us = kNeverUsed;
  std::vector<std::string> scopes;
};

Status ValidateLabel(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabelBytes) {
    return InvalidArgumentError("a personal API key label must be 1 to 255 bytes long",
                                "invalid_label");
  }
  return Status::Ok();
}

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
  StatusOr<RecordedDefinitions> RecordDefinitions(
      int64_t team_id, const std::vector<EventDefinitionSeen>& events,
      const std::vector<PropertyDefinitionSeen>& properties,
      const DefinitionLimits& limits) override;
  StatusOr<DefinitionPage<EventDefinition>> ListEventDefinitions(
      const DefinitionListQuery& query) const override;
  StatusOr<DefinitionPage<PropertyDefinition>> ListPropertyDefinitions(
      const DefinitionListQuery& query) const override;
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
  uint64_t FlagsGeneration(int64_t team_id) const override;

 private:
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
  // holds db_mu_.
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

StatusOr<Organization> SqliteMetaStore::InsertOrganization(std::string_view name) {
  Organization org;
  org.created_at_us = clock_.NowMicros();
  org.id = Uuid::V7(org.created_at_us).ToString();
  org.name = std::string(name);
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement insert,
      db_->Prepare("INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)"));
  HOGLET_RETURN_IF_ERROR(insert.BindAll(org.id, org.name, org.created_at_us));
  HOGLET_RETURN_IF_ERROR(insert.Run());
  return org;
}

StatusOr<User> SqliteMetaStore::InsertUser(const std::string& organization_id,
                                           std::string_view email, std::string_view first_name) {
  User user;
  user.created_at_us = clock_.NowMicros();
  user.uuid = Uuid::V7(user.created_at_us).ToString();
  user.email = std::string(email);
  user.first_name = std::string(first_name);
  user.organization_id = organization_id;
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement insert,
                          db_->Prepare("INSERT INTO users (uuid, organization_id, email, "
                                       "first_name, created_at) VALUES (?, ?, ?, ?, ?)"));
  HOGLET_RETURN_IF_ERROR(insert.BindAll(user.uuid, user.organization_id, user.email,
                                        user.first_name, user.created_at_us));
  HOGLET_RETURN_IF_ERROR(insert.Run());
  user.id = db_->LastInsertRowId();
  return user;
}

StatusOr<Project> SqliteMetaStore::InsertProject(std::optional<int64_t> id,
                                                 const std::string& organization_id,
                                                 std::string_view name,
                                                 const std::string& api_token) {
  Project project;
  project.organization_id = organization_id;
  project.name = std::string(name);
  project.api_token = api_token;
  project.secret_api_token = GenerateToken(kSecretTokenPrefix);
  project.created_at_us = clock_.NowMicros();
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement insert,
      db_->Prepare("INSERT INTO projects (id, organization_id, name, api_token, secret_api_token, "
                   "timezone, week_start_day, anonymize_ips, person_processing_opt_out, "
                   "test_account_filters, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  HOGLET_RETURN_IF_ERROR(insert.BindAll(
      id, project.organization_id, project.name, project.api_token, project.secret_api_token,
      project.timezone, project.week_start_day, project.anonymize_ips,
      project.person_processing_opt_out, project.test_account_filters, project.created_at_us));
  HOGLET_RETURN_IF_ERROR(insert.Run());
  project.id = db_->LastInsertRowId();
  return project;
}

StatusOr<NewPersonalApiKey> SqliteMetaStore::InsertPersonalApiKey(int64_t user_id,
                                                                  std::string_view label,
                                                                  const std::string& plain_key,
                                                                  std::vector<std::string> scopes) {
  NewPersonalApiKey created;
  created.plain_key = plain_key;
  PersonalApiKey& key = created.key;
  key.created_at_us = clock_.NowMicros();
  key.id = Uuid::V7(key.created_at_us).ToString();
  key.user_id = user_id;
  key.label = std::string(label);
  key.mask_value = MaskPersonalApiKey(plain_key);
  key.scopes = std::move(scopes);
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement insert,
      db_->Prepare("INSERT INTO personal_api_keys (id, user_id, label, secure_value, mask_value, "
                   "created_at, scopes) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  HOGLET_RETURN_IF_ERROR(insert.BindAll(key.id, key.user_id, key.label,
                                        HashPersonalApiKey(plain_key), key.mask_value,
                                        key.created_at_us, JoinScopes(key.scopes)));
  HOGLET_RETURN_IF_ERROR(insert.Run());
  return created;
}

Status SqliteMetaStore::RecordBootstrapKey(const std::string& hash, int64_t created_at_us) {
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement insert,
                          db_->Prepare("INSERT OR IGNORE INTO bootstrap_personal_api_keys "
                                       "(secure_value, created_at) VALUES (?, ?)"));
  HOGLET_RETURN_IF_ERROR(insert.BindAll(hash, created_at_us));
  return insert.Run();
}

StatusOr<bool> SqliteMetaStore::WasBootstrapKey(const std::string& hash) {
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement query,
      db_->Prepare("SELECT 1 FROM bootstrap_personal_api_keys WHERE secure_value = ?"));
  HOGLET_RETURN_IF_ERROR(query.BindAll(hash));
  return query.Step();
}

void SqliteMetaStore::CacheProject(const Project& project) {
  std::unique_lock lock(cache_mu_);
  auto old = projects_.find(project.id);
  if (old != projects_.end()) {
    project_by_token_.erase(old->second.api_token);
    project_by_secret_token_.erase(old->second.secret_api_token);
  }
  projects_[project.id] = project;
  project_by_token_[project.api_token] = project.id;
  project_by_secret_token_[project.secret_api_token] = project.id;
}

void SqliteMetaStore::CacheKey(const NewPersonalApiKey& created) {
  std::unique_lock lock(cache_mu_);
  keys_by_hash_[HashPersonalApiKey(created.plain_key)] =
      KeyEntry{created.key.id, created.key.user_id, kNeverUsed, created.key.scopes};
}

StatusOr<BootstrapResult> SqliteMetaStore::Bootstrap(const BootstrapRequest& request) {
  if (!request.project_token.empty()) {
    HOGLET_RETURN_IF_ERROR(
        ValidateToken(request.project_token, kProjectTokenPrefix, "the project token"));
  }
  if (!request.personal_api_key.empty()) {
    HOGLET_RETURN_IF_ERROR(
        ValidateToken(request.personal_api_key, kPersonalApiKeyPrefix, "the personal API key"));
  }
  std::lock_guard db_lock(db_mu_);
  bool empty = false;
  {
    std::shared_lock lock(cache_mu_);
    empty = organizations_.empty();
  }
  return empty ? BootstrapEmptyStore(request) : BootstrapExistingStore(request);
}

StatusOr<BootstrapResult> SqliteMetaStore::BootstrapEmptyStore(const BootstrapRequest& request) {
  std::string project_token =
      request.project_token.empty() ? GenerateToken(kProjectTokenPrefix) : request.project_token;
  std::string plain_key = request.personal_api_key.empty() ? GenerateToken(kPersonalApiKeyPrefix)
                                                           : request.personal_api_key;
  HOGLET_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(*db_));
  HOGLET_ASSIGN_OR_RETURN(Organization org, InsertOrganization(request.organization_name));
  HOGLET_ASSIGN_OR_RETURN(User user, InsertUser(org.id, request.user_email));
  HOGLET_ASSIGN_OR_RETURN(Project project,
                          InsertProject(1, org.id, request.project_name, project_token));
  HOGLET_ASSIGN_OR_RETURN(NewPersonalApiKey key,
                          InsertPersonalApiKey(user.id, kBootstrapKeyLabel, plain_key,
                                               {std::string(kFullAccessScope)}));
  HOGLET_RETURN_IF_ERROR(RecordBootstrapKey(HashPersonalApiKey(plain_key), key.key.created_at_us));
  HOGLET_RETURN_IF_ERROR(txn.Commit());
  {
    std::unique_lock lock(cache_mu_);
    organizations_[org.id] = org;
    users_[user.id] = user;
  }
  CacheProject(project);
  CacheKey(key);
  BootstrapResult result;
  result.created = true;
  result.project = std::move(project);
  result.personal_api_key = std::move(key.plain_key);
  return result;
}

StatusOr<BootstrapResult> SqliteMetaStore::BootstrapExistingStore(const BootstrapRequest& request) {
  BootstrapResult result;
  int64_t first_user_id = 0;
  bool add_key = false;
  {
    std::shared_lock lock(cache_mu_);
    if (!request.project_token.empty()) {
      auto found = project_by_token_.find(request.project_token);
      if (found == project_by_token_.end()) {
        std::string stored = projects_.empty()
                                 ? std::string("no project")
                                 : "project " + std::to_string(projects_.begin()->first) +
                                       " with token " + projects_.begin()->second.api_token;
        return AlreadyExistsError(
            "the data directory was initialised with another project token (it holds " + stored +
                "); the given initial project token is not in it. Remove the initial project "
                "token setting to use the stored project, or start with an empty data "
                "directory",
            "project_token_mismatch");
      }
      result.project = projects_.at(found->second);
    } else if (!projects_.empty()) {
      result.project = projects_.begin()->second;
    } else {
      return NotFoundError("the metadata store has an organization but no project left");
    }
    if (!request.personal_api_key.empty() &&
        !keys_by_hash_.contains(HashPersonalApiKey(request.personal_api_key))) {
      if (users_.empty()) {
        return NotFoundError("the metadata store has no user to own the initial personal API key");
      }
      first_user_id = users_.begin()->first;
      add_key = true;
    }
  }
  if (!add_key) return result;
  // A key an earlier Bootstrap created is missing only because it was deleted: keep it so.
  const std::string hash = HashPersonalApiKey(request.personal_api_key);
  HOGLET_ASSIGN_OR_RETURN(bool revoked, WasBootstrapKey(hash));
  if (revoked) {
    result.personal_api_key_revoked = true;
    return result;
  }
  HOGLET_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(*db_));
  HOGLET_ASSIGN_OR_RETURN(
      NewPersonalApiKey key,
      InsertPersonalApiKey(first_user_id, kBootstrapKeyLabel, request.personal_api_key,
                           {std::string(kFullAccessScope)}));
  HOGLET_RETURN_IF_ERROR(RecordBootstrapKey(hash, key.key.created_at_us));
  HOGLET_RETURN_IF_ERROR(txn.Commit());
  CacheKey(key);
  result.personal_api_key_added = true;
  return result;
}

StatusOr<Project> SqliteMetaStore::ProjectByToken(std::string_view api_token) const {
  std::shared_lock lock(cache_mu_);
  auto found = project_by_token_.find(api_token);
  if (found == project_by_token_.end()) {
    return NotFoundError("no project has this API token", "invalid_api_key");
  }
  return projects_.at(found->second);
}

StatusOr<Project> SqliteMetaStore::ProjectBySecretToken(std::string_view secret_api_token) const {
  std::shared_lock lock(cache_mu_);
  auto found = project_by_secret_token_.find(secret_api_token);
  if (found == project_by_secret_token_.end()) {
    return NotFoundError("no project has this secret API token", "invalid_api_key");
  }
  return projects_.at(found->second);
}

StatusOr<Project> SqliteMetaStore::ProjectById(int64_t id) const {
  std::shared_lock lock(cache_mu_);
  auto found = projects_.find(id);
  if (found == projects_.end()) {
    return NotFoundError("project " + std::to_string(id) + " does not exist");
  }
  return found->second;
}

StatusOr<std::vector<Project>> SqliteMetaStore::ProjectsOfOrganization(
    std::string_view organization_id) const {
  std::shared_lock lock(cache_mu_);
  std::vector<Project> projects;
  for (const auto& [id, project] : projects_) {
    if (project.organization_id == organization_id) projects.push_back(project);
  }
  return projects;
}

StatusOr<Organization> SqliteMetaStore::CreateOrganization(std::string_view name) {
  if (name.empty()) {
    return InvalidArgumentError("an organization needs a name", "invalid_name");
  }
  std::lock_guard db_lock(db_mu_);
  HOGLET_ASSIGN_OR_RETURN(Organization org, InsertOrganization(name));
  std::unique_lock lock(cache_mu_);
  organizations_[org.id] = org;
  return org;
}

StatusOr<Project> SqliteMetaStore::CreateProject(std::string_view organization_id,
                                                 std::string_view name) {
  if (name.empty()) return InvalidArgumentError("a project needs a name", "invalid_name");
  std::lock_guard db_lock(db_mu_);
  {
    std::shared_lock lock(cache_mu_);
    if (!organizations_.contains(organization_id)) {
      return NotFoundError("organization " + std::string(organization_id) + " does not exist");
    }
  }
  HOGLET_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(*db_));
  HOGLET_ASSIGN_OR_RETURN(Project project, InsertProject(std::nullopt, std::string(organization_id),
                                                         name, GenerateToken(kProjectTokenPrefix)));
  HOGLET_RETURN_IF_ERROR(txn.Commit());
  CacheProject(project);
  return project;
}

StatusOr<Project> SqliteMetaStore::UpdateProject(const Project& project) {
  if (project.name.empty()) return InvalidArgumentError("a project needs a name", "invalid_name");
  if (project.timezone.empty()) {
    return InvalidArgumentError("a project needs a timezone (an IANA name such as UTC)",
                                "invalid_timezone");
  }
  if (project.week_start_day != 0 && project.week_start_day != 1) {
    return InvalidArgumentError("week_start_day must be 0 (Sunday) or 1 (Monday), not " +
                                    std::to_string(project.week_start_day),
                                "invalid_week_start_day");
  }
  std::lock_guard db_lock(db_mu_);
  {
    std::shared_lock lock(cache_mu_);
    auto found = projects_.find(project.id);
    if (found == projects_.end()) {
      return NotFoundError("project " + std::to_string(project.id) + " does not exist");
    }
    const Project& stored = found->second;
    if (stored.organization_id != project.organization_id ||
        stored.api_token != project.api_token ||
        stored.secret_api_token != project.secret_api_token ||
        stored.created_at_us != project.created_at_us) {
      return InvalidArgumentError(
          "a project's organization, tokens and creation time cannot be changed");
    }
  }
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement check,
      db_->Prepare("SELECT CASE WHEN json_valid(?1) THEN json_type(?1) = 'array' "
                   "ELSE 0 END"));
  HOGLET_RETURN_IF_ERROR(check.BindAll(project.test_account_filters));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, check.Step());
  if (!has_row || !check.ColumnBool(0)) {
    return InvalidArgumentError("test_account_filters must be a JSON array of property filters",
                                "invalid_test_account_filters");
  }
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement update,
      db_->Prepare("UPDATE projects SET name = ?, timezone = ?, week_start_day = ?, "
                   "anonymize_ips = ?, person_processing_opt_out = ?, test_account_filters = ? "
                   "WHERE id = ?"));
  HOGLET_RETURN_IF_ERROR(update.BindAll(project.name, project.timezone, project.week_start_day,
                                        project.anonymize_ips, project.person_processing_opt_out,
                                        project.test_account_filters, project.id));
  HOGLET_RETURN_IF_ERROR(update.Run());
  CacheProject(project);
  return project;
}

Status SqliteMetaStore::DeleteProject(int64_t id) {
  std::lock_guard db_lock(db_mu_);
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement remove,
                          db_->Prepare("DELETE FROM projects WHERE id = ?"));
  HOGLET_RETURN_IF_ERROR(remove.BindAll(id));
  HOGLET_RETURN_IF_ERROR(remove.Run());
  if (db_->Changes() == 0)
    return NotFoundError("project " + std::to_string(id) + " does not exist");
  std::unique_lock lock(cache_mu_);
  auto found = projects_.find(id);
  if (found != projects_.end()) {
    project_by_token_.erase(found->second.api_token);
    project_by_secret_token_.erase(found->second.secret_api_token);
    projects_.erase(found);
  }
  // Its flags, cohorts and generation row went with it (ON DELETE CASCADE).
  flags_generations_.erase(id);
  return Status::Ok();
}

StatusOr<User> SqliteMetaStore::CreateUser(std::string_view organization_id, std::string_view email,
                                           std::string_view first_name) {
  if (email.empty() || email.size() > kMaxEmailBytes || email.find('@') == std::string_view::npos) {
    return InvalidArgumentError("a user needs an email address of at most 254 bytes",
                                "invalid_email");
  }
  std::lock_guard db_lock(db_mu_);
  {
    std::shared_lock lock(cache_mu_);
    if (!organizations_.contains(organization_id)) {
      return NotFoundError("organization " + std::string(organization_id) + " does not exist");
    }
  }
  auto user = InsertUser(std::string(organization_id), email, first_name);
  if (!user.ok()) {
    if (user.status().code() != StatusCode::kAlreadyExists) return user.status();
    return AlreadyExistsError("a user with email " + std::string(email) + " already exists",
                              "email_taken");
  }
  std::unique_lock lock(cache_mu_);
  users_[user->id] = *user;
  return user;
}

StatusOr<User> SqliteMetaStore::UserById(int64_t id) const {
  std::shared_lock lock(cache_mu_);
  auto found = users_.find(id);
  if (found == users_.end()) return NotFoundError("user " + std::to_string(id) + " does not exist");
  return found->second;
}

StatusOr<Organization> SqliteMetaStore::OrganizationById(std::string_view id) const {
  std::shared_lock lock(cache_mu_);
  auto found = organizations_.find(id);
  if (found == organizations_.end()) {
    return NotFoundError("organization " + std::string(id) + " does not exist");
  }
  return found->second;
}

StatusOr<AuthenticatedKey> SqliteMetaStore::AuthenticatePersonalApiKey(std::string_view key) {
  const std::string hash = HashPersonalApiKey(key);
  const int64_t now_us = clock_.NowMicros();
  AuthenticatedKey caller;
  bool touch = false;
  {
    std::shared_lock lock(cache_mu_);
    auto found = keys_by_hash_.find(hash);
    auto owner = found == keys_by_hash_.end() ? users_.end() : users_.find(found->second.user_id);
    if (owner == users_.end()) {
      return UnauthenticatedError(
          "the personal API key is not valid: it does not exist or has been deleted",
          "invalid_personal_api_key");
    }
    caller.user = owner->second;
    caller.key_id = found->second.id;
    caller.scopes = found->second.scopes;
    touch = LastUseIsStale(found->second.last_used_at_us, now_us);
  }
  if (!touch) return caller;
  {
    // Claim the write under the exclusive lock so concurrent requests write it once.
    std::unique_lock lock(cache_mu_);
    auto found = keys_by_hash_.find(hash);
    if (found == keys_by_hash_.end() || !LastUseIsStale(found->second.last_used_at_us, now_us)) {
      return caller;
    }
    found->second.last_used_at_us = now_us;
  }
  std::lock_guard db_lock(db_mu_);
  Status written = [&]() -> Status {
    HOGLET_ASSIGN_OR_RETURN(
        sqlite::Statement update,
        db_->Prepare("UPDATE personal_api_keys SET last_used_at = ? WHERE id = ?"));
    HOGLET_RETURN_IF_ERROR(update.BindAll(now_us, caller.key_id));
    return update.Run();
  }();
  // The key is valid whatever happens to this bookkeeping write; the request goes on.
  if (!written.ok()) LogWarning("recording a personal API key's last use: " + written.ToString());
  return caller;
}

StatusOr<NewPersonalApiKey> SqliteMetaStore::CreatePersonalApiKey(int64_t user_id,
                                                                  std::string_view label,
                                                                  std::vector<std::string> scopes) {
  HOGLET_RETURN_IF_ERROR(ValidateLabel(label));
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> normalized, NormalizeScopes(std::move(scopes)));
  std::lock_guard db_lock(db_mu_);
  {
    std::shared_lock lock(cache_mu_);
    if (!users_.contains(user_id)) {
      return NotFoundError("user " + std::to_string(user_id) + " does not exist");
    }
  }
  HOGLET_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(*db_));
  HOGLET_ASSIGN_OR_RETURN(NewPersonalApiKey created,
                          InsertPersonalApiKey(user_id, label, GenerateToken(kPersonalApiKeyPrefix),
                                               std::move(normalized)));
  HOGLET_RETURN_IF_ERROR(txn.Commit());
  CacheKey(created);
  return created;
}

StatusOr<std::vector<PersonalApiKey>> SqliteMetaStore::ListPersonalApiKeys(int64_t user_id) const {
  // Listing is rare (a settings page); read the file rather than keep labels in memory.
  std::lock_guard db_lock(db_mu_);
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement query,
      db_->Prepare("SELECT " + std::string(kPersonalApiKeyColumns) +
                   " FROM personal_api_keys WHERE user_id = ? ORDER BY created_at, rowid"));
  HOGLET_RETURN_IF_ERROR(query.BindAll(user_id));
  std::vector<PersonalApiKey> keys;
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    keys.push_back(ReadPersonalApiKey(query));
  }
  return keys;
}

StatusOr<PersonalApiKey> SqliteMetaStore::UpdatePersonalApiKey(int64_t user_id,
                                                               std::string_view key_id,
                                                               const PersonalApiKeyUpdate& update) {
  if (update.label) HOGLET_RETURN_IF_ERROR(ValidateLabel(*update.label));
  std::optional<std::string> stored_scopes;  // nullopt: keep the stored ones
  if (update.scopes) {
    HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> scopes, NormalizeScopes(*update.scopes));
    stored_scopes = JoinScopes(scopes);
  }
  std::lock_guard db_lock(db_mu_);
  // COALESCE keeps a column whose new value is NULL (not asked for).
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement write,
      db_->Prepare("UPDATE personal_api_keys SET label = COALESCE(?, label), "
                   "scopes = COALESCE(?, scopes) WHERE id = ? AND user_id = ? RETURNING " +
                   std::string(kPersonalApiKeyColumns) + ", secure_value"));
  HOGLET_RETURN_IF_ERROR(write.BindAll(update.label, stored_scopes, key_id, user_id));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, write.Step());
  if (!has_row) {
    return NotFoundError("user " + std::to_string(user_id) + " has no personal API key " +
                         std::string(key_id));
  }
  PersonalApiKey key = ReadPersonalApiKey(write);
  constexpr int kSecureValueColumn = 7;  // after the kPersonalApiKeyColumns
  std::string hash = write.ColumnText(kSecureValueColumn);
  HOGLET_ASSIGN_OR_RETURN(bool more, write.Step());  // completes the UPDATE
  if (more) return InternalError("a personal API key id matched two rows");
  std::unique_lock lock(cache_mu_);
  auto cached = keys_by_hash_.find(hash);
  if (cached != keys_by_hash_.end()) cached->second.scopes = key.scopes;
  return key;
}

Status SqliteMetaStore::DeletePersonalApiKey(int64_t user_id, std::string_view key_id) {
  std::lock_guard db_lock(db_mu_);
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement remove,
                          db_->Prepare("DELETE FROM personal_api_keys WHERE id = ? AND user_id = ? "
                                       "RETURNING secure_value"));
  HOGLET_RETURN_IF_ERROR(remove.BindAll(key_id, user_id));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, remove.Step());
  if (!has_row) {
    return NotFoundError("user " + std::to_string(user_id) + " has no personal API key " +
                         std::string(key_id));
  }
  std::string hash = remove.ColumnText(0);
  HOGLET_ASSIGN_OR_RETURN(bool more, remove.Step());  // completes the DELETE
  if (more) return InternalError("a personal API key id matched two rows");
  std::unique_lock lock(cache_mu_);
  keys_by_hash_.erase(hash);
  return Status::Ok();
}

Status SqliteMetaStore::SetUserPassword(int64_t user_id, std::string_view password) {
  {
    std::shared_lock lock(cache_mu_);
    if (!users_.contains(user_id)) {
      return NotFoundError("user " + std::to_string(user_id) + " does not exist");
    }
  }
  // Hashed before taking the database lock: Argon2id is slow on purpose, and other writers
  // should not wait for it.
  HOGLET_ASSIGN_OR_RETURN(std::string encoded, HashPassword(password));
  std::lock_guard db_lock(db_mu_);
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement update,
                          db_->Prepare("UPDATE users SET password_hash = ? WHERE id = ?"));
  HOGLET_RETURN_IF_ERROR(update.BindAll(encoded, user_id));
  HOGLET_RETURN_IF_ERROR(update.Run());
  if (db_->Changes() == 0) {
    return NotFoundError("user " + std::to_string(user_id) + " does not exist");
  }
  return Status::Ok();
}

StatusOr<User> SqliteMetaStore::AuthenticatePassword(std::string_view email,
                                                     std::string_view password) {
  std::optional<User> user;
  std::string encoded;
  {
    std::lock_guard db_lock(db_mu_);
    HOGLET_ASSIGN_OR_RETURN(sqlite::Statement query,
                            db_->Prepare("SELECT " + std::string(kUserColumns) +
                                         ", password_hash FROM users WHERE email = ?"));
    HOGLET_RETURN_IF_ERROR(query.BindAll(email));
    HOGLET_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (has_row) {
      user = ReadUser(query);
      constexpr int kPasswordHashColumn = 6;  // after the kUserColumns
      if (!query.ColumnIsNull(kPasswordHashColumn)) encoded = query.ColumnText(kPasswordHashColumn);
    }
  }
  // Verified outside the lock (it takes tens of milliseconds), and always once, so an unknown
  // email or a user without a password costs the same time as a wrong password.
  const bool has_password = user.has_value() && !encoded.empty();
  const bool matches = VerifyPassword(password, has_password ? encoded : DecoyPasswordHash());
  if (!has_password || !matches) {
    return UnauthenticatedError("email or password is wrong", "invalid_credentials");
  }
  return *std::move(user);
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

Status SqliteMetaStore::CheckProjectExists(int64_t team_id) const {
  std::shared_lock lock(cache_mu_);
  if (!projects_.contains(team_id)) {
    return NotFoundError("project " + std::to_string(team_id) + " does not exist");
  }
  return Status::Ok();
}

// A generation number is the larger of (previous + 1) and the write's time in microseconds, and
// is stored in the write's transaction. So a number always stands for one flag set: after a
// restart the stored number comes back with the content it was issued for, and when the file
// is replaced by an older copy (a restored backup) the next writes still get numbers above
// every one issued before, as long as the wall clock has not gone back past them.
template <typename Record, typename Write>
StatusOr<Record> SqliteMetaStore::WriteFlagState(int64_t team_id, int64_t now_us,
                                                 const Write& write) {
  uint64_t generation = 0;
  {
    std::shared_lock lock(cache_mu_);
    auto found = flags_generations_.find(team_id);
    if (found != flags_generations_.end()) generation = found->second;
  }
  generation = std::max(generation + 1, static_cast<uint64_t>(std::max<int64_t>(now_us, 0)));
  HOGLET_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(*db_));
  HOGLET_ASSIGN_OR_RETURN(Record record, write());
  HOGLET_RETURN_IF_ERROR(StoreFlagsGeneration(*db_, team_id, generation));
  HOGLET_RETURN_IF_ERROR(txn.Commit());
  std::unique_lock lock(cache_mu_);
  flags_generations_[team_id] = generation;
  return record;
}

StatusOr<FeatureFlagRecord> SqliteMetaStore::CreateFeatureFlag(const FeatureFlagRecord& flag) {
  std::lock_guard db_lock(db_mu_);
  HOGLET_RETURN_IF_ERROR(CheckProjectExists(flag.team_id));
  const int64_t now_us = clock_.NowMicros();
  return WriteFlagState<FeatureFlagRecord>(flag.team_id, now_us,
                                           [&] { return InsertFeatureFlag(*db_, flag, now_us); });
}

StatusOr<FeatureFlagRecord> SqliteMetaStore::UpdateFeatureFlag(const FeatureFlagRecord& flag) {
  // An unknown project has no row to update: the UPDATE answers kNotFound.
  std::lock_guard db_lock(db_mu_);
  const int64_t now_us = clock_.NowMicros();
  return WriteFlagState<FeatureFlagRecord>(
      flag.team_id, now_us, [&] { return UpdateFeatureFlagRow(*db_, flag, now_us); });
}

StatusOr<FeatureFlagRecord> SqliteMetaStore::FeatureFlagById(int64_t team_id, int64_t id) const {
  std::lock_guard db_lock(db_mu_);
  return SelectFeatureFlag(*db_, team_id, id);
}

StatusOr<std::vector<FeatureFlagRecord>> SqliteMetaStore::ListFeatureFlags(
    int64_t team_id, bool include_deleted) const {
  std::lock_guard db_lock(db_mu_);
  return SelectFeatureFlags(*db_, team_id, include_deleted);
}

StatusOr<CohortRecord> SqliteMetaStore::CreateCohort(const CohortRecord& cohort) {
  std::lock_guard db_lock(db_mu_);
  HOGLET_RETURN_IF_ERROR(CheckProjectExists(cohort.team_id));
  const int64_t now_us = clock_.NowMicros();
  return WriteFlagState<CohortRecord>(cohort.team_id, now_us,
                                      [&] { return InsertCohort(*db_, cohort, now_us); });
}

StatusOr<CohortRecord> SqliteMetaStore::UpdateCohort(const CohortRecord& cohort) {
  // An unknown project has no row to update: the UPDATE answers kNotFound.
  std::lock_guard db_lock(db_mu_);
  const int64_t now_us = clock_.NowMicros();
  return WriteFlagState<CohortRecord>(cohort.team_id, now_us,
                                      [&] { return UpdateCohortRow(*db_, cohort, now_us); });
}

StatusOr<CohortRecord> SqliteMetaStore::CohortById(int64_t team_id, int64_t id) const {
  std::lock_guard db_lock(db_mu_);
  return SelectCohort(*db_, team_id, id);
}

StatusOr<std::vector<CohortRecord>> SqliteMetaStore::ListCohorts(int64_t team_id,
                                                                 bool include_deleted) const {
  std::lock_guard db_lock(db_mu_);
  return SelectCohorts(*db_, team_id, include_deleted);
}

uint64_t SqliteMetaStore::FlagsGeneration(int64_t team_id) const {
  std::shared_lock lock(cache_mu_);
  auto found = flags_generations_.find(team_id);
  return found == flags_generations_.end() ? 0 : found->second;
}

}  // namespace

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
