// /api/personal_api_keys/ in PostHog's shapes: the calling user's own keys. The plain key is
// shown once, in the create response; every other response carries only its mask.
//
//   GET    /api/personal_api_keys/       200 [key, ...] oldest first
//   POST   /api/personal_api_keys/       201 key + "value": "phx_…";
//                                        body {"label": "...", "scopes": ["feature_flag:read", …]}
//   GET    /api/personal_api_keys/{id}/  200 key
//   PATCH  /api/personal_api_keys/{id}/  200 key; body {"label"?, "scopes"?}: the new scopes
//                                        apply from the key's next request
//   DELETE /api/personal_api_keys/{id}/  204, no body; the key stops authenticating at once
//
// key = {"id", "label", "mask_value", "created_at", "last_used_at" (null until first use),
//        "user_id", "scopes": [...]}. `{id}` may be "@current": the key sending the request.
//
// Scopes (meta/api_key_scopes.h): a key created without "scopes" has full access, ["*"], as
// every key stored before scopes existed. A scope that is not "*" or a PostHog scope object with
// action read or write, an empty list or a list of non-strings answers 400 with "attr": "scopes"
// and a detail naming the bad scope. A missing, non-string, empty or over-long label answers 400
// with "attr": "label".
//
// Who may call what (checked by the route, api/scope_permission.h): PostHog lets a personal API
// key only read itself here, since managing keys is for a logged-in user. Hoglet has no login, so
// a key with "*" may do everything here; any other key may only read itself (GET of @current or
// of its own id), and gets 403 otherwise. Another user's key id answers 404, as an unknown one
// does.
//
// Every handler reads or writes the metadata store and so runs on the worker pool.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleListPersonalApiKeys(const ApiContext& context, const meta::AuthenticatedKey& caller,
                               http::Request&& request, http::Responder respond);
void HandleCreatePersonalApiKey(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                http::Request&& request, http::Responder respond);
void HandleGetPersonalApiKey(const ApiContext& context, const meta::AuthenticatedKey& caller,
                             http::Request&& request, http::Responder respond);
void HandleUpdatePersonalApiKey(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                http::Request&& request, http::Responder respond);
void HandleDeletePersonalApiKey(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
