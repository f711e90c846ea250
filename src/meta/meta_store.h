// The metadata store: organizations, projects (teams), users, personal API keys and event and
// property definitions, feature flags and cohorts (the role Postgres plays in PostHog). Later:
// actions, insights, dashboards.
//
// Secrets: personal API keys are stored only as SHA-256 hashes; the plain key is returned once,
// when it is created. User passwords are stored only as salted Argon2id hashes. Project tokens
// (phc_, phs_) are stored as they are: phc_ is public by design (it ships inside every web page
// that captures), phs_ must be shown to its owner again.
//
// Thread safety: every method may be called from any thread. Reads of projects by token or id,
// users by id and personal API key authentication are served from memory (the capture and
// query hot paths never touch disk); writes go to disk first, then to the in-memory copy.
//
// Freshness: a write is visible to the next call on any thread of this process once it has
// returned: a deleted project's token stops resolving, a revoked key stops authenticating, a
// changed flag or cohort has moved FlagsGeneration. The embedded store loads its in-memory copy
// when it opens and is not told of writes another process makes to the same file: there a
// revoked key keeps authenticating, a deleted project keeps resolving and FlagsGeneration keeps
// its value until this process reopens the store (what is read from disk — definitions, flags,
// cohorts, actions, passwords — is current). One process per data directory is the supported
// setup; an adapter over a shared database states its own bound.
//
// Errors, for every method: kUnavailable when the database cannot be written or read now (disk
// full, I/O error, locked by another process past the busy timeout); kDataLoss when it is
// corrupt. Method-specific codes are listed with each method.
//
// Implementations: meta/sqlite_meta_store.h (embedded); a Postgres adapter implements the same.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "meta/actions.h"
#include "meta/annotations.h"
#include "meta/dashboards.h"
#include "meta/definitions.h"
#include "meta/feature_flags.h"
#include "meta/group_type_names.h"
#include "meta/insights.h"
#include "meta/sessions.h"

namespace hoglet::meta {

struct Organization {
  std::string id;  // UUID
  std::string name;
  int64_t created_at_us = 0;
};

struct Project {
  int64_t id = 0;  // the team id every event carries; never reused after deletion
  std::string organization_id;
  std::string name;
  std::string api_token;         // phc_…, public, used by capture
  std::string secret_api_token;  // phs_…
  std::string timezone = "UTC";  // IANA name
  int week_start_day = 0;        // 0 Sunday, 1 Monday
  bool anonymize_ips = false;
  bool person_processing_opt_out = false;
  std::string test_account_filters = "[]";  // JSON array of property filters
  int64_t created_at_us = 0;

  friend bool operator==(const Project&, const Project&) = default;
};

struct User {
  int64_t id = 0;
  std::string uuid;
  std::string email;
  std::string first_name;
  std::string organization_id;
  int64_t created_at_us = 0;
};

struct PersonalApiKey {
  std::string id;  // UUID
  int64_t user_id = 0;
  std::string label;
  std::string mask_value;                   // "phx_...abcd": enough to recognise, not to use
  std::vector<std::string> scopes = {"*"};  // meta/api_key_scopes.h; valid, without duplicates
  int64_t created_at_us = 0;
  std::optional<int64_t> last_used_at_us;
};

// The changes a PATCH of a key asks for; an absent field keeps its stored value.
struct PersonalApiKeyUpdate {
  std::optional<std::string> label;
  std::optional<std::vector<std::string>> scopes;
};

// Who a personal API key belongs to and what it may do: what authentication answers.
struct AuthenticatedKey {
  User user;
  std::string key_id;
  std::vector<std::string> scopes;  // as stored (meta/api_key_scopes.h)
};

// A personal API key just created, with its plain value: the only time the plain value exists
// outside the client's hands.
struct NewPersonalApiKey {
  PersonalApiKey key;
  std::string plain_key;  // phx_…
};

// What the first start of a data directory creates.
struct BootstrapRequest {
  std::string organization_name = "Hoglet";
  std::string project_name = "Default project";
  std::string user_email = "admin@localhost";
  std::string project_token;     // empty: generate a phc_ token
  std::string personal_api_key;  // empty: generate a phx_ key
};

struct BootstrapResult {
  // true: the store was empty and organization, user, project and key were just created.
  // false: the store already had an organization; see MetaStore::Bootstrap for what may change.
  bool created = false;
  Project project;
  // The plain key, only when created (empty otherwise: a stored key cannot be recovered).
  std::string personal_api_key;
  // On an existing store: the given personal_api_key was not stored yet and has been added to
  // the first user.
  bool personal_api_key_added = false;
  // On an existing store: the given personal_api_key was created by an earlier Bootstrap and
  // has since been deleted (revoked); it stays deleted and is not added again.
  bool personal_api_key_revoked = false;
};

class MetaStore {
 public:
  virtual ~MetaStore() = default;

  // On an empty store (no organization): creates organization, user, project id 1 and a
  // personal API key with full access ("*") in one transaction; given tokens are used as they
  // are, missing ones are generated. Every key Bootstrap creates is remembered, by hash, for good.
  // On a store that already has an organization nothing is created except:
  //  - a given personal_api_key whose hash is not stored is added to the first user, so a key
  //    set in the environment works after a restart (personal_api_key_added = true), unless an
  //    earlier Bootstrap created that key and it has since been deleted: a revoked key stays
  //    revoked (personal_api_key_revoked = true, nothing added);
  //  - a given project_token must already belong to a project, which is then returned;
  //    otherwise kAlreadyExists (the data directory was initialised with another token).
  // Without a project_token the existing store returns its first project (lowest id).
  // kInvalidArgument when a given token or key has the wrong prefix or shape (see
  // docs/metadata.md); kNotFound when an existing store has no project left.
  virtual StatusOr<BootstrapResult> Bootstrap(const BootstrapRequest& request) = 0;

  // The project with this api_token (phc_), from memory. kNotFound when none.
  virtual StatusOr<Project> ProjectByToken(std::string_view api_token) const = 0;
  // The project with this secret_api_token (phs_), from memory. kNotFound when none.
  virtual StatusOr<Project> ProjectBySecretToken(std::string_view secret_api_token) const = 0;
  // The project (team) with this id, from memory. kNotFound when none.
  virtual StatusOr<Project> ProjectById(int64_t id) const = 0;
  // Every project of an organization, by id; empty when the organization has none or does not
  // exist. From memory.
  virtual StatusOr<std::vector<Project>> ProjectsOfOrganization(
      std::string_view organization_id) const = 0;

  // A new organization without projects or users. kInvalidArgument when the name is empty.
  virtual StatusOr<Organization> CreateOrganization(std::string_view name) = 0;

  // A new project with generated phc_/phs_ tokens and default settings. kNotFound when the
  // organization does not exist; kInvalidArgument when the name is empty.
  virtual StatusOr<Project> CreateProject(std::string_view organization_id,
                                          std::string_view name) = 0;
  // Stores the settings of `project` (name, timezone, week_start_day, anonymize_ips,
  // person_processing_opt_out, test_account_filters) and returns the stored project.
  // kNotFound for an unknown id; kInvalidArgument when organization_id, tokens or created_at
  // differ from the stored ones (they cannot be changed here) or a setting is out of range
  // (empty name or timezone, week_start_day not 0/1, test_account_filters not a JSON array).
  virtual StatusOr<Project> UpdateProject(const Project& project) = 0;
  // Removes the project; its token stops resolving at once and its id is never reused.
  // kNotFound for an unknown id.
  virtual Status DeleteProject(int64_t id) = 0;

  // A new user in an existing organization. kNotFound when the organization does not exist;
  // kInvalidArgument when the email is empty or has no '@' or is longer than 254 bytes;
  // kAlreadyExists when another user has this email.
  virtual StatusOr<User> CreateUser(std::string_view organization_id, std::string_view email,
                                    std::string_view first_name) = 0;

  // From memory. kNotFound when none.
  virtual StatusOr<User> UserById(int64_t id) const = 0;
  virtual StatusOr<Organization> OrganizationById(std::string_view id) const = 0;

  // The user a personal API key (plain phx_ value) belongs to and the key's id and scopes, from
  // memory. kUnauthenticated when unknown. Records the key's last use, at most once a minute per
  // key.
  virtual StatusOr<AuthenticatedKey> AuthenticatePersonalApiKey(std::string_view key) = 0;
  // A new key for the user with `scopes` (NormalizeScopes is applied; {"*"} is full access); the
  // plain value is in the result and nowhere else. kNotFound for an unknown user;
  // kInvalidArgument with reason "invalid_label" for an empty label or one longer than 255
  // bytes, with reason "invalid_scope" for scopes NormalizeScopes refuses.
  virtual StatusOr<NewPersonalApiKey> CreatePersonalApiKey(int64_t user_id, std::string_view label,
                                                           std::vector<std::string> scopes) = 0;
  // Changes the label and/or scopes of one of the user's keys and returns the stored key; new
  // scopes apply to the next request the key authenticates. kNotFound when the user has no key
  // with this id; kInvalidArgument as for CreatePersonalApiKey.
  virtual StatusOr<PersonalApiKey> UpdatePersonalApiKey(int64_t user_id, std::string_view key_id,
                                                        const PersonalApiKeyUpdate& update) = 0;
  // The user's keys (masked), oldest first. Empty for an unknown user.
  virtual StatusOr<std::vector<PersonalApiKey>> ListPersonalApiKeys(int64_t user_id) const = 0;
  // Revokes the key: authentication with it fails from the moment this returns. kNotFound when
  // the user has no key with this id.
  virtual Status DeletePersonalApiKey(int64_t user_id, std::string_view key_id) = 0;

  // Passwords (meta/password_hash.h): stored only as Argon2id encodings in users.password_hash;
  // the plain password is neither stored nor logged. Both calls hash, so each takes tens of
  // milliseconds of CPU: call them from a worker thread, not an I/O thread.
  //
  // Sets or replaces the user's password; the previous one, and every session of the user
  // (meta/sessions.h), stop working when this returns.
  // kNotFound for an unknown user; kInvalidArgument when the password is shorter than
  // kMinPasswordBytes or longer than kMaxPasswordBytes.
  virtual Status SetUserPassword(int64_t user_id, std::string_view password) = 0;
  // The user with this email (matched exactly, as stored) when `password` is theirs.
  // kUnauthenticated ("email or password is wrong") when no user has the email, the user has no
  // password, or the password is wrong; the three cases cannot be told apart, by the error or by
  // the time taken. Reads the file (password hashes are not kept in memory).
  virtual StatusOr<User> AuthenticatePassword(std::string_view email,
                                              std::string_view password) = 0;

  // Whether some user has a password: until one has, the web app offers to create the first
  // account (api/session_handler.h).
  virtual StatusOr<bool> AnyUserHasPassword() const = 0;

  // Sessions (meta/sessions.h), on disk only. CreateSession: a new session for the user, valid
  // for `lifetime_us`; kNotFound for an unknown user. SessionByToken: the live session whose
  // token this is; kUnauthenticated when unknown, deleted or expired (expired rows are removed).
  // DeleteSession: ends one session (no error when it is already gone). DeleteUserSessions:
  // ends every session of the user.
  virtual StatusOr<NewSession> CreateSession(int64_t user_id, int64_t lifetime_us) = 0;
  virtual StatusOr<SessionInfo> SessionByToken(std::string_view token) = 0;
  virtual Status DeleteSession(std::string_view token) = 0;
  virtual Status DeleteUserSessions(int64_t user_id) = 0;

  // Event and property definitions (meta/definitions.h), read from disk (they are not cached).
  //
  // Records what ingestion saw, in one transaction: a new name is inserted (created_at = now);
  // a known one gets last_seen_at = max(stored, seen). A property keeps the type it was first
  // recorded with; a stored property without a type takes the first typed sighting. Properties
  // are recorded under their owner, and a group's under its group type too: an event property,
  // a person property and the properties of two group types of one name are four definitions (a
  // group sighting without a group type index 0–4 is skipped, as is another with one). Names
  // longer than kMaxDefinitionNameBytes are skipped. New names are inserted in the order given
  // while `limits` allow; the rest are counted in the result, not recorded. kNotFound when the
  // project does not exist.
  virtual StatusOr<RecordedDefinitions> RecordDefinitions(
      int64_t team_id, const std::vector<EventDefinitionSeen>& events,
      const std::vector<PropertyDefinitionSeen>& properties, const DefinitionLimits& limits) = 0;
  // Records event-to-property pairs, in one transaction: a known pair is left as it is, a new one
  // is inserted in the order given while `limits` allow (the rest are counted in the result).
  // Pairs with a name longer than kMaxDefinitionNameBytes are skipped. kNotFound when the
  // project does not exist.
  virtual StatusOr<RecordedEventProperties> RecordEventProperties(
      int64_t team_id, const std::vector<EventPropertySeen>& pairs,
      const EventPropertyLimits& limits) = 0;
  // Pages of a project's definitions, ordered by name (property definitions seen with the
  // query's event names first). kInvalidArgument when the search is longer than
  // DefinitionListQuery::kMaxSearchBytes or there are more than kMaxEventNames event names. An
  // unknown project has none.
  virtual StatusOr<DefinitionPage<EventDefinition>> ListEventDefinitions(
      const DefinitionListQuery& query) const = 0;
  virtual StatusOr<DefinitionPage<PropertyDefinition>> ListPropertyDefinitions(
      const DefinitionListQuery& query) const = 0;
  // One definition of the project by its UUID; kNotFound when the project has none.
  virtual StatusOr<EventDefinition> EventDefinitionByUuid(int64_t team_id,
                                                          std::string_view uuid) const = 0;
  virtual StatusOr<PropertyDefinition> PropertyDefinitionByUuid(int64_t team_id,
                                                                std::string_view uuid) const = 0;
  // Applies `change` to a definition's notes (updated_at = now, updated_by = `user_id`) and
  // returns the definition. kNotFound when the project has no definition with this UUID,
  // kInvalidArgument for tags that are not a JSON array of strings.
  virtual StatusOr<EventDefinition> UpdateEventDefinitionNotes(int64_t team_id,
                                                               std::string_view uuid,
                                                               const DefinitionNotesChange& change,
                                                               std::optional<int64_t> user_id) = 0;
  virtual StatusOr<PropertyDefinition> UpdatePropertyDefinitionNotes(
      int64_t team_id, std::string_view uuid, const DefinitionNotesChange& change,
      std::optional<int64_t> user_id) = 0;

  // Names of a project's group types (meta/group_type_names.h), read from disk: the types
  // that have a name set, by group_type_index. An unknown project has none.
  virtual StatusOr<std::vector<GroupTypeNames>> ListGroupTypeNames(int64_t team_id) const = 0;
  // Stores both names of one group type (nullopt clears a name). kNotFound when the project does
  // not exist; kInvalidArgument for an index outside 0..4 or a name over
  // kMaxGroupTypeNameBytes. Whether the project has that group type is the caller's check.
  virtual Status SetGroupTypeNames(int64_t team_id, const GroupTypeNames& names) = 0;

  // Feature flags and cohorts (meta/feature_flags.h), read from disk. Callers that need them on
  // a hot path keep their own compiled copy and rebuild it when FlagsGeneration changes.
  //
  // A new flag: id, version 1, created_at/updated_at = now are assigned, the rest is stored as
  // given. kNotFound when the project does not exist; kAlreadyExists when a non-deleted flag of
  // the project has the key; kInvalidArgument when the key is empty, too long or has characters
  // other than letters, digits, '-' and '_', or filters_json is not a JSON object.
  virtual StatusOr<FeatureFlagRecord> CreateFeatureFlag(const FeatureFlagRecord& flag) = 0;
  // Stores every field of `flag` except id, team_id, created_by and created_at; version becomes
  // stored + 1 and updated_at now. kNotFound when the project has no flag with this id (deleted
  // ones included); kAlreadyExists / kInvalidArgument as for CreateFeatureFlag.
  virtual StatusOr<FeatureFlagRecord> UpdateFeatureFlag(const FeatureFlagRecord& flag) = 0;
  // kNotFound when the project has no flag with this id.
  virtual StatusOr<FeatureFlagRecord> FeatureFlagById(int64_t team_id, int64_t id) const = 0;
  // A project's flags ordered by id; deleted ones only when asked.
  virtual StatusOr<std::vector<FeatureFlagRecord>> ListFeatureFlags(int64_t team_id,
                                                                    bool include_deleted) const = 0;

  // Cohorts, with the same rules (no key; name must be non-empty).
  virtual StatusOr<CohortRecord> CreateCohort(const CohortRecord& cohort) = 0;
  virtual StatusOr<CohortRecord> UpdateCohort(const CohortRecord& cohort) = 0;
  virtual StatusOr<CohortRecord> CohortById(int64_t team_id, int64_t id) const = 0;
  virtual StatusOr<std::vector<CohortRecord>> ListCohorts(int64_t team_id,
                                                          bool include_deleted) const = 0;

  // Actions (meta/actions.h). A new action gets its id and created_at/updated_at = now.
  // kNotFound when the project does not exist; kInvalidArgument for an empty or too long name or
  // steps that are not a JSON array. Updates store every field except id, team_id, created_by
  // and created_at; kNotFound when the project has no action with the id (deleted included).
  virtual StatusOr<ActionRecord> CreateAction(const ActionRecord& action) = 0;
  virtual StatusOr<ActionRecord> UpdateAction(const ActionRecord& action) = 0;
  virtual StatusOr<ActionRecord> ActionById(int64_t team_id, int64_t id) const = 0;
  // A project's actions ordered by id; deleted ones only when asked.
  virtual StatusOr<std::vector<ActionRecord>> ListActions(int64_t team_id,
                                                          bool include_deleted) const = 0;

  // Annotations (meta/annotations.h). A new one gets its id, its project's organization and
  // created_at/updated_at = now. kNotFound when the project does not exist, or an insight or
  // dashboard it names is not the project's; kInvalidArgument for a scope or creation type
  // PostHog does not have, or content or an emoji over their limits. Updates store every field
  // except id, team_id, organization, created_by and created_at; kNotFound when the project has
  // no annotation with the id (deleted included). A project sees its own annotations and the
  // organization-scoped ones of its organization's other projects (which only their own project
  // updates).
  virtual StatusOr<AnnotationRecord> CreateAnnotation(const AnnotationRecord& annotation) = 0;
  virtual StatusOr<AnnotationRecord> UpdateAnnotation(const AnnotationRecord& annotation) = 0;
  virtual StatusOr<AnnotationRecord> AnnotationById(int64_t team_id, int64_t id) const = 0;
  // What a project sees, newest date_marker first; deleted ones only when asked.
  virtual StatusOr<std::vector<AnnotationRecord>> ListAnnotations(int64_t team_id,
                                                                  bool include_deleted) const = 0;

  // Insights (meta/insights.h). A new insight gets its id, a generated short_id when none is
  // given, and created_at = last_modified_at = now. kNotFound when the project does not exist;
  // kAlreadyExists when the project already has the given short_id; kInvalidArgument for a name
  // or description over kMaxInsightNameBytes, a short_id that is not 8 characters [0-9A-Za-z], a
  // query that is not a JSON object or tags that are not a JSON array of strings. Updates store
  // every field except id, short_id, team_id, created_by and created_at, and set
  // last_modified_at = now; kNotFound when the project has no insight with the id (deleted
  // included).
  virtual StatusOr<InsightRecord> CreateInsight(const InsightRecord& insight) = 0;
  virtual StatusOr<InsightRecord> UpdateInsight(const InsightRecord& insight) = 0;
  // kNotFound when the project has no insight with this id / short id (deleted ones included).
  virtual StatusOr<InsightRecord> InsightById(int64_t team_id, int64_t id) const = 0;
  virtual StatusOr<InsightRecord> InsightByShortId(int64_t team_id,
                                                   std::string_view short_id) const = 0;
  // A project's insights ordered by id; deleted ones only when asked.
  virtual StatusOr<std::vector<InsightRecord>> ListInsights(int64_t team_id,
                                                            bool include_deleted) const = 0;

  // Dashboards (meta/dashboards.h), with the same rules: a new one gets its id and created_at;
  // kInvalidArgument for a name over kMaxDashboardNameBytes, filters that are not a JSON object
  // or tags that are not a JSON array of strings. Updates store every field except id, team_id,
  // created_by and created_at.
  virtual StatusOr<DashboardRecord> CreateDashboard(const DashboardRecord& dashboard) = 0;
  virtual StatusOr<DashboardRecord> UpdateDashboard(const DashboardRecord& dashboard) = 0;
  virtual StatusOr<DashboardRecord> DashboardById(int64_t team_id, int64_t id) const = 0;
  virtual StatusOr<std::vector<DashboardRecord>> ListDashboards(int64_t team_id,
                                                                bool include_deleted) const = 0;

  // Dashboard tiles. Only live tiles (deleted = false) are listed, ordered by id.
  //
  // Puts the insight on exactly `dashboard_ids` in one transaction: a tile is created (or a
  // soft-deleted one revived) for each dashboard it is not on, and the tiles on other dashboards
  // are soft-deleted. kNotFound when the project has no such insight, or a dashboard id is not a
  // dashboard of the project; nothing changes then.
  virtual Status SetInsightDashboards(int64_t team_id, int64_t insight_id,
                                      const std::vector<int64_t>& dashboard_ids) = 0;
  // A new tile on one of the project's dashboards: an insight tile (which must be the project's
  // and not yet on the dashboard: kAlreadyExists) or a text tile (text of 1..kMaxTextTileBytes).
  // kNotFound for an unknown dashboard or insight; kInvalidArgument when the tile has both or
  // neither of insight and text, or layouts is not a JSON object.
  virtual StatusOr<DashboardTileRecord> CreateDashboardTile(int64_t team_id,
                                                            const DashboardTileRecord& tile) = 0;
  // Stores layouts, color, text and deleted of a tile of one of the project's dashboards.
  // kNotFound when there is none with this id.
  virtual StatusOr<DashboardTileRecord> UpdateDashboardTile(int64_t team_id,
                                                            const DashboardTileRecord& tile) = 0;
  // The live tiles of a dashboard (empty for an unknown one), and the live tiles that show an
  // insight.
  virtual StatusOr<std::vector<DashboardTileRecord>> TilesOfDashboard(
      int64_t team_id, int64_t dashboard_id) const = 0;
  virtual StatusOr<std::vector<DashboardTileRecord>> TilesOfInsight(int64_t team_id,
                                                                    int64_t insight_id) const = 0;

  // A number that changes (grows) every time a flag or cohort of the project is created or
  // updated, from memory; 0 before the first. It is kept across restarts, so one number always
  // stands for one flag set (usable as an ETag). Read it before reading the flags. Cheap enough
  // to call on every /flags request.
  virtual uint64_t FlagsGeneration(int64_t team_id) const = 0;
};

}  // namespace hoglet::meta
