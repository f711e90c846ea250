#include "api/local_evaluation_handler.h"

#include <string>
#include <string_view>

#include "api/scope_permission.h"
#include "base/json_writer.h"
#include "base/logging.h"
#include "flags/flags_service.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

constexpr std::string_view kBadToken =
    "The provided API key is invalid or has expired. Please check your API key and try again.";

// PostHog's JSON body for authentication failures of this endpoint: 401, or 403 for a valid key
// that may not read flags.
http::Response AuthenticationError(std::string_view code, std::string_view detail,
                                   int status = 401) {
  JsonWriter w;
  w.BeginObject();
  w.Key("type");
  w.String("authentication_error");
  w.Key("code");
  w.String(code);
  w.Key("detail");
  w.String(detail);
  w.Key("attr");
  w.Null();
  w.EndObject();
  return http::Response::Json(status, std::move(w).Take());
}

http::Response Text(int status, std::string body) {
  return http::Response{status, "text/plain; charset=utf-8", std::move(body), {}};
}

std::string_view BearerToken(const http::Request& request) {
  std::string_view header = request.Header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!header.starts_with(kBearer)) return {};
  header.remove_prefix(kBearer.size());
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  return header;
}

// nullopt when the caller may read the project's definitions; the error response otherwise.
std::optional<http::Response> Authorize(const ApiContext& context, const http::Request& request,
                                        const meta::Project& project) {
  std::string_view key = BearerToken(request);
  if (key.empty()) {
    return AuthenticationError("not_authenticated",
                               "Authentication credentials were not provided.");
  }
  if (key.starts_with("phs_")) {
    auto owner = context.meta->ProjectBySecretToken(key);
    if (!owner.ok() || owner->id != project.id) {
      return AuthenticationError("authentication_failed", "Secret API token is invalid.");
    }
    return std::nullopt;
  }
  auto caller = context.meta->AuthenticatePersonalApiKey(key);
  if (!caller.ok() || caller->user.organization_id != project.organization_id) {
    return AuthenticationError(
        "authentication_failed",
        "Personal API key found in request Authorization header is invalid.");
  }
  Status allowed = RequireScope(*caller, "feature_flag", meta::ScopeAction::kRead);
  if (!allowed.ok()) return AuthenticationError("permission_denied", allowed.message(), 403);
  return std::nullopt;
}

// If-None-Match lists one or more entity tags (or "*"); weak ones compare by their opaque part.
bool Matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.empty()) return false;
  size_t start = 0;
  while (start < if_none_match.size()) {
    size_t comma = if_none_match.find(',', start);
    std::string_view tag = if_none_match.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

}  // namespace

void HandleLocalEvaluation(const ApiContext& context, http::Request&& request,
                           http::Responder respond) {
  if (request.method == "HEAD") return respond(http::Response::Json(200, ""));
  std::optional<std::string> token = QueryParam(request.Params(), "token");
  if (!token || token->empty()) {
    return respond(Text(400, "Failed to deserialize query string: missing field `token`"));
  }
  auto project = context.meta->ProjectByToken(*token);
  if (!project.ok()) return respond(Text(401, std::string(kBadToken)));
  if (auto denied = Authorize(context, request, *project)) return respond(std::move(*denied));

  auto document = context.flags->snapshots().Definitions(project->id);
  if (!document.ok()) {
    LogWarning("local evaluation: cannot load the flags of project " + std::to_string(project->id) +
               ": " + document.status().ToString());
    return respond(http::ErrorResponse(
        UnavailableError("the project's flags cannot be loaded right now; retry shortly")));
  }
  const flags::FlagDefinitionsDocument& definitions = **document;
  http::Headers headers = {{"ETag", definitions.etag},
                           {"Cache-Control", "private, must-revalidate"}};
  if (Matches(request.Header("If-None-Match"), definitions.etag)) {
    return respond(http::Response{304, "application/json", "", std::move(headers)});
  }
  respond(http::Response{200, "application/json", definitions.body, std::move(headers)});
}

}  // namespace hoglet::api
