#include "api/routes.h"

#include <algorithm>
#include <memory>

#include "api/actions_handler.h"
#include "api/annotations_handler.h"
#include "api/auth.h"
#include "api/capture_handler.h"
#include "api/cohort_csv.h"
#include "api/cohort_persons_handler.h"
#include "api/cohorts_handler.h"
#include "api/dashboards_handler.h"
#include "api/definitions_handler.h"
#include "api/events_handler.h"
#include "api/feature_flags_handler.h"
#include "api/flags_handler.h"
#include "api/groups_handler.h"
#include "api/ingestion_warnings_handler.h"
#include "api/insights_handler.h"
#include "api/local_evaluation_handler.h"
#include "api/organizations_handler.h"
#include "api/personal_api_keys_handler.h"
#include "api/persons_handler.h"
#include "api/projects_handler.h"
#include "api/property_values_handler.h"
#include "api/query_handler.h"
#include "api/remote_config_handler.h"
#include "api/run_on_workers.h"
#include "api/scope_permission.h"
#include "api/session_handler.h"
#include "api/users_handler.h"
#include "api/web_app_handler.h"
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
    RunOnWorkers(context, std::move(respond),
                 [&context, handler, shared_request](http::Responder respond) {
                   handler(context, std::move(*shared_request), std::move(respond));
                 });
  };
}

using PrivateHandler = void (*)(const ApiContext&, const meta::AuthenticatedKey&, http::Request&&,
                                http::Responder);

// Runs a private handler on the worker pool once the request's personal API key is known (401
// otherwise) and its scopes allow `scope` (403 otherwise): the one place a private route's
// credentials are checked. Authentication may record the key's last use on disk, so it runs on
// the workers too.
http::Handler Private(const ApiContext& context, RouteScope scope, PrivateHandler handler) {
  return [&context, scope, handler](http::Request&& request, http::Responder respond) {
    auto shared_request = std::make_shared<http::Request>(std::move(request));
    RunOnWorkers(context, std::move(respond),
                 [&context, scope, handler, shared_request](http::Responder respond) {
                   auto caller = AuthenticateRequest(*shared_request, *context.meta);
                   if (!caller.ok()) return respond(http::ErrorResponse(caller.status()));
                   Status allowed = scope.Authorize(*caller, *shared_request);
                   if (!allowed.ok()) return respond(http::ErrorResponse(allowed));
                   handler(context, *caller, std::move(*shared_request), std::move(respond));
                 });
  };
}

// The capture endpoints and the body limit each takes: what RegisterRoutes routes and
// MaxBodyBytesFor bounds, listed once.
struct CapturePath {
  std::string_view path;
  ContextHandler handler;
  size_t BodyLimits::*max_body_bytes;
};
constexpr CapturePath kCapturePaths[] = {
    {"/e", HandleCapture, &BodyLimits::events_bytes},
    {"/i/v0/e", HandleCapture, &BodyLimits::events_bytes},
    {"/capture", HandleCapture, &BodyLimits::events_bytes},
    {"/batch", HandleCapture, &BodyLimits::batch_bytes},
    {"/track", HandleCapture, &BodyLimits::events_bytes},
    {"/engage", HandleCapture, &BodyLimits::events_bytes},
    {"/s", HandleReplay, &BodyLimits::replay_bytes},
};

void Health(http::Request&&, http::Responder respond) {
  respond(http::Response::Json(200, R"({"status":"ok"})"));
}

}  // namespace

void RegisterRoutes(const ApiContext& context, http::Router* router) {
  for (const CapturePath& capture : kCapturePaths) {
    router->Add({"GET", "POST"}, capture.path, Inline(context, capture.handler));
  }
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

  // The web app's account endpoints (api/session_handler.h) and its pages and assets, which
  // answer GETs no route below matches (api/web_app_handler.h).
  router->Add({"GET"}, "/_preflight", OnWorkers(context, HandlePreflight));
  router->Add({"POST"}, "/api/signup", OnWorkers(context, HandleSignup));
  router->Add({"POST"}, "/api/login", OnWorkers(context, HandleLogin));
  router->Add({"POST"}, "/api/logout", OnWorkers(context, HandleLogout));
  router->SetFallback(HandleWebApp);

  // Private routes, each with the scope its key needs: PostHog's scope_object of the matching
  // viewset (api/scope_permission.h). Events are read with a "query" scope, as in PostHog.
  const RouteScope project = RouteScope::Object("project");
  router->Add({"GET"}, "/api/projects", Private(context, project, HandleListProjects));
  router->Add({"GET"}, "/api/projects/{project_id}", Private(context, project, HandleGetProject));
  router->Add({"POST"}, "/api/projects", Private(context, project, HandleCreateProject));
  router->Add({"PATCH"}, "/api/projects/{project_id}",
              Private(context, project, HandleUpdateProject));
  router->Add({"DELETE"}, "/api/projects/{project_id}",
              Private(context, project, HandleDeleteProject));
  const std::string keys = "/api/personal_api_keys";
  router->Add({"GET"}, keys, Private(context, RouteScope::FullAccess(), HandleListPersonalApiKeys));
  router->Add({"POST"}, keys,
              Private(context, RouteScope::FullAccess(), HandleCreatePersonalApiKey));
  router->Add({"GET"}, keys + "/{id}",
              Private(context, RouteScope::OwnKeyOrFullAccess(), HandleGetPersonalApiKey));
  router->Add({"PATCH"}, keys + "/{id}",
              Private(context, RouteScope::FullAccess(), HandleUpdatePersonalApiKey));
  router->Add({"DELETE"}, keys + "/{id}",
              Private(context, RouteScope::FullAccess(), HandleDeletePersonalApiKey));
  router->Add({"GET"}, "/api/users/{user}",
              Private(context, RouteScope::Object("user"), HandleGetUser));
  router->Add({"PATCH"}, "/api/users/{user}",
              Private(context, RouteScope::Object("user"), HandleUpdateUser));
  const RouteScope organization = RouteScope::Object("organization");
  const std::string organizations = "/api/organizations";
  router->Add({"GET"}, organizations, Private(context, organization, HandleListOrganizations));
  router->Add({"GET"}, organizations + "/{organization_id}",
              Private(context, organization, HandleGetOrganization));
  router->Add({"GET"}, organizations + "/{organization_id}/projects",
              Private(context, project, HandleListOrganizationProjects));
  router->Add({"GET"}, organizations + "/{organization_id}/projects/{project_id}",
              Private(context, project, HandleGetOrganizationProject));
  const std::string projects = "/api/projects/{project_id}";
  router->Add({"GET"}, projects + "/events",
              Private(context, RouteScope::Object("query"), HandleListEvents));
  router->Add({"GET"}, projects + "/events/values",
              Private(context, RouteScope::Object("query"), HandleEventPropertyValues));
  // Running a query only reads: PostHog's query:read allows POST …/query/.
  const RouteScope query_read = RouteScope::Object("query", meta::ScopeAction::kRead);
  for (const std::string& base : {projects, std::string("/api/environments/{project_id}")}) {
    router->Add({"POST"}, base + "/query", Private(context, query_read, HandleQuery));
    router->Add({"GET"}, base + "/query/{query_id}",
                Private(context, query_read, HandleGetQueryStatus));
    router->Add({"DELETE"}, base + "/query/{query_id}",
                Private(context, query_read, HandleCancelQuery));
  }
  // Saved insights and dashboards, under both of PostHog's prefixes. An insight goes on a
  // dashboard through PATCH …/insights/{id}/ {"dashboards": [...]}.
  const RouteScope insight = RouteScope::Object("insight");
  const RouteScope dashboard = RouteScope::Object("dashboard");
  for (const std::string& base : {projects, std::string("/api/environments/{project_id}")}) {
    router->Add({"GET"}, base + "/insights", Private(context, insight, HandleListInsights));
    router->Add({"POST"}, base + "/insights", Private(context, insight, HandleCreateInsight));
    router->Add({"GET"}, base + "/insights/{id}", Private(context, insight, HandleGetInsight));
    router->Add({"PATCH", "PUT"}, base + "/insights/{id}",
                Private(context, insight, HandleUpdateInsight));
    router->Add({"DELETE"}, base + "/insights/{id}",
                Private(context, insight, HandleDeleteInsight));
    router->Add({"GET"}, base + "/dashboards", Private(context, dashboard, HandleListDashboards));
    router->Add({"POST"}, base + "/dashboards", Private(context, dashboard, HandleCreateDashboard));
    router->Add({"GET"}, base + "/dashboards/{id}",
                Private(context, dashboard, HandleGetDashboard));
    router->Add({"PATCH", "PUT"}, base + "/dashboards/{id}",
                Private(context, dashboard, HandleUpdateDashboard));
    router->Add({"DELETE"}, base + "/dashboards/{id}",
                Private(context, dashboard, HandleDeleteDashboard));
    router->Add({"GET"}, base + "/dashboards/{id}/run_insights",
                Private(context, query_read, HandleRunDashboardInsights));
    router->Add({"POST"}, base + "/dashboards/{id}/create_text_tile",
                Private(context, dashboard, HandleCreateTextTile));
  }
  router->Add({"GET"}, projects + "/event_definitions",
              Private(context, RouteScope::Object("event_definition"), HandleListEventDefinitions));
  router->Add(
      {"GET"}, projects + "/property_definitions",
      Private(context, RouteScope::Object("property_definition"), HandleListPropertyDefinitions));
  router->Add({"GET", "PATCH"}, projects + "/event_definitions/{id}",
              Private(context, RouteScope::Object("event_definition"), HandleEventDefinition));
  router->Add(
      {"GET", "PATCH"}, projects + "/property_definitions/{id}",
      Private(context, RouteScope::Object("property_definition"), HandlePropertyDefinition));
  const RouteScope person = RouteScope::Object("person");
  router->Add({"GET"}, projects + "/persons", Private(context, person, HandleListPersons));
  router->Add({"GET"}, projects + "/persons/values",
              Private(context, person, HandlePersonPropertyValues));
  router->Add({"GET"}, projects + "/persons/cohorts",
              Private(context, person, HandlePersonCohorts));
  router->Add({"GET"}, projects + "/persons/{person_id}",
              Private(context, person, HandleGetPerson));
  router->Add({"DELETE"}, projects + "/persons/{person_id}",
              Private(context, person, HandleDeletePerson));
  const RouteScope group = RouteScope::Object("group");
  router->Add({"GET"}, projects + "/groups", Private(context, group, HandleListGroups));
  router->Add({"GET"}, projects + "/groups_types", Private(context, group, HandleListGroupTypes));
  router->Add({"PATCH", "PUT"}, projects + "/groups_types/update_metadata",
              Private(context, group, HandleUpdateGroupTypeMetadata));
  router->Add({"GET"}, projects + "/groups/find", Private(context, group, HandleFindGroup));
  // PostHog's own ingestion warnings endpoint refuses personal API keys; "ingestion_warning" is
  // the object of its newer one.
  router->Add(
      {"GET"}, projects + "/ingestion_warnings",
      Private(context, RouteScope::Object("ingestion_warning"), HandleListIngestionWarnings));

  // Feature flags and cohorts. Literal routes under …/feature_flags/ (e.g. local_evaluation)
  // must be added before these: the router takes the first match and `{id}` matches any name.
  // remote_config also takes the project's secret key, so it authenticates itself (it needs
  // feature_flag:read of a personal API key).
  const std::string flags = projects + "/feature_flags";
  const RouteScope flag = RouteScope::Object("feature_flag");
  router->Add({"GET"}, flags, Private(context, flag, HandleListFeatureFlags));
  router->Add({"POST"}, flags, Private(context, flag, HandleCreateFeatureFlag));
  router->Add({"GET"}, flags + "/{id}/remote_config",
              OnWorkers(context, HandleFeatureFlagRemoteConfig));
  router->Add({"GET"}, flags + "/{id}", Private(context, flag, HandleGetFeatureFlag));
  router->Add({"PATCH", "PUT"}, flags + "/{id}", Private(context, flag, HandleUpdateFeatureFlag));
  router->Add({"DELETE"}, flags + "/{id}", Private(context, flag, HandleDeleteFeatureFlag));
  const std::string cohorts = projects + "/cohorts";
  const RouteScope action = RouteScope::Object("action");
  router->Add({"GET"}, projects + "/actions", Private(context, action, HandleListActions));
  router->Add({"POST"}, projects + "/actions", Private(context, action, HandleCreateAction));
  router->Add({"GET"}, projects + "/actions/{id}", Private(context, action, HandleGetAction));
  router->Add({"PATCH", "PUT"}, projects + "/actions/{id}",
              Private(context, action, HandleUpdateAction));
  router->Add({"DELETE"}, projects + "/actions/{id}", Private(context, action, HandleDeleteAction));
  const std::string annotations = projects + "/annotations";
  const RouteScope annotation = RouteScope::Object("annotation");
  router->Add({"GET"}, annotations, Private(context, annotation, HandleListAnnotations));
  router->Add({"POST"}, annotations, Private(context, annotation, HandleCreateAnnotation));
  router->Add({"GET"}, annotations + "/{id}", Private(context, annotation, HandleGetAnnotation));
  router->Add({"PATCH", "PUT"}, annotations + "/{id}",
              Private(context, annotation, HandleUpdateAnnotation));
  router->Add({"DELETE"}, annotations + "/{id}",
              Private(context, annotation, HandleDeleteAnnotation));
  const RouteScope cohort = RouteScope::Object("cohort");
  router->Add({"GET"}, cohorts, Private(context, cohort, HandleListCohorts));
  router->Add({"POST"}, cohorts, Private(context, cohort, HandleCreateCohort));
  router->Add({"PATCH"}, cohorts + "/{id}/add_persons_to_static_cohort",
              Private(context, RouteScope::Object("cohort", meta::ScopeAction::kWrite),
                      HandleAddPersonsToStaticCohort));
  router->Add({"GET"}, cohorts + "/{id}/persons",
              Private(context, cohort, HandleListCohortPersons));
  router->Add({"GET"}, cohorts + "/{id}", Private(context, cohort, HandleGetCohort));
  router->Add({"PATCH", "PUT"}, cohorts + "/{id}", Private(context, cohort, HandleUpdateCohort));
  router->Add({"DELETE"}, cohorts + "/{id}", Private(context, cohort, HandleDeleteCohort));
}

// The form fields around a cohort's CSV file: name, description, boundaries.
constexpr size_t kCohortFormOverheadBytes = 64 << 10;

size_t MaxBodyBytesFor(const BodyLimits& limits, std::string_view path) {
  for (const CapturePath& capture : kCapturePaths) {
    if (path.starts_with(capture.path) &&
        (path.size() == capture.path.size() || path[capture.path.size()] == '/')) {
      return limits.*capture.max_body_bytes;
    }
  }
  // A static cohort's CSV file (api/cohort_csv.h) may be larger than other API bodies.
  if ((path.starts_with("/api/projects/") || path.starts_with("/api/environments/")) &&
      path.find("/cohorts") != std::string_view::npos) {
    return std::max(limits.api_bytes, kMaxCohortCsvBytes + kCohortFormOverheadBytes);
  }
  return limits.api_bytes;
}

}  // namespace hoglet::api
