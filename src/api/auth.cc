#include "api/auth.h"

#include <charconv>
#include <string>

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
  int64_t id = 0;
  auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc() || end != id_text.data() + id_text.size()) {
    return NotFoundError("'" + std::string(id_text) + "' is not a project id");
  }
  auto project = meta.ProjectById(id);
  if (!project.ok() || project->organization_id != user.organization_id) {
    return NotFoundError("project " + std::string(id_text) + " not found");
  }
  return project;
}

}  // namespace hoglet::api
