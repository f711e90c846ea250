#include "http/router.h"

#include <algorithm>

#include "http/error_response.h"

namespace hoglet::http {

void Router::Add(std::vector<std::string> methods, std::string_view pattern, Handler handler) {
  routes_.push_back(Route{std::move(methods), Split(pattern), std::move(handler)});
}

std::vector<std::string> Router::Split(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) segments.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

bool Router::Match(const Route& route, const std::vector<std::string>& segments,
                   QueryParams* captures) {
  if (route.segments.size() != segments.size()) return false;
  QueryParams found;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& want = route.segments[i];
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      found.emplace_back(want.substr(1, want.size() - 2), segments[i]);
    } else if (want != segments[i]) {
      return false;
    }
  }
  *captures = std::move(found);
  return true;
}

void ApplyCors(const Request& request, Response* response) {
  std::string_view origin = request.Header("Origin");
  response->headers.emplace_back("Access-Control-Allow-Origin",
                                 origin.empty() ? "*" : std::string(origin));
  if (!origin.empty()) {
    response->headers.emplace_back("Access-Control-Allow-Credentials", "true");
    response->headers.emplace_back("Vary", "Origin");
  }
  response->headers.emplace_back("Access-Control-Allow-Methods",
                                 "GET, POST, PATCH, DELETE, OPTIONS, HEAD");
  std::string_view requested = request.Header("Access-Control-Request-Headers");
  response->headers.emplace_back(
      "Access-Control-Allow-Headers",
      requested.empty() ? "Content-Type, Authorization, Content-Encoding" : std::string(requested));
}

void Router::Dispatch(Request&& request, Responder respond) const {
  // CORS needs the request after the handler has consumed it: keep what it reads.
  Request cors_view;
  cors_view.headers = {{"Origin", std::string(request.Header("Origin"))},
                       {"Access-Control-Request-Headers",
                        std::string(request.Header("Access-Control-Request-Headers"))}};
  Responder with_cors = [cors_view = std::move(cors_view),
                         respond = std::move(respond)](Response response) {
    ApplyCors(cors_view, &response);
    respond(std::move(response));
  };

  if (request.method == "OPTIONS") {
    with_cors(Response::Json(200, R"({"status":"Ok"})"));
    return;
  }
  std::vector<std::string> segments = Split(request.path);
  bool path_known = false;
  for (const Route& route : routes_) {
    QueryParams captures;
    if (!Match(route, segments, &captures)) continue;
    path_known = true;
    bool method_ok =
        std::find(route.methods.begin(), route.methods.end(), request.method) !=
            route.methods.end() ||
        (request.method == "HEAD" &&
         std::find(route.methods.begin(), route.methods.end(), "GET") != route.methods.end());
    if (!method_ok) continue;
    request.path_params = std::move(captures);
    route.handler(std::move(request), std::move(with_cors));
    return;
  }
  if (path_known) {
    Response response = ErrorResponse(Status(StatusCode::kInvalidArgument,
                                             "method " + request.method + " is not allowed here",
                                             "method_not_allowed"));
    response.status = 405;
    with_cors(std::move(response));
    return;
  }
  if (fallback_ && (request.method == "GET" || request.method == "HEAD")) {
    fallback_(std::move(request), std::move(with_cors));
    return;
  }
  with_cors(NoEndpointResponse(request.path));
}

Response NoEndpointResponse(std::string_view path) {
  return ErrorResponse(NotFoundError("no endpoint at " + std::string(path) +
                                     "; see the README for the API Hoglet serves"));
}

}  // namespace hoglet::http
