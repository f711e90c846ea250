#include "api/users_handler.h"

#include <string>
#include <vector>

#include "api/auth.h"
#include "api/handler_result.h"
#include "api/json_body.h"
#include "api/organization_json.h"
#include "api/project_json.h"
#include "api/session_cookies.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "http/error_response.h"

namespace hoglet::api {

namespace {

// The user as GET /api/users/@me/ shows it; errors are the meta store's.
StatusOr<http::Response> UserResponse(const ApiContext& context, const meta::User& user) {
  HOGLET_ASSIGN_OR_RETURN(meta::Organization organization,
                          context.meta->OrganizationById(user.organization_id));
  HOGLET_ASSIGN_OR_RETURN(std::vector<meta::Project> projects,
                          context.meta->ProjectsOfOrganization(user.organization_id));
  JsonWriter w;
  w.BeginObject();
  w.Key("id");
  w.Int(user.id);
  w.Key("uuid");
  w.String(user.uuid);
  w.Key("distinct_id");
  w.String(user.uuid);
  w.Key("first_name");
  w.String(user.first_name);
  w.Key("last_name");
  w.String("");
  w.Key("email");
  w.String(user.email);
  w.Key("date_joined");
  w.String(FormatIsoMicros(user.created_at_us));
  w.Key("is_staff");
  w.Bool(false);

  w.Key("organization");
  WriteOrganizationJson(organization, projects, &w);

  w.Key("team");
  if (projects.empty()) {
    w.Null();
  } else {
    WriteProjectJson(projects.front(), ProjectView::kBasic, &w);
  }

  w.Key("organizations");
  w.BeginArray();
  w.BeginObject();
  w.Key("id");
  w.String(organization.id);
  w.Key("name");
  w.String(organization.name);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return http::Response::Json(200, std::move(w).Take());
}

// Whether the path's {user} is the caller: "@me" or its own uuid.
bool IsCaller(const meta::AuthenticatedKey& caller, std::string_view who) {
  return who == "@me" || who == caller.user.uuid;
}

}  // namespace

void HandleGetUser(const ApiContext& context, const meta::AuthenticatedKey& caller,
                   http::Request&& request, http::Responder respond) {
  std::string_view who = request.PathParam("user");
  if (!IsCaller(caller, who)) {
    return respond(http::ErrorResponse(NotFoundError("user " + std::string(who) + " not found")));
  }
  respond(ResponseOf(UserResponse(context, caller.user)));
}

void HandleUpdateUser(const ApiContext& context, const meta::AuthenticatedKey& caller,
                      http::Request&& request, http::Responder respond) {
  std::string_view who = request.PathParam("user");
  if (!IsCaller(caller, who)) {
    return respond(http::ErrorResponse(NotFoundError("user " + std::string(who) + " not found")));
  }
  respond(ResponseOf([&]() -> StatusOr<http::Response> {
    HOGLET_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(request.body));
    for (const std::string& field : body.Keys()) {
      if (field != "password" && field != "current_password") {
        return http::ErrorResponse(
            InvalidArgumentError("'" + field +
                                     "' cannot be changed here: only the password is, with "
                                     "current_password",
                                 "invalid_input"),
            field);
      }
    }
    std::string attr = "password";
    auto password = body.NonBlankString("password", JsonBody::Presence::kRequired);
    if (password.ok()) {
      attr = "current_password";
      auto current = body.NonBlankString("current_password", JsonBody::Presence::kRequired);
      if (!current.ok()) return http::ErrorResponse(current.status(), attr);
      // Wrong current passwords are limited as failed logins are (api/login_rate_limiter.h),
      // counted apart from them: a stranger's wrong logins do not lock the user out of this.
      const std::string client_key = "password change from " + request.ClientIp();
      const std::string user_key = "password change of " + caller.user.email;
      int64_t retry_after_s = 0;
      if (context.login_limiter != nullptr) {
        Status admitted = context.login_limiter->Admit(client_key, user_key, &retry_after_s);
        if (!admitted.ok()) return admitted;
      }
      if (!context.meta->AuthenticatePassword(caller.user.email, **current).ok()) {
        if (context.login_limiter != nullptr) {
          context.login_limiter->RecordFailure(client_key, user_key);
        }
        return http::ErrorResponse(
            InvalidArgumentError("Your current password is incorrect. Please try again.",
                                 "incorrect_password"),
            attr);
      }
      attr = "password";
      Status set = context.meta->SetUserPassword(caller.user.id, **password);
      if (!set.ok()) return http::ErrorResponse(set, attr);
    } else {
      return http::ErrorResponse(password.status(), attr);
    }
    HOGLET_ASSIGN_OR_RETURN(http::Response response, UserResponse(context, caller.user));
    // A session caller (no key id) keeps working in a new session, as PostHog keeps it.
    if (caller.key_id.empty()) {
      HOGLET_ASSIGN_OR_RETURN(
          meta::NewSession session,
          context.meta->CreateSession(caller.user.id, meta::kSessionLifetimeUs));
      SetSessionCookies(request, session, context.clock->NowMicros(), &response);
    }
    return response;
  }()));
}

}  // namespace hoglet::api
