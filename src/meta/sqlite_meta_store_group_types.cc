// SqliteMetaStore: names of group types (the rows of `group_type_names`).
#include <string>
#include <vector>

#include "meta/sqlite_meta_store_impl.h"

namespace hoglet::meta {

StatusOr<std::vector<GroupTypeNames>> SqliteMetaStore::ListGroupTypeNames(int64_t team_id) const {
  std::lock_guard db_lock(db_mu_);
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement select,
      db_->Prepare("SELECT group_type_index, name_singular, name_plural FROM group_type_names "
                   "WHERE team_id = ? ORDER BY group_type_index"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id));
  std::vector<GroupTypeNames> names;
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    names.push_back({static_cast<int>(select.ColumnInt64(0)), select.ColumnOptionalText(1),
                     select.ColumnOptionalText(2)});
  }
  return names;
}

Status SqliteMetaStore::SetGroupTypeNames(int64_t team_id, const GroupTypeNames& names) {
  if (names.group_type_index < 0 || names.group_type_index > 4) {
    return InvalidArgumentError("group_type_index must be from 0 to 4", "invalid_input");
  }
  for (const auto* name : {&names.name_singular, &names.name_plural}) {
    if (*name && (*name)->size() > kMaxGroupTypeNameBytes) {
      return InvalidArgumentError(
          "a group type name holds at most " + std::to_string(kMaxGroupTypeNameBytes) + " bytes",
          "max_length");
    }
  }
  std::lock_guard db_lock(db_mu_);
  HOGLET_RETURN_IF_ERROR(CheckProjectExists(team_id));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement upsert,
      db_->Prepare("INSERT INTO group_type_names (team_id, group_type_index, name_singular, "
                   "name_plural) VALUES (?, ?, ?, ?) ON CONFLICT (team_id, group_type_index) DO "
                   "UPDATE SET name_singular = excluded.name_singular, "
                   "name_plural = excluded.name_plural"));
  HOGLET_RETURN_IF_ERROR(upsert.BindAll(team_id, static_cast<int64_t>(names.group_type_index),
                                        names.name_singular, names.name_plural));
  return upsert.Run();
}

}  // namespace hoglet::meta
