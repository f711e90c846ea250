#include "api/session_handler.h"

#include <mutex>
#include <string>

#include "api/json_body.h"
#include "api/session_cookies.h"
#include "base/json_writer.h"
#include "http/error_response.h"
#include "meta/password_hash.h"

namespace hoglet::api {
namespace {

// Two signups at once must not both find the store without an account.
std::mutex signup_mu;

// A required string field of the body; kInvalidArgument naming it when absent or empty.
StatusOr<std::string> RequiredString(const JsonBody& body, std::string_view key) {
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> value, body.String(key));
  if (!value || value->empty()) {
    return InvalidArgumentError(std::string(key) + " is required", "required");
  }
  return *std::move(value);
}

// What a signup or login request sends: a JSON body, from this server's own origin, with the
// account's email and password.
struct Credentials {
  JsonBody body;
  std::string email;
  std::string password;
};

// The credentials of `request`. On an error `*attr` names the body field at fault (empty when
// the error is not about one field).
StatusOr<Credentials> ReadCredentials(const http::Request& request, std::string* attr) {
  attr->clear();
  HOGLET_RETURN_IF_ERROR(CheckSameOrigin(request));
  HOGLET_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(request.body));
  *attr = "email";
  HOGLET_ASSIGN_OR_RETURN(std::string email, RequiredString(body, "email"));
  *attr = "password";
  HOGLET_ASSIGN_OR_RETURN(std::string password, RequiredString(body, "password"));
  attr->clear();
  return Credentials{std::move(body), std::move(email), std::move(password)};
}

// Starts a session for `user_id` and answers `response` with its cookies.
void StartSession(const ApiContext& context, const http::Request& request, int64_t user_id,
                  http::Response response, const http::Responder& respond) {
  auto session = context.meta->CreateSession(user_id, meta::kSessionLifetimeUs);
  if (!session.ok()) return respond(http::ErrorResponse(session.status()));
  SetSessionCookies(request, *session, context.clock->NowMicros(), &response);
  respond(std::move(response));
}

}  // namespace

void HandlePreflight(const ApiContext& context, http::Request&&, http::Responder respond) {
  auto has_password = context.meta->AnyUserHasPassword();
  if (!has_password.ok()) return respond(http::ErrorResponse(has_password.status()));
  JsonWriter w;
  w.BeginObject();
  w.Key("can_create_org");
  w.Bool(!*has_password);
  w.Key("initiated");
  w.Bool(true);
  w.Key("cloud");
  w.Bool(false);
  w.EndObject();
  respond(http::Response::Json(200, std::move(w).Take()));
}

void HandleSignup(const ApiContext& context, http::Request&& request, http::Responder respond) {
  std::string attr;
  auto credentials = ReadCredentials(request, &attr);
  if (!credentials.ok()) return respond(http::ErrorResponse(credentials.status(), attr));
  const JsonBody& body = credentials->body;
  const std::string& email = credentials->email;
  const std::string& password = credentials->password;
  if (password.size() < meta::kMinPasswordBytes || password.size() > meta::kMaxPasswordBytes) {
    return respond(http::ErrorResponse(
        InvalidArgumentError("a password has " + std::to_string(meta::kMinPasswordBytes) + " to " +
                                 std::to_string(meta::kMaxPasswordBytes) + " bytes",
                             "password_too_short"),
        "password"));
  }
  auto first_name = body.String("first_name");
  if (!first_name.ok()) return respond(http::ErrorResponse(first_name.status(), "first_name"));
  auto project_name = body.String("project_name");
  if (!project_name.ok()) {
    return respond(http::ErrorResponse(project_name.status(), "project_name"));
  }

  std::unique_lock lock(signup_mu);
  auto has_password = context.meta->AnyUserHasPassword();
  if (!has_password.ok()) return respond(http::ErrorResponse(has_password.status()));
  if (*has_password) {
    return respond(http::ErrorResponse(PermissionDeniedError(
        "the first account already exists: log in instead", "signup_closed")));
  }
  auto user =
      context.meta->CreateUser(context.first_organization_id, email, first_name->value_or(""));
  if (!user.ok()) return respond(http::ErrorResponse(user.status(), "email"));
  Status set = context.meta->SetUserPassword(user->id, password);
  if (!set.ok()) return respond(http::ErrorResponse(set, "password"));
  lock.unlock();

  if (project_name->has_value() && !(*project_name)->empty()) {
    auto projects = context.meta->ProjectsOfOrganization(user->organization_id);
    if (projects.ok() && !projects->empty()) {
      meta::Project renamed = projects->front();
      renamed.name = **project_name;
      auto updated = context.meta->UpdateProject(renamed);
      if (!updated.ok()) return respond(http::ErrorResponse(updated.status(), "project_name"));
    }
  }

  JsonWriter w;
  w.BeginObject();
  w.Key("id");
  w.Int(user->id);
  w.Key("uuid");
  w.String(user->uuid);
  w.Key("email");
  w.String(user->email);
  w.Key("first_name");
  w.String(user->first_name);
  w.EndObject();
  StartSession(context, request, user->id, http::Response::Json(201, std::move(w).Take()), respond);
}

void HandleLogin(const ApiContext& context, http::Request&& request, http::Responder respond) {
  std::string attr;
  auto credentials = ReadCredentials(request, &attr);
  if (!credentials.ok()) return respond(http::ErrorResponse(credentials.status(), attr));
  const std::string& email = credentials->email;
  const std::string& password = credentials->password;

  const std::string client_ip = request.ClientIp();
  int64_t retry_after_s = 0;
  Status admitted = context.login_limiter->Admit(client_ip, email, &retry_after_s);
  if (!admitted.ok()) {
    http::Response response = http::ErrorResponse(admitted);
    std::erase_if(response.headers,
                  [](const auto& header) { return header.first == "Retry-After"; });
    response.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
    return respond(std::move(response));
  }
  auto user = context.meta->AuthenticatePassword(email, password);
  if (!user.ok()) {
    context.login_limiter->RecordFailure(client_ip, email);
    return respond(http::ErrorResponse(
        UnauthenticatedError("email or password is wrong", "invalid_credentials")));
  }
  context.login_limiter->RecordSuccess(client_ip, email);
  StartSession(context, request, user->id, http::Response::Json(200, R"({"success":true})"),
               respond);
}

void HandleLogout(const ApiContext& context, http::Request&& request, http::Responder respond) {
  if (auto token = CookieValue(request, kSessionCookie); token && !token->empty()) {
    auto session = context.meta->SessionByToken(*token);
    if (session.ok()) {
      Status csrf = CheckCsrf(request, *session);
      if (!csrf.ok()) return respond(http::ErrorResponse(csrf));
      Status deleted = context.meta->DeleteSession(*token);
      if (!deleted.ok()) return respond(http::ErrorResponse(deleted));
    }
  }
  http::Response response = http::Response::Json(200, R"({"success":true})");
  ClearSessionCookies(request, &response);
  respond(std::move(response));
}

}  // namespace hoglet::api
