#include "api/organization_json.h"

#include <cctype>

#include "api/project_json.h"
#include "base/time_format.h"

namespace hoglet::api {

// PostHog's OrganizationMembership.Level.OWNER and Organization.PluginsAccessLevel.ROOT.
constexpr int kOwnerMembershipLevel = 15;
constexpr int kRootPluginsAccessLevel = 9;

std::string OrganizationSlug(std::string_view name) {
  std::string slug;
  bool gap = false;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      if (gap && !slug.empty()) slug += '-';
      slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      gap = false;
    } else {
      gap = true;
    }
  }
  return slug;
}

void WriteOrganizationJson(const meta::Organization& organization,
                           const std::vector<meta::Project>& projects, JsonWriter* w) {
  const std::string created_at = FormatIsoMicros(organization.created_at_us);
  w->BeginObject();
  w->Key("id");
  w->String(organization.id);
  w->Key("name");
  w->String(organization.name);
  w->Key("slug");
  w->String(OrganizationSlug(organization.name));
  w->Key("logo_media_id");
  w->Null();
  w->Key("created_at");
  w->String(created_at);
  w->Key("updated_at");
  w->String(created_at);
  w->Key("membership_level");
  w->Int(kOwnerMembershipLevel);
  w->Key("plugins_access_level");
  w->Int(kRootPluginsAccessLevel);
  w->Key("teams");
  w->BeginArray();
  for (const meta::Project& project : projects) WriteProjectJson(project, ProjectView::kBasic, w);
  w->EndArray();
  w->Key("projects");
  w->BeginArray();
  for (const meta::Project& project : projects) {
    w->BeginObject();
    w->Key("id");
    w->Int(project.id);
    w->Key("name");
    w->String(project.name);
    w->Key("organization_id");
    w->String(project.organization_id);
    w->Key("created_at");
    w->String(FormatIsoMicros(project.created_at_us));
    w->EndObject();
  }
  w->EndArray();
  w->Key("available_product_features");
  w->BeginArray();
  w->EndArray();
  w->Key("is_member_join_email_enabled");
  w->Bool(false);
  w->Key("metadata");
  w->BeginObject();
  w->EndObject();
  w->Key("customer_id");
  w->Null();
  w->Key("enforce_2fa");
  w->Null();
  w->Key("is_ai_data_processing_approved");
  w->Bool(false);
  w->EndObject();
}

}  // namespace hoglet::api
