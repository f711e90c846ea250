// GET /api/users/@me/ in PostHog's shape: who the personal API key belongs to, the organization
// and the current project. Hoglet has one organization per user and no per-user project choice:
// the current project ("team") is the organization's first project, the same one "@current"
// names in /api/projects/@current/.
//
//   200 {"id", "uuid", "distinct_id", "first_name", "last_name": "", "email", "date_joined",
//        "is_staff": false,
//        "organization": {"id", "name", "created_at", "teams": [basic project, ...]},
//        "team": basic project or null (no project left),
//        "organizations": [{"id", "name"}]}
//
// The basic project shape is in api/project_json.h. `{user}` may also be the caller's own uuid;
// any other value answers 404. The key needs user:read (checked by the route). Runs on the worker
// pool (it authenticates against the metadata store).
//
// PATCH /api/users/@me/ {"current_password", "password"} changes the password, as PostHog's
// does: 400 naming current_password ("Your current password is incorrect. Please try again.")
// when it is wrong — limited as failed logins are, per user and per client address, counted
// apart from logins (api/login_rate_limiter.h: past the limit, 429) —, naming password when the
// new one is refused
// (meta::kMinPasswordBytes…kMaxPasswordBytes), naming any other field (nothing else changes
// here). The answer is the user, as GET shows it. Every session of the user ends; a caller with
// a session cookie gets a new session in the answer's cookies (PostHog keeps the session that
// changed the password), and personal API keys keep working. Needs user:write.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleGetUser(const ApiContext& context, const meta::AuthenticatedKey& caller,
                   http::Request&& request, http::Responder respond);
void HandleUpdateUser(const ApiContext& context, const meta::AuthenticatedKey& caller,
                      http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
