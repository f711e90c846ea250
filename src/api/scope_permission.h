// May this personal API key call this route? PostHog's APIScopePermission, for Hoglet's routes.
//
// Every private route declares what it asks of the caller's key (api/routes.cc):
//   RouteScope::Object("feature_flag")   PostHog's scope object; the action is read for GET and
//                                        HEAD, write for every other method
//   RouteScope::Object("cohort", kWrite) an explicit action, for PostHog's exceptions (a PATCH
//                                        action that only reads, or a GET that writes)
//   RouteScope::FullAccess()             only a key with "*": PostHog refuses personal API keys
//                                        here entirely (managing keys is for a logged-in user);
//                                        Hoglet has no login, so its full-access keys stand in
//   RouteScope::OwnKeyOrFullAccess()     the `{id}` path parameter names the calling key itself
//                                        ("@current" or its id), or the key has "*"
//
// A key whose scopes do not allow the route gets 403 with a detail naming the missing scope,
// e.g. "API key missing required scope 'feature_flag:write'". Write implies read; "*" allows
// everything (meta/api_key_scopes.h).
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "base/status.h"
#include "http/message.h"
#include "meta/api_key_scopes.h"
#include "meta/meta_store.h"

namespace hoglet::api {

class RouteScope {
 public:
  static RouteScope Object(std::string_view object,
                           std::optional<meta::ScopeAction> action = std::nullopt) {
    return RouteScope(Kind::kObject, object, action);
  }
  static RouteScope FullAccess() { return RouteScope(Kind::kFullAccess, {}, std::nullopt); }
  static RouteScope OwnKeyOrFullAccess() {
    return RouteScope(Kind::kOwnKeyOrFullAccess, {}, std::nullopt);
  }

  // OK when `caller` may send `request` to a route declared with this scope; kPermissionDenied
  // (reason "permission_denied") otherwise.
  Status Authorize(const meta::AuthenticatedKey& caller, const http::Request& request) const;

 private:
  enum class Kind { kObject, kFullAccess, kOwnKeyOrFullAccess };

  RouteScope(Kind kind, std::string_view object, std::optional<meta::ScopeAction> action)
      : kind_(kind), object_(object), action_(action) {}

  Kind kind_;
  std::string_view object_;  // a literal: routes declare it once, for the process's lifetime
  std::optional<meta::ScopeAction> action_;
};

// OK when the caller's scopes grant `action` on `object`; otherwise kPermissionDenied, reason
// "permission_denied", "API key missing required scope '<object>:<action>'". For handlers that
// authenticate themselves because they also take a project secret key (local evaluation,
// remote config).
Status RequireScope(const meta::AuthenticatedKey& caller, std::string_view object,
                    meta::ScopeAction action);

}  // namespace hoglet::api
