#include "api/auth.h"

#include <string>

#include "api/api_context.h"
#include "api/id_param.h"

namespace hoglet::api {

StatusOr<meta::AuthenticatedKey> AuthenticateRequest(const http::Request& request,
                                                     meta::MetaStore& meta) {
  std::string key;
  std::string_view authorization = request.Header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() > kBearer.size() && authorization.substr(0, kBearer.size()) == kBearer) {
    key = std::string(authorization.substr(kBearer.size()));
  } else if (auto param = QueryParam(request.Params(), "personal_api_key")) {
    key = *param;
  }
  if (key.empty()) {
    return UnauthenticatedError(
        "this endpoint needs a personal API key: send 'Authorization: Bearer phx_…'",
        "not_authenticated");
  }
  if (key.rfind("phc_", 0) == 0) {
    return UnauthenticatedError(
        "a project API key (phc_…) can only send events and read flags; use a personal API key "
        "(phx_…) for this endpoint",
        "authentication_failed");
  }
  auto caller = meta.AuthenticatePersonalApiKey(key);
  if (!caller.ok()) {
    return UnauthenticatedError("personal API key is not valid: it may have been deleted",
                                "authentication_failed");
  }
  return caller;
}

StatusOr<meta::Project> AuthorizeProject(const http::Request& request, const meta::User& user,
                                         meta::MetaStore& meta) {
  std::string_view id_text = request.PathParam("project_id");
  if (id_text == "@current") {
    HOGLET_ASSIGN_OR_RETURN(auto projects, meta.ProjectsOfOrganization(user.organization_id));
    if (projects.empty()) return NotFoundError("your organization has no project yet");
    return projects.front();
  }
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) return NotFoundError("'" + std::string(id_text) + "' is not a project id");
  auto project = meta.ProjectById(*id);
  if (!project.ok() || project->organization_id != user.organization_id) {
    return NotFoundError("project " + std::string(id_text) + " not found");
  }
  return project;
}

StatusOr<meta::Project> AuthorizeCaller(const ApiContext& context,
                                        const meta::AuthenticatedKey& caller,
                                        const http::Request& request, PersonStoreUse persons) {
  if (persons == PersonStoreUse::kReads) HOGLET_RETURN_IF_ERROR(RequirePersonStore(context));
  return AuthorizeProject(request, caller.user, *context.meta);
}

Status RequirePersonStore(const ApiContext& context) {
  if (context.persons != nullptr) return Status::Ok();
  return UnavailableError("this server has no person store", "service_unavailable");
}

}  // namespace hoglet::api
