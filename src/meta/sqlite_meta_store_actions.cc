// SqliteMetaStore: actions (SQL in sqlite_actions.h).
#include <vector>

#include "meta/sqlite_actions.h"
#include "meta/sqlite_meta_store_impl.h"

namespace hoglet::meta {

StatusOr<ActionRecord> SqliteMetaStore::CreateAction(const ActionRecord& action) {
  std::lock_guard db_lock(db_mu_);
  HOGLET_RETURN_IF_ERROR(CheckProjectExists(action.team_id));
  return InsertAction(*db_, action, clock_.NowMicros());
}

StatusOr<ActionRecord> SqliteMetaStore::UpdateAction(const ActionRecord& action) {
  // An unknown project has no row to update: the UPDATE answers kNotFound.
  std::lock_guard db_lock(db_mu_);
  return UpdateActionRow(*db_, action, clock_.NowMicros());
}

StatusOr<ActionRecord> SqliteMetaStore::ActionById(int64_t team_id, int64_t id) const {
  std::lock_guard db_lock(db_mu_);
  return SelectAction(*db_, team_id, id);
}

StatusOr<std::vector<ActionRecord>> SqliteMetaStore::ListActions(int64_t team_id,
                                                                 bool include_deleted) const {
  std::lock_guard db_lock(db_mu_);
  return SelectActions(*db_, team_id, include_deleted);
}

}  // namespace hoglet::meta
