#include "api/query_handler.h"

#include <simdjson.h>

#include <string>

#include "api/auth.h"
#include "api/handler_result.h"
#include "api/query_execution.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

using simdjson::dom::element;

// The query id of GET / DELETE …/query/{query_id}/.
std::string QueryIdOf(const http::Request& request) {
  return std::string(request.PathParam("query_id"));
}

}  // namespace

void HandleQuery(const ApiContext& context, const meta::AuthenticatedKey& caller,
                 http::Request&& request, http::Responder respond) {
  auto project = AuthorizeProject(request, caller.user, *context.meta);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  simdjson::dom::parser parser;
  element body;
  if (parser.parse(request.body).get(body) != simdjson::SUCCESS || !body.is_object()) {
    return respond(http::ErrorResponse(InvalidArgumentError(
        "the body must be a JSON object such as {\"query\": {\"kind\": \"TrendsQuery\", …}}",
        "invalid_input")));
  }
  element spec;
  if (body["query"].get(spec) != simdjson::SUCCESS || !spec.is_object()) {
    return respond(http::ErrorResponse(
        InvalidArgumentError("query: the body needs a query object", "invalid_input")));
  }
  StatusOr<Refresh> refresh = ParseRefreshField(body);
  if (!refresh.ok()) return respond(http::ErrorResponse(refresh.status()));
  StatusOr<PreparedQuery> prepared = PrepareQuery(spec);
  if (!prepared.ok()) return respond(http::ErrorResponse(prepared.status()));
  std::string client_query_id;
  std::string_view id_text;
  if (body["client_query_id"].get(id_text) == simdjson::SUCCESS && !id_text.empty() &&
      id_text.size() <= 200) {
    client_query_id = std::string(id_text);
  }
  StatusOr<QueryOutcome> outcome =
      ExecuteQuery(context, *project, *prepared, *refresh, client_query_id);
  if (!outcome.ok()) return respond(http::ErrorResponse(outcome.status()));
  respond(http::Response::Json(outcome->http_status, std::move(outcome->json)));
}

void HandleGetQueryStatus(const ApiContext& context, const meta::AuthenticatedKey& caller,
                          http::Request&& request, http::Responder respond) {
  auto project = AuthorizeProject(request, caller.user, *context.meta);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  StatusOr<query::QueryStatus> status = context.query_jobs->Get(project->id, QueryIdOf(request));
  if (!status.ok()) return respond(http::ErrorResponse(status.status()));
  respond(http::Response::Json(200, QueryStatusJson(*status)));
}

void HandleCancelQuery(const ApiContext& context, const meta::AuthenticatedKey& caller,
                       http::Request&& request, http::Responder respond) {
  auto project = AuthorizeProject(request, caller.user, *context.meta);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  Status cancelled = context.query_jobs->Cancel(project->id, QueryIdOf(request));
  if (!cancelled.ok()) return respond(http::ErrorResponse(cancelled));
  respond(NoContentResponse());
}

}  // namespace hoglet::api
