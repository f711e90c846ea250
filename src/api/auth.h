// Who is calling a private endpoint, and may they see this project?
//
// Private endpoints take a personal API key (`Authorization: Bearer phx_…`, or the
// `personal_api_key` query parameter as PostHog also accepts). A project token (phc_) is never
// enough: it only writes events and reads flags. What the key may do is checked separately, per
// route, against its scopes (api/scope_permission.h); api/routes.cc does both before a private
// handler runs.
#pragma once

#include <cstdint>

#include "base/status.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

// The user behind the request's personal API key, with the key's id and scopes.
// kUnauthenticated with a message saying what to send when the key is missing, malformed, a
// project token, or unknown.
StatusOr<meta::AuthenticatedKey> AuthenticateRequest(const http::Request& request,
                                                     meta::MetaStore& meta);

// The project named by the `{project_id}` path parameter ("@current" = the user's first
// project) if the user's organization owns it. kNotFound otherwise (not kPermissionDenied: other
// organizations' project ids are not revealed).
StatusOr<meta::Project> AuthorizeProject(const http::Request& request, const meta::User& user,
                                         meta::MetaStore& meta);

}  // namespace hoglet::api
