#include "api/project_json.h"

#include "base/time_format.h"
#include "base/time_zone.h"

namespace hoglet::api {
namespace {

constexpr size_t kMaxTimezoneBytes = 64;

Status Invalid(std::string message) {
  return InvalidArgumentError(std::move(message), "invalid_input");
}

Status ApplyName(const JsonBody& body, meta::Project* project) {
  HOGLET_ASSIGN_OR_RETURN(auto name, body.String("name"));
  if (!name) return Status::Ok();
  if (name->empty()) return Invalid("'name' may not be blank");
  if (name->size() > kMaxProjectNameBytes) {
    return Invalid("'name' may be at most " + std::to_string(kMaxProjectNameBytes) + " bytes long");
  }
  project->name = std::move(*name);
  return Status::Ok();
}

Status ApplyTimezone(const JsonBody& body, meta::Project* project) {
  HOGLET_ASSIGN_OR_RETURN(auto timezone, body.String("timezone"));
  if (!timezone) return Status::Ok();
  if (!IsTimezoneName(*timezone)) {
    return Invalid("'" + *timezone +
                   "' is not a valid time zone: use an IANA name such as Europe/Paris, or UTC");
  }
  project->timezone = std::move(*timezone);
  return Status::Ok();
}

Status ApplyWeekStartDay(const JsonBody& body, meta::Project* project) {
  if (body.IsNull("week_start_day")) {
    project->week_start_day = 0;  // PostHog reads null as Sunday
    return Status::Ok();
  }
  auto day = body.Int("week_start_day");
  if (!day.ok() || (day->has_value() && **day != 0 && **day != 1)) {
    return Invalid("'week_start_day' must be 0 (Sunday), 1 (Monday) or null");
  }
  if (day->has_value()) project->week_start_day = static_cast<int>(**day);
  return Status::Ok();
}

Status ApplyBool(const JsonBody& body, std::string_view key, bool* target) {
  HOGLET_ASSIGN_OR_RETURN(auto value, body.Bool(key));
  if (value) *target = *value;
  return Status::Ok();
}

Status ApplyAnonymizeIps(const JsonBody& body, meta::Project* project) {
  return ApplyBool(body, "anonymize_ips", &project->anonymize_ips);
}

Status ApplyPersonProcessingOptOut(const JsonBody& body, meta::Project* project) {
  return ApplyBool(body, "person_processing_opt_out", &project->person_processing_opt_out);
}

Status ApplyTestAccountFilters(const JsonBody& body, meta::Project* project) {
  HOGLET_ASSIGN_OR_RETURN(auto filters, body.ArrayJson("test_account_filters"));
  if (filters) project->test_account_filters = std::move(*filters);
  return Status::Ok();
}

// Every settable field, in the order they are checked (the first invalid one is reported).
struct Setting {
  std::string_view name;
  Status (*apply)(const JsonBody& body, meta::Project* project);
};
constexpr Setting kSettings[] = {
    {"name", ApplyName},
    {"timezone", ApplyTimezone},
    {"week_start_day", ApplyWeekStartDay},
    {"anonymize_ips", ApplyAnonymizeIps},
    {"person_processing_opt_out", ApplyPersonProcessingOptOut},
    {"test_account_filters", ApplyTestAccountFilters},
};

}  // namespace

void WriteProjectJson(const meta::Project& project, ProjectView view, JsonWriter* w) {
  w->BeginObject();
  w->Key("id");
  w->Int(project.id);
  w->Key("project_id");
  w->Int(project.id);
  w->Key("organization");
  w->String(project.organization_id);
  w->Key("api_token");
  w->String(project.api_token);
  w->Key("name");
  w->String(project.name);
  w->Key("timezone");
  w->String(project.timezone);
  w->Key("week_start_day");
  w->Int(project.week_start_day);
  w->Key("anonymize_ips");
  w->Bool(project.anonymize_ips);
  w->Key("created_at");
  w->String(FormatIsoMicros(project.created_at_us));
  if (view == ProjectView::kDetail) {
    w->Key("secret_api_token");
    w->String(project.secret_api_token);
    w->Key("person_processing_opt_out");
    w->Bool(project.person_processing_opt_out);
    w->Key("test_account_filters");
    w->Raw(project.test_account_filters);
  }
  w->EndObject();
}

Status ApplyProjectSettings(const JsonBody& body, meta::Project* project, std::string* attr) {
  for (const Setting& setting : kSettings) {
    Status applied = setting.apply(body, project);
    if (!applied.ok()) {
      *attr = std::string(setting.name);
      return applied;
    }
  }
  return Status::Ok();
}

bool IsTimezoneName(std::string_view name) {
  if (name.empty() || name.size() > kMaxTimezoneBytes) return false;
  return TimeZone::Load(name).ok();
}

}  // namespace hoglet::api
