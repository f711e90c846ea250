// Remote config (capture-and-flags §2.7): what posthog-js reads on load, from
// GET /array/<token>/config (JSON) and GET /array/<token>/config.js (a script that stores the same
// config in window._POSTHOG_REMOTE_CONFIG). Session recording, surveys and heatmaps are off;
// gzip is offered so browsers compress their batches; hasFeatureFlags says whether the project
// has an active flag (posthog-js skips /flags when it is false). Unknown token → 404.
// Answered on the I/O thread from the in-memory flag snapshot, or on a worker when the snapshot
// must be rebuilt first.
#pragma once

#include "api/api_context.h"
#include "http/message.h"

namespace hoglet::api {

void HandleRemoteConfig(const ApiContext& context, http::Request&& request,
                        http::Responder respond);
void HandleRemoteConfigScript(const ApiContext& context, http::Request&& request,
                              http::Responder respond);

}  // namespace hoglet::api
