#include "meta/meta_rows.h"

#include "meta/api_key_scopes.h"

namespace hoglet::meta {

Organization ReadOrganization(const sqlite::Statement& row) {
  Organization org;
  org.id = row.ColumnText(0);
  org.name = row.ColumnText(1);
  org.created_at_us = row.ColumnInt64(2);
  return org;
}

User ReadUser(const sqlite::Statement& row) {
  User user;
  user.id = row.ColumnInt64(0);
  user.uuid = row.ColumnText(1);
  user.email = row.ColumnText(2);
  user.first_name = row.ColumnText(3);
  user.organization_id = row.ColumnText(4);
  user.created_at_us = row.ColumnInt64(5);
  return user;
}

Project ReadProject(const sqlite::Statement& row) {
  Project project;
  project.id = row.ColumnInt64(0);
  project.organization_id = row.ColumnText(1);
  project.name = row.ColumnText(2);
  project.api_token = row.ColumnText(3);
  project.secret_api_token = row.ColumnText(4);
  project.timezone = row.ColumnText(5);
  project.week_start_day = static_cast<int>(row.ColumnInt64(6));
  project.anonymize_ips = row.ColumnBool(7);
  project.person_processing_opt_out = row.ColumnBool(8);
  project.test_account_filters = row.ColumnText(9);
  project.created_at_us = row.ColumnInt64(10);
  return project;
}

PersonalApiKey ReadPersonalApiKey(const sqlite::Statement& row) {
  PersonalApiKey key;
  key.id = row.ColumnText(0);
  key.user_id = row.ColumnInt64(1);
  key.label = row.ColumnText(2);
  key.mask_value = row.ColumnText(3);
  key.created_at_us = row.ColumnInt64(4);
  key.last_used_at_us = row.ColumnOptionalInt64(5);
  key.scopes = ParseStoredScopes(row.ColumnText(6));
  return key;
}

}  // namespace hoglet::meta
