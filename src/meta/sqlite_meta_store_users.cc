// SqliteMetaStore: users and their Argon2id passwords.
#include <optional>
#include <string>

#include "base/logging.h"
#include "base/random.h"
#include "base/uuid.h"
#include "meta/meta_rows.h"
#include "meta/password_hash.h"
#include "meta/sqlite_meta_store_impl.h"
#include "sqlite/statement.h"
#include "sqlite/transaction.h"

namespace hoglet::meta {
namespace {

constexpr size_t kMaxEmailBytes = 254;  // RFC 5321's limit on a forward path

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

}  // namespace

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
  HOGLET_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(*db_));
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement update,
                          db_->Prepare("UPDATE users SET password_hash = ? WHERE id = ?"));
  HOGLET_RETURN_IF_ERROR(update.BindAll(encoded, user_id));
  HOGLET_RETURN_IF_ERROR(update.Run());
  if (db_->Changes() == 0) {
    return NotFoundError("user " + std::to_string(user_id) + " does not exist");
  }
  // A new password ends every session the old one started.
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement sessions,
                          db_->Prepare("DELETE FROM sessions WHERE user_id = ?"));
  HOGLET_RETURN_IF_ERROR(sessions.BindAll(user_id));
  HOGLET_RETURN_IF_ERROR(sessions.Run());
  return txn.Commit();
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

}  // namespace hoglet::meta
