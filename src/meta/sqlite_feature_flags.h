// The SQL behind MetaStore's feature flag and cohort methods (meta/feature_flags.h), for the
// SQLite store: validation of what is stored, the rows of `feature_flags` and `cohorts`, and the
// per-project generation numbers in `flags_generations`.
//
// Each function runs on the caller's connection; the caller serialises access to it (the store
// holds its database mutex), has checked that the project exists, and opens the transaction
// around the writes so that a write and its generation number commit together. Errors are those
// of sqlite/result_codes.h plus the method-specific ones of MetaStore.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "base/status.h"
#include "meta/feature_flags.h"
#include "sqlite/connection.h"

namespace hoglet::meta {

// Validates `flag` (key shape, filters a JSON object, evaluation_runtime and
// bucketing_identifier from their sets) and inserts it with version 1 and created_at =
// updated_at = `now_us`. Returns the stored row. kInvalidArgument for a bad field;
// kAlreadyExists when a live flag of the project has the key.
StatusOr<FeatureFlagRecord> InsertFeatureFlag(sqlite::Connection& db, const FeatureFlagRecord& flag,
                                              int64_t now_us);
// Validates as above and overwrites the stored flag (team_id, id) except created_by and
// created_at; version + 1, updated_at = `now_us`. Returns the stored row. kNotFound when the
// project has no flag with this id.
StatusOr<FeatureFlagRecord> UpdateFeatureFlagRow(sqlite::Connection& db,
                                                 const FeatureFlagRecord& flag, int64_t now_us);
// kNotFound when the project has no flag with this id.
StatusOr<FeatureFlagRecord> SelectFeatureFlag(sqlite::Connection& db, int64_t team_id, int64_t id);
// Ordered by id.
StatusOr<std::vector<FeatureFlagRecord>> SelectFeatureFlags(sqlite::Connection& db, int64_t team_id,
                                                            bool include_deleted);

// The same for cohorts: a cohort needs a non-empty name and filters that are a JSON object.
StatusOr<CohortRecord> InsertCohort(sqlite::Connection& db, const CohortRecord& cohort,
                                    int64_t now_us);
StatusOr<CohortRecord> UpdateCohortRow(sqlite::Connection& db, const CohortRecord& cohort,
                                       int64_t now_us);
StatusOr<CohortRecord> SelectCohort(sqlite::Connection& db, int64_t team_id, int64_t id);
StatusOr<std::vector<CohortRecord>> SelectCohorts(sqlite::Connection& db, int64_t team_id,
                                                  bool include_deleted);

// Every project's stored generation number (projects that never had a flag or cohort write
// are absent).
StatusOr<std::map<int64_t, uint64_t>> SelectFlagsGenerations(sqlite::Connection& db);
// Stores the project's generation number.
Status StoreFlagsGeneration(sqlite::Connection& db, int64_t team_id, uint64_t generation);

}  // namespace hoglet::meta
