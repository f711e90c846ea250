// Browser sessions: what a login creates and a cookie carries back.
//
// A session is a random token (256 bits) handed to the browser once, in an HttpOnly cookie; the
// store keeps only its SHA-256, the user it belongs to, its CSRF token and when it expires. A
// session ends when it expires, when it is deleted (logout), or when all of its user's sessions
// are revoked (a password change). See docs/web.md.
#pragma once

#include <cstdint>
#include <string>

namespace hoglet::meta {

// How long a session lasts from its login (PostHog's SESSION_COOKIE_AGE is two weeks).
inline constexpr int64_t kSessionLifetimeUs = int64_t{14} * 24 * 3600 * 1'000'000;

// A session just created: the only time its plain token exists outside the browser.
struct NewSession {
  std::string token;       // the cookie's value
  std::string csrf_token;  // what the app sends back in X-CSRFToken on writes
  int64_t expires_at_us = 0;
};

// A live session, as authentication finds it.
struct SessionInfo {
  int64_t user_id = 0;
  std::string csrf_token;
  int64_t expires_at_us = 0;
};

}  // namespace hoglet::meta
