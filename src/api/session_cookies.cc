#include "api/session_cookies.h"

#include <openssl/crypto.h>

#include <string>

#include "base/ascii.h"

namespace hoglet::api {
namespace {

std::string Cookie(const http::Request& request, std::string_view name, std::string_view value,
                   int64_t max_age_s, bool http_only) {
  std::string cookie = std::string(name) + "=" + std::string(value) +
                       "; Path=/; Max-Age=" + std::to_string(max_age_s) + "; SameSite=Lax";
  if (http_only) cookie += "; HttpOnly";
  if (RequestIsSecure(request)) cookie += "; Secure";
  return cookie;
}

}  // namespace

std::optional<std::string> CookieValue(const http::Request& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (!EqualsIgnoreAsciiCase(header, "Cookie")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t end = rest.find(';');
      std::string_view pair = TrimBlanks(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos || TrimBlanks(pair.substr(0, eq)) != name) continue;
      return std::string(TrimBlanks(pair.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

bool RequestIsSecure(const http::Request& request) {
  return EqualsIgnoreAsciiCase(TrimBlanks(request.Header("X-Forwarded-Proto")), "https");
}

void SetSessionCookies(const http::Request& request, const meta::NewSession& session,
                       int64_t now_us, http::Response* response) {
  int64_t max_age_s = std::max<int64_t>(0, (session.expires_at_us - now_us) / 1'000'000);
  response->headers.emplace_back("Set-Cookie",
                                 Cookie(request, kSessionCookie, session.token, max_age_s, true));
  response->headers.emplace_back(
      "Set-Cookie", Cookie(request, kCsrfCookie, session.csrf_token, max_age_s, false));
}

void ClearSessionCookies(const http::Request& request, http::Response* response) {
  response->headers.emplace_back("Set-Cookie", Cookie(request, kSessionCookie, "", 0, true));
  response->headers.emplace_back("Set-Cookie", Cookie(request, kCsrfCookie, "", 0, false));
}

Status CheckCsrf(const http::Request& request, const meta::SessionInfo& session) {
  const std::string& method = request.method;
  if (method == "GET" || method == "HEAD" || method == "OPTIONS") return Status::Ok();
  std::string_view sent = request.Header(kCsrfHeader);
  if (!sent.empty() && sent.size() == session.csrf_token.size() &&
      CRYPTO_memcmp(sent.data(), session.csrf_token.data(), sent.size()) == 0) {
    return Status::Ok();
  }
  return PermissionDeniedError(
      "CSRF token missing or incorrect: send the posthog_csrftoken cookie's value in the "
      "X-CSRFToken header",
      "csrf_failed");
}

Status CheckSameOrigin(const http::Request& request) {
  std::string_view origin = request.Header("Origin");
  if (origin.empty()) return Status::Ok();
  std::string own =
      (RequestIsSecure(request) ? "https://" : "http://") + std::string(request.Header("Host"));
  if (EqualsIgnoreAsciiCase(origin, own)) return Status::Ok();
  return PermissionDeniedError(
      "a session cookie is only accepted from this server's own pages; other origins must send "
      "a personal API key",
      "cross_origin");
}

}  // namespace hoglet::api
