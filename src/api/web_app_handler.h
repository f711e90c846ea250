// Serves the web app (api/web_assets.h) for GET and HEAD requests no API route matched
// (http::Router::SetFallback):
//   - an embedded file by its path: /static/… names carry a content hash, so they are cached for
//     a year ("immutable"); other files are revalidated (no-cache) by their ETag (304 on
//     If-None-Match);
//   - any other path is a page of the app (client-side routing): index.html, revalidated;
//   - a file embedded gzipped too is sent gzipped (Content-Encoding: gzip) when Accept-Encoding
//     accepts gzip (http/accept_encoding.h), as it is otherwise; either answer says
//     "Vary: Accept-Encoding", and each form has its own ETag, so a 304 always confirms the
//     form the client holds;
//   - except paths under the API, capture, flags and health prefixes, which keep the router's
//     JSON 404.
// HTML answers carry a Content-Security-Policy that allows only this origin's scripts, styles
// and connections, and no framing. Runs inline: it only reads memory.
#pragma once

#include "http/message.h"

namespace hoglet::api {

void HandleWebApp(http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
