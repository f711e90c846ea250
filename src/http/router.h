// Maps (method, path) to handlers. Patterns are literal segments and `{name}` captures:
// "/api/projects/{project_id}/events". A trailing slash is optional on both sides, as PostHog's
// routes accept both. Several methods may share a pattern.
//
// Dispatch answers 404 for an unknown path, 405 for a known path with another method, and every
// OPTIONS request with 200 (CORS preflight). Every response gets CORS headers that mirror the
// request's Origin (PostHog's SDKs call from any site with credentials).
//
// Thread safety: build the router before serving; Dispatch is then safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace hoglet::http {

class Router {
 public:
  // `methods` is a list like {"GET", "POST"}.
  void Add(std::vector<std::string> methods, std::string_view pattern, Handler handler);

  // GET and HEAD requests whose path no route matches go to `handler` instead of the 404 (the
  // web app's pages and assets, api/web_app_handler.h). Other methods still get the 404.
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }

  void Dispatch(Request&& request, Responder respond) const;

 private:
  struct Route {
    std::vector<std::string> methods;
    std::vector<std::string> segments;  // "{name}" segments capture
    Handler handler;
  };

  static std::vector<std::string> Split(std::string_view path);
  static bool Match(const Route& route, const std::vector<std::string>& segments,
                    QueryParams* captures);

  std::vector<Route> routes_;
  Handler fallback_;
};

// The 404 of a path no route serves.
Response NoEndpointResponse(std::string_view path);

// Adds the CORS headers for `request` to `response`.
void ApplyCors(const Request& request, Response* response);

}  // namespace hoglet::http
