#include "sqlite/transaction.h"

namespace hoglet::sqlite {

StatusOr<Transaction> Transaction::Begin(Connection& db) {
  if (db.InTransaction()) {
    return InternalError("a transaction is already open on the " + db.name());
  }
  HOGLET_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Status Transaction::Commit() {
  if (db_ == nullptr) return InternalError("commit of a transaction that has ended");
  HOGLET_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  db_ = nullptr;
  return Status::Ok();
}

void Transaction::Rollback() {
  if (db_ == nullptr) return;
  // SQLite may have rolled back already (after SQLITE_FULL, SQLITE_IOERR, …); ROLLBACK would then
  // fail with "no transaction is active".
  if (db_->InTransaction()) (void)db_->Exec("ROLLBACK");
  db_ = nullptr;
}

}  // namespace hoglet::sqlite
