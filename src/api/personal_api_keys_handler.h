// /api/personal_api_keys/ in PostHog's shapes: the calling user's own keys. Authenticated by a
// personal API key (api/auth.h). The plain key is shown once, in the create response; every
// other response carries only its mask.
//
//   GET    /api/personal_api_keys/       200 [key, ...] oldest first
//   POST   /api/personal_api_keys/       201 key + "value": "phx_…"; body {"label": "..."}
//   GET    /api/personal_api_keys/{id}/  200 key
//   DELETE /api/personal_api_keys/{id}/  204, no body; the key stops authenticating at once
//
// key = {"id", "label", "mask_value", "created_at", "last_used_at" (null until first use),
//        "user_id", "scopes": ["*"]} — keys are not scoped: a key may do what its user may.
//
// Another user's key id answers 404, as an unknown one does. A missing, non-string, empty or
// over-long label answers 400 with "attr": "label".
//
// Every handler reads or writes the metadata store and so runs on the worker pool.
#pragma once

#include "api/api_context.h"
#include "http/message.h"

namespace hoglet::api {

void HandleListPersonalApiKeys(const ApiContext& context, http::Request&& request,
                               http::Responder respond);
void HandleCreatePersonalApiKey(const ApiContext& context, http::Request&& request,
                                http::Responder respond);
void HandleGetPersonalApiKey(const ApiContext& context, http::Request&& request,
                             http::Responder respond);
void HandleDeletePersonalApiKey(const ApiContext& context, http::Request&& request,
                                http::Responder respond);

}  // namespace hoglet::api
