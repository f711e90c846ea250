#include "api/organizations_handler.h"

#include <string>
#include <vector>

#include "api/auth.h"
#include "api/organization_json.h"
#include "api/pagination.h"
#include "api/project_json.h"
#include "base/json_writer.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

// The caller's organization when `{organization_id}` names it; kNotFound otherwise.
StatusOr<meta::Organization> CallersOrganization(const ApiContext& context,
                                                 const meta::AuthenticatedKey& caller,
                                                 const http::Request& request) {
  std::string_view id = request.PathParam("organization_id");
  if (id != "@current" && id != caller.user.organization_id) {
    return NotFoundError("organization " + std::string(id) + " not found");
  }
  return context.meta->OrganizationById(caller.user.organization_id);
}

}  // namespace

void HandleListOrganizations(const ApiContext& context, const meta::AuthenticatedKey& caller,
                             http::Request&&, http::Responder respond) {
  auto organization = context.meta->OrganizationById(caller.user.organization_id);
  if (!organization.ok()) return respond(http::ErrorResponse(organization.status()));
  auto projects = context.meta->ProjectsOfOrganization(caller.user.organization_id);
  if (!projects.ok()) return respond(http::ErrorResponse(projects.status()));
  respond(ListResponse(1, {},
                       [&](JsonWriter* w) { WriteOrganizationJson(*organization, *projects, w); }));
}

void HandleGetOrganization(const ApiContext& context, const meta::AuthenticatedKey& caller,
                           http::Request&& request, http::Responder respond) {
  auto organization = CallersOrganization(context, caller, request);
  if (!organization.ok()) return respond(http::ErrorResponse(organization.status()));
  auto projects = context.meta->ProjectsOfOrganization(organization->id);
  if (!projects.ok()) return respond(http::ErrorResponse(projects.status()));
  JsonWriter w;
  WriteOrganizationJson(*organization, *projects, &w);
  respond(http::Response::Json(200, std::move(w).Take()));
}

void HandleListOrganizationProjects(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                    http::Request&& request, http::Responder respond) {
  auto organization = CallersOrganization(context, caller, request);
  if (!organization.ok()) return respond(http::ErrorResponse(organization.status()));
  auto projects = context.meta->ProjectsOfOrganization(organization->id);
  if (!projects.ok()) return respond(http::ErrorResponse(projects.status()));
  respond(ListResponse(projects->size(), {}, [&](JsonWriter* w) {
    for (const meta::Project& project : *projects) {
      WriteProjectJson(project, ProjectView::kBasic, w);
    }
  }));
}

void HandleGetOrganizationProject(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                  http::Request&& request, http::Responder respond) {
  auto organization = CallersOrganization(context, caller, request);
  if (!organization.ok()) return respond(http::ErrorResponse(organization.status()));
  auto project = AuthorizeCaller(context, caller, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  JsonWriter w;
  WriteProjectJson(*project, ProjectView::kDetail, &w);
  respond(http::Response::Json(200, std::move(w).Take()));
}

}  // namespace hoglet::api
