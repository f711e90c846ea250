// The capture endpoints (/e, /i/v0/e, /capture, /batch, /track, /engage; capture-and-flags §1):
// decode, resolve the project from the token, append to the event log, and answer 200 only once
// every event of the request is durable.
//
// Responses: 200 {"status":"Ok"} (204 without body for ?beacon=1); 400/401/413 from decoding;
// 401 for a token no project has; 503 with Retry-After when the log cannot take the events
// (disk full, I/O error) and 429 when it is overloaded — the SDKs retry both.
#pragma once

#include "api/api_context.h"
#include "http/message.h"

namespace hoglet::api {

void HandleCapture(const ApiContext& context, http::Request&& request, http::Responder respond);

// /s (session replay): accepted and discarded, so posthog-js does not retry forever. Remote
// config turns recording off, so current SDKs do not send it.
void HandleReplay(const ApiContext& context, http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
