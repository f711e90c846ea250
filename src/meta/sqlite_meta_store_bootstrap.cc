// SqliteMetaStore::Bootstrap: the first organization, user, project and key of an empty store,
// and the initial token and key settings checked against an existing one (docs/metadata.md).
#include <string>

#include "meta/api_key_scopes.h"
#include "meta/api_tokens.h"
#include "meta/sqlite_meta_store_impl.h"
#include "sqlite/statement.h"
#include "sqlite/transaction.h"

namespace hoglet::meta {
namespace {

constexpr std::string_view kBootstrapKeyLabel = "Bootstrap key";

}  // namespace

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

}  // namespace hoglet::meta
