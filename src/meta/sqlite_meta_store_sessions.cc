// SqliteMetaStore: browser sessions (meta/sessions.h). Sessions are read from disk on every
// authenticated request: they are few, indexed by their token's hash, and a revocation must be
// seen at once by every thread.
#include <mutex>
#include <shared_mutex>
#include <string>

#include "base/random.h"
#include "base/sha256.h"
#include "meta/sqlite_meta_store_impl.h"
#include "sqlite/statement.h"

namespace hoglet::meta {
namespace {

constexpr size_t kSessionTokenChars = 43;  // base62: 256 random bits
constexpr size_t kCsrfTokenChars = 32;

}  // namespace

StatusOr<bool> SqliteMetaStore::AnyUserHasPassword() const {
  std::lock_guard db_lock(db_mu_);
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement query,
      db_->Prepare("SELECT 1 FROM users WHERE password_hash IS NOT NULL LIMIT 1"));
  return query.Step();
}

StatusOr<NewSession> SqliteMetaStore::CreateSession(int64_t user_id, int64_t lifetime_us) {
  {
    std::shared_lock lock(cache_mu_);
    if (!users_.contains(user_id)) return NotFoundError("user not found", "not_found");
  }
  const int64_t now_us = clock_.NowMicros();
  NewSession session;
  session.token = RandomBase62(kSessionTokenChars);
  session.csrf_token = RandomBase62(kCsrfTokenChars);
  session.expires_at_us = now_us + lifetime_us;
  std::lock_guard db_lock(db_mu_);
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement insert,
                          db_->Prepare("INSERT INTO sessions (token_hash, user_id, csrf_token, "
                                       "created_at, expires_at) VALUES (?, ?, ?, ?, ?)"));
  HOGLET_RETURN_IF_ERROR(insert.BindAll(Sha256Hex(session.token), user_id, session.csrf_token,
                                        now_us, session.expires_at_us));
  HOGLET_RETURN_IF_ERROR(insert.Run());
  return session;
}

StatusOr<SessionInfo> SqliteMetaStore::SessionByToken(std::string_view token) {
  const std::string hash = Sha256Hex(token);
  const int64_t now_us = clock_.NowMicros();
  std::lock_guard db_lock(db_mu_);
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement query,
      db_->Prepare("SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = ?"));
  HOGLET_RETURN_IF_ERROR(query.BindAll(hash));
  HOGLET_ASSIGN_OR_RETURN(bool found, query.Step());
  if (found) {
    SessionInfo session{query.ColumnInt64(0), query.ColumnText(1), query.ColumnInt64(2)};
    if (session.expires_at_us > now_us) return session;
  }
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement expired,
                          db_->Prepare("DELETE FROM sessions WHERE expires_at <= ?"));
  HOGLET_RETURN_IF_ERROR(expired.BindAll(now_us));
  HOGLET_RETURN_IF_ERROR(expired.Run());
  return UnauthenticatedError("the session has expired or was ended: log in again",
                              "session_expired");
}

Status SqliteMetaStore::DeleteSession(std::string_view token) {
  std::lock_guard db_lock(db_mu_);
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement remove,
                          db_->Prepare("DELETE FROM sessions WHERE token_hash = ?"));
  HOGLET_RETURN_IF_ERROR(remove.BindAll(Sha256Hex(token)));
  return remove.Run();
}

Status SqliteMetaStore::DeleteUserSessions(int64_t user_id) {
  std::lock_guard db_lock(db_mu_);
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement remove,
                          db_->Prepare("DELETE FROM sessions WHERE user_id = ?"));
  HOGLET_RETURN_IF_ERROR(remove.BindAll(user_id));
  return remove.Run();
}

}  // namespace hoglet::meta
