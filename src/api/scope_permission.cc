#include "api/scope_permission.h"

#include <string>

namespace hoglet::api {
namespace {

bool HasFullAccess(const meta::AuthenticatedKey& caller) {
  for (const std::string& scope : caller.scopes) {
    if (scope == meta::kFullAccessScope) return true;
  }
  return false;
}

Status NeedsFullAccess() {
  return PermissionDeniedError(
      "this action needs a personal API key with full access (scopes [\"*\"]); a key with "
      "narrower scopes may only read itself, at /api/personal_api_keys/@current/",
      "permission_denied");
}

}  // namespace

Status RequireScope(const meta::AuthenticatedKey& caller, std::string_view object,
                    meta::ScopeAction action) {
  if (meta::ScopesAllow(caller.scopes, object, action)) return Status::Ok();
  return PermissionDeniedError(
      "API key missing required scope '" + meta::ScopeName(object, action) + "'",
      "permission_denied");
}

Status RouteScope::Authorize(const meta::AuthenticatedKey& caller,
                             const http::Request& request) const {
  switch (kind_) {
    case Kind::kObject: {
      meta::ScopeAction action = action_.value_or(
          request.method == "GET" || request.method == "HEAD" ? meta::ScopeAction::kRead
                                                              : meta::ScopeAction::kWrite);
      return RequireScope(caller, object_, action);
    }
    case Kind::kFullAccess:
      return HasFullAccess(caller) ? Status::Ok() : NeedsFullAccess();
    case Kind::kOwnKeyOrFullAccess: {
      std::string_view id = request.PathParam("id");
      if (id == "@current" || id == caller.key_id || HasFullAccess(caller)) return Status::Ok();
      return NeedsFullAccess();
    }
  }
  return InternalError("unknown route scope kind");
}

}  // namespace hoglet::api
