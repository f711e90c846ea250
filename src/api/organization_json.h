// An organization in the REST API's JSON, PostHog's shape (read-only: Hoglet has one role per
// member, the owner's):
//   {"id", "name", "slug", "logo_media_id": null, "created_at", "updated_at",
//    "membership_level": 15, "plugins_access_level": 9, "teams": [basic project, ...],
//    "projects": [{"id", "name", "organization_id", "created_at"}, ...],
//    "available_product_features": [], "is_member_join_email_enabled": false,
//    "metadata": {}, "customer_id": null, "enforce_2fa": null,
//    "is_ai_data_processing_approved": false}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json_writer.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void WriteOrganizationJson(const meta::Organization& organization,
                           const std::vector<meta::Project>& projects, JsonWriter* w);

// The URL-safe name PostHog derives from an organization's name: lower case, every run of other
// characters one '-', none at either end ("Acme, Inc." → "acme-inc").
std::string OrganizationSlug(std::string_view name);

}  // namespace hoglet::api
