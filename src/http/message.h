// HTTP requests and responses as the rest of Hoglet sees them: plain values, no Boost types.
//
// A handler is a function from a request to a response. It may answer later and from any thread
// (capture answers once the event log has fsync'd): it receives a `Responder` to call exactly
// once. The server owns connections, deadlines and I/O; handlers own meaning.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/url.h"

namespace hoglet::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // upper case: "GET", "POST", ...
  std::string target;  // as sent: path and query
  std::string path;    // target before '?', percent-decoded
  std::string query;   // target after '?', raw
  Headers headers;
  std::string body;
  std::string peer_ip;      // the TCP peer's address
  QueryParams path_params;  // filled by the router: {"id", "1"} for "/api/projects/{id}/"

  // Case-insensitive header lookup; empty when absent.
  std::string_view Header(std::string_view name) const;
  // The parsed query string (parsed on each call; handlers call it once).
  QueryParams Params() const { return ParseQueryString(query); }
  // A path parameter captured by the router; empty when absent.
  std::string_view PathParam(std::string_view name) const;
  // The client address: the first X-Forwarded-For hop when present, else the peer.
  std::string ClientIp() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  Headers headers;  // extra headers

  static Response Json(int status, std::string body) {
    return Response{status, "application/json", std::move(body), {}};
  }
};

// Delivers the response for one request. Call exactly once; safe from any thread.
using Responder = std::function<void(Response)>;
using Handler = std::function<void(Request&& request, Responder respond)>;

}  // namespace hoglet::http
