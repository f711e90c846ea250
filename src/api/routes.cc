#include "api/routes.h"

#include <memory>

#include "api/capture_handler.h"
#include "api/definitions_handler.h"
#include "api/events_handler.h"
#include "api/groups_handler.h"
#include "api/ingestion_warnings_handler.h"
#include "api/personal_api_keys_handler.h"
#include "api/persons_handler.h"
#include "api/projects_handler.h"
#include "api/remote_config_handler.h"
#include "api/users_handler.h"
#include "http/error_response.h"

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
    auto shared_respond = std::make_shared<http::Responder>(std::move(respond));
    bool queued = context.workers->TrySubmit([&context, handler, shared_request, shared_respond] {
      handler(context, std::move(*shared_request), std::move(*shared_respond));
    });
    if (!queued) {
      (*shared_respond)(http::ErrorResponse(
          UnavailableError("the server is busy; retry shortly", "service_unavailable")));
    }
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
