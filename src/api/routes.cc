#include "api/routes.h"

#include <memory>

#include "api/capture_handler.h"
#include "api/cohorts_handler.h"
#include "api/definitions_handler.h"
#include "api/events_handler.h"
#include "api/feature_flags_handler.h"
#include "api/flags_handler.h"
#include "api/groups_handler.h"
#include "api/ingestion_warnings_handler.h"
#include "api/local_evaluation_handler.h"
#include "api/personal_api_keys_handler.h"
#include "api/persons_handler.h"
#include "api/projects_handler.h"
#include "api/remote_config_handler.h"
#include "api/run_on_workers.h"
#include "api/users_handler.h"

namespace hoglet::api {
namespace {

using ContextHandler = void (*)(const ApiContext&, http::Request&&, http::Responder);

// Runs the handler on the I/O thread (it must not block).
http::Handler Inline(const ApiContext& context, ContextHandler handler) {
  return [&context, handler](http::Request&& request, http::Responder respond) {
    handler(context, std::move(request), std::move(respond));
  };
}

// Runs the handler on the worker pool: it may touch disk or scan events. A full queue answers
// 503 with Retry-After instead of queueing without bound.
http::Handler OnWorkers(const ApiContext& context, ContextHandler handler) {
  return [&context, handler](http::Request&& request, http::Responder respond) {
    auto shared_request = std::make_shared<http::Request>(std::move(request));
    RunOnWorkers(context, std::move(respond),
                 [&context, handler, shared_request](http::Responder respond) {
                   handler(context, std::move(*shared_request), std::move(respond));
                 });
  };
}

void Health(http::Request&&, http::Responder respond) {
  respond(http::Response::Json(200, R"({"status":"ok"})"));
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

void RegisterRoutes(const ApiContext& context, http::Router* router) {
  const std::vector<std::string> kCaptureMethods = {"GET", "POST"};
  for (const char* path : {"/e", "/i/v0/e", "/capture", "/batch", "/track", "/engage"}) {
    router->Add(kCaptureMethods, path, Inline(context, HandleCapture));
  }
  router->Add(kCaptureMethods, "/s", Inline(context, HandleReplay));
  router->Add({"GET"}, "/array/{token}/config", Inline(context, HandleRemoteConfig));
  router->Add({"GET"}, "/array/{token}/config.js", Inline(context, HandleRemoteConfigScript));
  // /flags answers inline when the flags need nothing stored, else moves itself to the workers.
  for (const char* path : {"/flags", "/decide"}) {
    router->Add({"GET", "POST", "HEAD"}, path, Inline(context, HandleFlags));
  }
  for (const char* path : {"/flags/definitions", "/api/feature_flag/local_evaluation"}) {
    router->Add({"GET"}, path, OnWorkers(context, HandleLocalEvaluation));
  }

  for (const char* path : {"/_health", "/_readiness", "/_liveness"}) {
    router->Add({"GET"}, path, Health);
  }

  router->Add({"GET"}, "/api/projects", OnWorkers(context, HandleListProjects));
  router->Add({"GET"}, "/api/projects/{project_id}", OnWorkers(context, HandleGetProject));
  router->Add({"POST"}, "/api/projects", OnWorkers(context, HandleCreateProject));
  router->Add({"PATCH"}, "/api/projects/{project_id}", OnWorkers(context, HandleUpdateProject));
  router->Add({"DELETE"}, "/api/projects/{project_id}", OnWorkers(context, HandleDeleteProject));
  router->Add({"GET"}, "/api/personal_api_keys", OnWorkers(context, HandleListPersonalApiKeys));
  router->Add({"POST"}, "/api/personal_api_keys", OnWorkers(context, HandleCreatePersonalApiKey));
  router->Add({"GET"}, "/api/personal_api_keys/{id}", OnWorkers(context, HandleGetPersonalApiKey));
  router->Add({"DELETE"}, "/api/personal_api_keys/{id}",
              OnWorkers(context, HandleDeletePersonalApiKey));
  router->Add({"GET"}, "/api/users/{user}", OnWorkers(context, HandleGetUser));
  router->Add({"GET"}, "/api/projects/{project_id}/events", OnWorkers(context, HandleListEvents));
  router->Add({"GET"}, "/api/projects/{project_id}/event_definitions",
              OnWorkers(context, HandleListEventDefinitions));
  router->Add({"GET"}, "/api/projects/{project_id}/property_definitions",
              OnWorkers(context, HandleListPropertyDefinitions));
  router->Add({"GET"}, "/api/projects/{project_id}/persons", OnWorkers(context, HandleListPersons));
  router->Add({"GET"}, "/api/projects/{project_id}/persons/{person_id}",
              OnWorkers(context, HandleGetPerson));
  router->Add({"DELETE"}, "/api/projects/{project_id}/persons/{person_id}",
              OnWorkers(context, HandleDeletePerson));
  router->Add({"GET"}, "/api/projects/{project_id}/groups", OnWorkers(context, HandleListGroups));
  router->Add({"GET"}, "/api/projects/{project_id}/groups_types",
              OnWorkers(context, HandleListGroupTypes));
  router->Add({"GET"}, "/api/projects/{project_id}/ingestion_warnings",
              OnWorkers(context, HandleListIngestionWarnings));

  // Feature flags and cohorts. Literal routes under …/feature_flags/ (e.g. local_evaluation)
  // must be added before these: the router takes the first match and `{id}` matches any name.
  const std::string flags = "/api/projects/{project_id}/feature_flags";
  router->Add({"GET"}, flags, OnWorkers(context, HandleListFeatureFlags));
  router->Add({"POST"}, flags, OnWorkers(context, HandleCreateFeatureFlag));
  router->Add({"GET"}, flags + "/{id}/remote_config",
              OnWorkers(context, HandleFeatureFlagRemoteConfig));
  router->Add({"GET"}, flags + "/{id}", OnWorkers(context, HandleGetFeatureFlag));
  router->Add({"PATCH", "PUT"}, flags + "/{id}", OnWorkers(context, HandleUpdateFeatureFlag));
  router->Add({"DELETE"}, flags + "/{id}", OnWorkers(context, HandleDeleteFeatureFlag));
  const std::string cohorts = "/api/projects/{project_id}/cohorts";
  router->Add({"GET"}, cohorts, OnWorkers(context, HandleListCohorts));
  router->Add({"POST"}, cohorts, OnWorkers(context, HandleCreateCohort));
  router->Add({"PATCH"}, cohorts + "/{id}/add_persons_to_static_cohort",
              OnWorkers(context, HandleAddPersonsToStaticCohort));
  router->Add({"GET"}, cohorts + "/{id}", OnWorkers(context, HandleGetCohort));
  router->Add({"PATCH", "PUT"}, cohorts + "/{id}", OnWorkers(context, HandleUpdateCohort));
  router->Add({"DELETE"}, cohorts + "/{id}", OnWorkers(context, HandleDeleteCohort));
}

size_t MaxBodyBytesFor(const BodyLimits& limits, std::string_view path) {
  if (StartsWith(path, "/batch")) return limits.batch_bytes;
  if (path == "/s" || StartsWith(path, "/s/")) return limits.replay_bytes;
  for (std::string_view prefix : {"/e", "/i/v0/e", "/capture", "/track", "/engage"}) {
    if (path == prefix || StartsWith(path, std::string(prefix) + "/")) return limits.events_bytes;
  }
  return limits.api_bytes;
}

}  // namespace hoglet::api
