// Who is calling a private endpoint, and may they see this project?
//
// Private endpoints take a personal API key (`Authorization: Bearer phx_…`, or the
// `personal_api_key` query parameter as PostHog also accepts), or, when neither is sent, the web
// app's session cookie (api/session_cookies.h): it stands for a full-access key of its user, for
// requests from this server's own origin, with the CSRF token on every write. A project token (phc_) is never
// enough: it only writes events and reads flags. What the key may do is checked separately, per
// route, against its scopes (api/scope_permission.h); api/routes.cc does both before a private
// handler runs.
#pragma once

#include <cstdint>

#include "base/status.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

struct ApiContext;  // api/api_context.h

// The user behind the request's personal API key, with the key's id and scopes; or the user of
// its session (empty key id, scopes {"*"}). kUnauthenticated with a message saying what to send
// when the key is missing, malformed, a project token, or unknown, or the session unknown or
// expired; kPermissionDenied for a session used from another origin or a write without its CSRF
// token.
StatusOr<meta::AuthenticatedKey> AuthenticateRequest(const http::Request& request,
                                                     meta::MetaStore& meta);

// The project named by the `{project_id}` path parameter ("@current" = the user's first
// project) if the user's organization owns it. kNotFound otherwise (not kPermissionDenied: other
// organizations' project ids are not revealed).
StatusOr<meta::Project> AuthorizeProject(const http::Request& request, const meta::User& user,
                                         meta::MetaStore& meta);

// Whether a handler reads the person store besides the metadata store.
enum class PersonStoreUse { kNone, kReads };

// What every project-scoped private handler starts with: the project AuthorizeProject finds for
// the caller's user. With PersonStoreUse::kReads, kUnavailable first when the server has no
// person store (RequirePersonStore).
StatusOr<meta::Project> AuthorizeCaller(const ApiContext& context,
                                        const meta::AuthenticatedKey& caller,
                                        const http::Request& request,
                                        PersonStoreUse persons = PersonStoreUse::kNone);

// kUnavailable ("service_unavailable") when the server has no person store.
Status RequirePersonStore(const ApiContext& context);

}  // namespace hoglet::api
