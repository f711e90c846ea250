#include "sqlite/migrations.h"

#include <string>

#include "sqlite/transaction.h"

namespace hoglet::sqlite {

StatusOr<int> SchemaVersion(Connection& db) {
  HOGLET_RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
              "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
              "applied_at INTEGER NOT NULL)"));
  HOGLET_ASSIGN_OR_RETURN(Statement query,
                          db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, query.Step());
  if (!has_row) return InternalError("SELECT MAX(version) returned no row");
  return static_cast<int>(query.ColumnInt64(0));
}

Status Migrate(Connection& db, std::span<const Migration> migrations, int64_t now_us) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return InternalError("the migrations of the " + db.name() +
                           " are not numbered 1, 2, 3, … in order: entry " + std::to_string(i) +
                           " has version " + std::to_string(migrations[i].version));
    }
  }
  const int latest = static_cast<int>(migrations.size());
  // One write transaction around the version check and every step: two processes opening the
  // same new file serialise here, and the second one finds the schema already in place.
  HOGLET_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
  HOGLET_ASSIGN_OR_RETURN(int current, SchemaVersion(db));
  if (current > latest) {
    return DataLossError("the " + db.name() + " is at schema version " + std::to_string(current) +
                         " but this binary only knows versions up to " + std::to_string(latest) +
                         "; it was written by a newer Hoglet: run that version (or newer) "
                         "instead, downgrading is not supported");
  }
  if (current == latest) return txn.Commit();
  HOGLET_ASSIGN_OR_RETURN(Statement record,
                          db.Prepare("INSERT INTO schema_migrations (version, description, "
                                     "applied_at) VALUES (?, ?, ?)"));
  for (const Migration& migration : migrations.subspan(static_cast<size_t>(current))) {
    Status applied = db.Exec(migration.sql);
    if (!applied.ok()) {
      return applied.WithContext(db.name() + " schema migration " +
                                 std::to_string(migration.version));
    }
    HOGLET_RETURN_IF_ERROR(record.BindAll(migration.version, migration.description, now_us));
    HOGLET_RETURN_IF_ERROR(record.Run());
    HOGLET_RETURN_IF_ERROR(record.Reset());
  }
  return txn.Commit();
}

}  // namespace hoglet::sqlite
