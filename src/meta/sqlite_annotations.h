// The SQL behind MetaStore's annotation methods (meta/annotations.h), for the SQLite store:
// validation of what is stored and the rows of `annotations`.
//
// Each function runs on the caller's connection; the caller serialises access to it (the store
// holds its database mutex). Errors are those of sqlite/result_codes.h plus the method-specific
// ones of MetaStore.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "meta/annotations.h"
#include "sqlite/connection.h"

namespace hoglet::meta {

// Validates `annotation` (scope, creation type, content and emoji lengths; an insight or
// dashboard it names is the project's) and inserts it in the project's organization with
// created_at = updated_at = `now_us`. kNotFound when the project does not exist. Returns the
// stored row.
StatusOr<AnnotationRecord> InsertAnnotation(sqlite::Connection& db,
                                            const AnnotationRecord& annotation, int64_t now_us);
// Validates as above and overwrites the stored annotation (team_id, id) except organization,
// created_by and created_at; updated_at = `now_us`. kNotFound when the project has no annotation
// with this id.
StatusOr<AnnotationRecord> UpdateAnnotationRow(sqlite::Connection& db,
                                               const AnnotationRecord& annotation, int64_t now_us);
// The annotation `id` as project `team_id` sees it: one of its own, or an organization-scoped one
// of another project of its organization (deleted ones included). kNotFound otherwise.
StatusOr<AnnotationRecord> SelectAnnotation(sqlite::Connection& db, int64_t team_id, int64_t id);
// The annotations project `team_id` sees (its own and its organization's organization-scoped
// ones), newest date_marker first (then id, descending); deleted ones only when asked.
StatusOr<std::vector<AnnotationRecord>> SelectAnnotations(sqlite::Connection& db, int64_t team_id,
                                                          bool include_deleted);

}  // namespace hoglet::meta
