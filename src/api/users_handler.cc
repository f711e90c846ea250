#include "api/users_handler.h"

#include <string>

#include "api/auth.h"
#include "api/organization_json.h"
#include "api/project_json.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "http/error_response.h"

namespace hoglet::api {

void HandleGetUser(const ApiContext& context, const meta::AuthenticatedKey& caller,
                   http::Request&& request, http::Responder respond) {
  std::string_view who = request.PathParam("user");
  if (who != "@me" && who != caller.user.uuid) {
    return respond(http::ErrorResponse(NotFoundError("user " + std::string(who) + " not found")));
  }
  auto organization = context.meta->OrganizationById(caller.user.organization_id);
  if (!organization.ok()) return respond(http::ErrorResponse(organization.status()));
  auto projects = context.meta->ProjectsOfOrganization(caller.user.organization_id);
  if (!projects.ok()) return respond(http::ErrorResponse(projects.status()));

  JsonWriter w;
  w.BeginObject();
  w.Key("id");
  w.Int(caller.user.id);
  w.Key("uuid");
  w.String(caller.user.uuid);
  w.Key("distinct_id");
  w.String(caller.user.uuid);
  w.Key("first_name");
  w.String(caller.user.first_name);
  w.Key("last_name");
  w.String("");
  w.Key("email");
  w.String(caller.user.email);
  w.Key("date_joined");
  w.String(FormatIsoMicros(caller.user.created_at_us));
  w.Key("is_staff");
  w.Bool(false);

  w.Key("organization");
  WriteOrganizationJson(*organization, *projects, &w);

  w.Key("team");
  if (projects->empty()) {
    w.Null();
  } else {
    WriteProjectJson(projects->front(), ProjectView::kBasic, &w);
  }

  w.Key("organizations");
  w.BeginArray();
  w.BeginObject();
  w.Key("id");
  w.String(organization->id);
  w.Key("name");
  w.String(organization->name);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  respond(http::Response::Json(200, std::move(w).Take()));
}

}  // namespace hoglet::api
