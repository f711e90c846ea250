// A project (PostHog's "team") in the REST API's JSON, in both directions: how a project is shown
// and which settings a request body may change.
//
// Shown fields (PostHog's names):
//   basic   id, project_id, organization, api_token, name, timezone, week_start_day,
//           anonymize_ips, created_at                        (lists, users/@me)
//   detail  basic + secret_api_token, person_processing_opt_out, test_account_filters
//                                                            (create, retrieve, update)
//
// Settings a body may change, each optional (absent = unchanged, unknown fields ignored):
//   name                        string, 1 to 200 bytes
//   timezone                    a name of the IANA tz database, e.g. "UTC" (see IsTimezoneName)
//   week_start_day              0 (Sunday), 1 (Monday) or null (Sunday)
//   anonymize_ips               boolean
//   person_processing_opt_out   boolean
//   test_account_filters        list (of property filters)
#pragma once

#include <string>
#include <string_view>

#include "api/json_body.h"
#include "base/json_writer.h"
#include "base/status.h"
#include "meta/meta_store.h"

namespace hoglet::api {

enum class ProjectView { kBasic, kDetail };

inline constexpr size_t kMaxProjectNameBytes = 200;

// Writes `project` as one JSON object.
void WriteProjectJson(const meta::Project& project, ProjectView view, JsonWriter* w);

// Copies the settings present in `body` into `*project`, validating each. On the first invalid
// one, returns kInvalidArgument (reason "invalid_input") and sets `*attr` to the field's name;
// `*project` may then be partly changed and should be discarded.
Status ApplyProjectSettings(const JsonBody& body, meta::Project* project, std::string* attr);

// True for a name of the system's IANA time-zone database, 64 bytes at most: "UTC",
// "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5", links such as "US/Eastern"
// (see base/time_zone.h). Names are case-sensitive, as in the database.
bool IsTimezoneName(std::string_view name);

}  // namespace hoglet::api
