// The browser side of a session: its cookies, the CSRF check of cookie-authenticated writes and
// the origin check of cookie-authenticated requests.
//
//   sessionid          the session token (meta/sessions.h); HttpOnly, SameSite=Lax, Path=/
//   posthog_csrftoken  the session's CSRF token; readable by the app, which sends it back in the
//                      X-CSRFToken header of every POST, PATCH, PUT and DELETE
//
// Both carry Secure when the request came over TLS (X-Forwarded-Proto: https from a proxy).
// Cookie names are PostHog's (Django's session cookie and PostHog's CSRF cookie).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "http/message.h"
#include "meta/sessions.h"

namespace hoglet::api {

inline constexpr std::string_view kSessionCookie = "sessionid";
inline constexpr std::string_view kCsrfCookie = "posthog_csrftoken";
inline constexpr std::string_view kCsrfHeader = "X-CSRFToken";

// The value of cookie `name` in the request's Cookie header(s); nullopt when absent.
std::optional<std::string> CookieValue(const http::Request& request, std::string_view name);

// Whether the client reached the server over TLS (X-Forwarded-Proto: https).
bool RequestIsSecure(const http::Request& request);

// Adds the Set-Cookie headers that start `session` in the browser (lifetime: its expiry).
void SetSessionCookies(const http::Request& request, const meta::NewSession& session,
                       int64_t now_us, http::Response* response);

// Adds the Set-Cookie headers that remove both cookies.
void ClearSessionCookies(const http::Request& request, http::Response* response);

// OK for GET, HEAD and OPTIONS; for any other method, OK only when the X-CSRFToken header equals
// the session's CSRF token. kPermissionDenied ("csrf_failed") otherwise.
Status CheckCsrf(const http::Request& request, const meta::SessionInfo& session);

// OK when the request has no Origin header or its Origin is this server's own (scheme and Host).
// A session cookie is honoured only then: the router's CORS answers mirror any Origin, which is
// right for SDKs with keys but would let another site on the same host read with the cookie.
// kPermissionDenied ("cross_origin") otherwise.
Status CheckSameOrigin(const http::Request& request);

}  // namespace hoglet::api
