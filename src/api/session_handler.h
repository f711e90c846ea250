// The web app's account endpoints: the first account, login and logout (names as PostHog's).
//
//   GET  /_preflight   200 {"can_create_org": bool, "initiated": true, "cloud": false}
//                      can_create_org: no user has a password yet, so POST /api/signup/ is open
//   POST /api/signup   {"email", "password", "first_name"?, "project_name"?}: while no user has
//                      a password, creates the first account in the organization the data
//                      directory was bootstrapped with (its owner), names its first project when
//                      project_name is given, and logs in. 201 {"id", "uuid", "email",
//                      "first_name"}; 403 "signup_closed" once an account exists.
//   POST /api/login    {"email", "password"}: 200 {"success": true} and the session cookies
//                      (api/session_cookies.h); 401 "invalid_credentials" for a wrong email or
//                      password; 429 with Retry-After past the failed-login limit
//                      (api/login_rate_limiter.h), whatever the password.
//   POST /api/logout   ends the cookie's session (CSRF-checked when it is live) and clears the
//                      cookies: 200 {"success": true}.
//
// Signup and login are refused (403) from another origin (api/session_cookies.h CheckSameOrigin):
// a foreign page must not log a browser into an account. All run on the worker pool (passwords
// are hashed with Argon2id).
#pragma once

#include "api/api_context.h"
#include "http/message.h"

namespace hoglet::api {

void HandlePreflight(const ApiContext& context, http::Request&& request, http::Responder respond);
void HandleSignup(const ApiContext& context, http::Request&& request, http::Responder respond);
void HandleLogin(const ApiContext& context, http::Request&& request, http::Responder respond);
void HandleLogout(const ApiContext& context, http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
