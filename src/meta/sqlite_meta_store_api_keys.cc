// SqliteMetaStore: personal API keys. Authentication is a lookup of the key's hash in memory;
// labels and masks are read from the file.
#include <optional>
#include <string>
#include <vector>

#include "base/logging.h"
#include "base/uuid.h"
#include "meta/api_key_scopes.h"
#include "meta/api_tokens.h"
#include "meta/meta_rows.h"
#include "meta/sqlite_meta_store_impl.h"
#include "sqlite/statement.h"
#include "sqlite/transaction.h"

namespace hoglet::meta {
namespace {

// A key's last_used_at is written at most this often, so authentication stays a memory lookup.
constexpr int64_t kLastUsedResolutionUs = 60'000'000;
constexpr size_t kMaxLabelBytes = 255;

// True when a key last used at `last_used_us` (kNeverUsed for never) should record `now_us`.
bool LastUseIsStale(int64_t last_used_us, int64_t now_us) {
  return last_used_us == SqliteMetaStore::kNeverUsed ||
         now_us - last_used_us >= kLastUsedResolutionUs;
}

Status ValidateLabel(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabelBytes) {
    return InvalidArgumentError("a personal API key label must be 1 to 255 bytes long",
                                "invalid_label");
  }
  return Status::Ok();
}

}  // namespace

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

void SqliteMetaStore::CacheKey(const NewPersonalApiKey& created) {
  std::unique_lock lock(cache_mu_);
  keys_by_hash_[HashPersonalApiKey(created.plain_key)] =
      KeyEntry{created.key.id, created.key.user_id, kNeverUsed, created.key.scopes};
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

}  // namespace hoglet::meta
