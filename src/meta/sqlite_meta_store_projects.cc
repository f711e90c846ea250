// SqliteMetaStore: organizations and projects, answered from the cache, written through.
#include <optional>
#include <string>
#include <vector>

#include "base/uuid.h"
#include "meta/api_tokens.h"
#include "meta/sqlite_meta_store_impl.h"
#include "sqlite/statement.h"
#include "sqlite/transaction.h"

namespace hoglet::meta {

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

StatusOr<Organization> SqliteMetaStore::OrganizationById(std::string_view id) const {
  std::shared_lock lock(cache_mu_);
  auto found = organizations_.find(id);
  if (found == organizations_.end()) {
    return NotFoundError("organization " + std::string(id) + " does not exist");
  }
  return found->second;
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

}  // namespace hoglet::meta
