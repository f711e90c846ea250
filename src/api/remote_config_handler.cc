#include "api/remote_config_handler.h"

#include <memory>
#include <utility>

#include "api/run_on_workers.h"
#include "base/json_writer.h"
#include "base/logging.h"
#include "flags/flags_service.h"
#include "flags/remote_config_json.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

std::string ConfigJson(const meta::Project& project, bool has_feature_flags) {
  JsonWriter w;
  w.BeginObject();
  flags::WriteRemoteConfigFields(project, has_feature_flags, &w);
  w.EndObject();
  return std::move(w).Take();
}

http::Response ConfigResponse(const meta::Project& project, bool has_feature_flags) {
  return http::Response::Json(200, ConfigJson(project, has_feature_flags));
}

http::Response ScriptResponse(const meta::Project& project, bool has_feature_flags) {
  std::string token_literal;
  AppendJsonString(&token_literal, project.api_token);
  std::string script =
      "(function(){window._POSTHOG_REMOTE_CONFIG=window._POSTHOG_REMOTE_CONFIG||{};"
      "window._POSTHOG_REMOTE_CONFIG[" +
      token_literal + "]={config:" + ConfigJson(project, has_feature_flags) + ",siteApps:[]};})();";
  return http::Response{200, "application/javascript", std::move(script), {}};
}

using Render = http::Response (*)(const meta::Project&, bool);

// Answers from the project's current flag snapshot, on this thread when it is in memory and on
// a worker when it must be built first.
void Serve(const ApiContext& context, const http::Request& request, http::Responder respond,
           Render render) {
  auto project = context.meta->ProjectByToken(request.PathParam("token"));
  if (!project.ok()) {
    return respond(http::ErrorResponse(NotFoundError("no project has this API key", "not_found")));
  }
  if (auto snapshot = context.flags->snapshots().Current(project->id)) {
    return respond(render(*project, flags::HasActiveFlags(*snapshot)));
  }
  RunOnWorkers(context, std::move(respond),
               [&context, project = std::move(project).value(), render](http::Responder respond) {
                 auto snapshot = context.flags->snapshots().Get(project.id);
                 if (!snapshot.ok()) {
                   // Offer flags anyway: the SDK's /flags call then reports the problem.
                   LogWarning("remote config: cannot load the flags of project " +
                              std::to_string(project.id) + ": " + snapshot.status().ToString());
                   return respond(render(project, true));
                 }
                 respond(render(project, flags::HasActiveFlags(**snapshot)));
               });
}

}  // namespace

void HandleRemoteConfig(const ApiContext& context, http::Request&& request,
                        http::Responder respond) {
  Serve(context, request, std::move(respond), ConfigResponse);
}

void HandleRemoteConfigScript(const ApiContext& context, http::Request&& request,
                              http::Responder respond) {
  Serve(context, request, std::move(respond), ScriptResponse);
}

}  // namespace hoglet::api
