// SqliteMetaStore: feature flags and cohorts (SQL in sqlite_feature_flags.h) and the
// per-project generation numbers that tell /flags a set changed.
#include <algorithm>
#include <vector>

#include "meta/sqlite_feature_flags.h"
#include "meta/sqlite_meta_store_impl.h"
#include "sqlite/transaction.h"

namespace hoglet::meta {

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

}  // namespace hoglet::meta
