#include "api/projects_handler.h"

#include <string>

#include "api/auth.h"
#include "api/handler_result.h"
#include "api/json_body.h"
#include "api/pagination.h"
#include "api/project_json.h"
#include "base/json_writer.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

http::Response ProjectResponse(int status, const meta::Project& project) {
  JsonWriter w;
  WriteProjectJson(project, ProjectView::kDetail, &w);
  return http::Response::Json(status, std::move(w).Take());
}

}  // namespace

void HandleListProjects(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&&, http::Responder respond) {
  auto projects = context.meta->ProjectsOfOrganization(caller.user.organization_id);
  if (!projects.ok()) return respond(http::ErrorResponse(projects.status()));
  respond(ListResponse(projects->size(), {}, [&](JsonWriter* w) {
    for (const meta::Project& project : *projects)
      WriteProjectJson(project, ProjectView::kBasic, w);
  }));
}

void HandleCreateProject(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond) {
  auto body = JsonBody::Parse(request.body);
  if (!body.ok()) return respond(http::ErrorResponse(body.status()));
  if (!body->Has("name")) {
    return respond(http::ErrorResponse(
        InvalidArgumentError("a new project needs a 'name'", "required"), "name"));
  }
  // Validate every setting before creating anything, so a bad request leaves no project behind.
  meta::Project settings;
  std::string attr;
  Status valid = ApplyProjectSettings(*body, &settings, &attr);
  if (!valid.ok()) return respond(http::ErrorResponse(valid, attr));

  auto created = context.meta->CreateProject(caller.user.organization_id, settings.name);
  if (!created.ok()) return respond(http::ErrorResponse(created.status()));
  meta::Project project = *created;
  Status applied = ApplyProjectSettings(*body, &project, &attr);
  if (!applied.ok()) return respond(http::ErrorResponse(applied, attr));
  if (project != *created) {
    auto updated = context.meta->UpdateProject(project);
    if (!updated.ok()) return respond(http::ErrorResponse(updated.status()));
    project = *updated;
  }
  respond(ProjectResponse(201, project));
}

void HandleGetProject(const ApiContext& context, const meta::AuthenticatedKey& caller,
                      http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [](const meta::Project& project) {
    return StatusOr<http::Response>(ProjectResponse(200, project));
  });
}

void HandleUpdateProject(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond) {
  RespondInProject(
      context, caller, request, respond,
      [&](const meta::Project& project) -> StatusOr<http::Response> {
        HOGLET_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(request.body));
        meta::Project changed = project;
        std::string attr;
        if (auto refused = FieldErrorOf(ApplyProjectSettings(body, &changed, &attr), attr)) {
          return *refused;
        }
        if (changed == project) return ProjectResponse(200, changed);
        HOGLET_ASSIGN_OR_RETURN(meta::Project updated, context.meta->UpdateProject(changed));
        return ProjectResponse(200, updated);
      });
}

void HandleDeleteProject(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond,
                   [&](const meta::Project& project) -> StatusOr<http::Response> {
                     HOGLET_RETURN_IF_ERROR(context.meta->DeleteProject(project.id));
                     return NoContentResponse();
                   });
}

}  // namespace hoglet::api
