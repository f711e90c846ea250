#include "api/remote_config_handler.h"

#include "base/json_writer.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

// The config object PostHog falls back to, with replay and the optional products off.
std::string ConfigJson(const meta::Project& project) {
  JsonWriter w;
  w.BeginObject();
  w.Key("token");
  w.String(project.api_token);
  w.Key("supportedCompression");
  w.BeginArray();
  w.String("gzip");
  w.String("gzip-js");
  w.EndArray();
  w.Key("hasFeatureFlags");
  w.Bool(false);
  w.Key("captureDeadClicks");
  w.Bool(false);
  w.Key("capturePerformance");
  w.Bool(false);
  w.Key("autocapture_opt_out");
  w.Bool(false);
  w.Key("autocaptureExceptions");
  w.Bool(false);
  w.Key("analytics");
  w.BeginObject();
  w.Key("endpoint");
  w.String("/e/");
  w.EndObject();
  w.Key("elementsChainAsString");
  w.Bool(true);
  w.Key("sessionRecording");
  w.Bool(false);
  w.Key("heatmaps");
  w.Bool(false);
  w.Key("surveys");
  w.Bool(false);
  w.Key("defaultIdentifiedOnly");
  w.Bool(true);
  w.Key("isAuthenticated");
  w.Bool(false);
  w.Key("toolbarParams");
  w.BeginObject();
  w.EndObject();
  w.Key("config");
  w.BeginObject();
  w.Key("enable_collect_everything");
  w.Bool(true);
  w.EndObject();
  w.Key("siteApps");
  w.BeginArray();
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

StatusOr<meta::Project> ProjectOfPath(const ApiContext& context, const http::Request& request) {
  auto project = context.meta->ProjectByToken(request.PathParam("token"));
  if (!project.ok()) return NotFoundError("no project has this API key", "not_found");
  return project;
}

}  // namespace

void HandleRemoteConfig(const ApiContext& context, http::Request&& request,
                        http::Responder respond) {
  auto project = ProjectOfPath(context, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  respond(http::Response::Json(200, ConfigJson(*project)));
}

void HandleRemoteConfigScript(const ApiContext& context, http::Request&& request,
                              http::Responder respond) {
  auto project = ProjectOfPath(context, request);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  std::string token_literal;
  AppendJsonString(&token_literal, project->api_token);
  std::string script =
      "(function(){window._POSTHOG_REMOTE_CONFIG=window._POSTHOG_REMOTE_CONFIG||{};"
      "window._POSTHOG_REMOTE_CONFIG[" +
      token_literal + "]={config:" + ConfigJson(*project) + ",siteApps:[]};})();";
  respond(http::Response{200, "application/javascript", std::move(script), {}});
}

}  // namespace hoglet::api
