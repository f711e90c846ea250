// SqliteMetaStore: annotations (SQL in sqlite_annotations.h).
#include <vector>

#include "meta/sqlite_annotations.h"
#include "meta/sqlite_meta_store_impl.h"

namespace hoglet::meta {

StatusOr<AnnotationRecord> SqliteMetaStore::CreateAnnotation(const AnnotationRecord& annotation) {
  // The INSERT reads the organization from the project: an unknown project answers kNotFound.
  std::lock_guard db_lock(db_mu_);
  return InsertAnnotation(*db_, annotation, clock_.NowMicros());
}

StatusOr<AnnotationRecord> SqliteMetaStore::UpdateAnnotation(const AnnotationRecord& annotation) {
  std::lock_guard db_lock(db_mu_);
  return UpdateAnnotationRow(*db_, annotation, clock_.NowMicros());
}

StatusOr<AnnotationRecord> SqliteMetaStore::AnnotationById(int64_t team_id, int64_t id) const {
  std::lock_guard db_lock(db_mu_);
  return SelectAnnotation(*db_, team_id, id);
}

StatusOr<std::vector<AnnotationRecord>> SqliteMetaStore::ListAnnotations(
    int64_t team_id, bool include_deleted) const {
  std::lock_guard db_lock(db_mu_);
  return SelectAnnotations(*db_, team_id, include_deleted);
}

}  // namespace hoglet::meta
