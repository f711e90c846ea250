#include "api/auth.h"

#include <string>

#include "api/api_context.h"
#include "api/id_param.h"
#include "api/session_cookies.h"

namespace hoglet::api {
namespace {

// The user of a session cookie, as if a full-access key ("*") of theirs had been sent: a session
// may do what its user may. Checks the origin, the session and, for writes, the CSRF token.
StatusOr<meta::AuthenticatedKey> AuthenticateSession(const http::Request& request,
                                                     std::string_view token,
                                                     meta::MetaStore& meta) {
  HOGLET_RETURN_IF_ERROR(CheckSameOrigin(request));
  HOGLET_ASSIGN_OR_RETURN(meta::SessionInfo session, meta.SessionByToken(token));
  HOGLET_RETURN_IF_ERROR(CheckCsrf(request, session));
  auto user = meta.UserById(session.user_id);
  if (!user.ok())
    return UnauthenticatedError("the session's user no longer exists", "session_expired");
  return meta::AuthenticatedKey{*std::move(user), "", {"*"}};
}

}  // namespace

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
    if (auto token = CookieValue(request, kSessionCookie); token && !token->empty()) {
      return AuthenticateSession(request, *token, meta);
    }
    return UnauthenticatedError(
        "this endpoint needs a personal API key ('Authorization: Bearer phx_…') or a logged-in "
        "session",
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
