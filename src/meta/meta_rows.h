// How the metadata store's rows map to its structs: the column list each SELECT uses and the
// reader for a statement positioned on such a row. Shared by every query of sqlite_meta_store.cc
// so a column added in a migration is read in one place.
#pragma once

#include <string_view>

#include "meta/meta_store.h"
#include "sqlite/connection.h"

namespace hoglet::meta {

inline constexpr std::string_view kOrganizationColumns = "id, name, created_at";
inline constexpr std::string_view kUserColumns =
    "id, uuid, email, first_name, organization_id, created_at";
inline constexpr std::string_view kProjectColumns =
    "id, organization_id, name, api_token, secret_api_token, timezone, week_start_day, "
    "anonymize_ips, person_processing_opt_out, test_account_filters, created_at";
inline constexpr std::string_view kPersonalApiKeyColumns =
    "id, user_id, label, mask_value, created_at, last_used_at, scopes";

Organization ReadOrganization(const sqlite::Statement& row);
User ReadUser(const sqlite::Statement& row);
Project ReadProject(const sqlite::Statement& row);
PersonalApiKey ReadPersonalApiKey(const sqlite::Statement& row);

}  // namespace hoglet::meta
