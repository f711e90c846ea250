// /api/projects/{project_id}/insights/ (and /api/environments/{project_id}/insights/) in
// PostHog's shapes (InsightViewSet), for the caller's organization only. Every endpoint needs a
// personal API key with the insight scope (read for GET, write otherwise) or a session, checked
// by the route; a project of another organization or an unknown insight answers 404.
//
//   GET   …/insights/        200 {"count", "next", "previous", "results": [insight, ...]}:
//                            non-deleted insights, last modified first, `limit`/`offset` paged;
//                            filters `short_id`, `saved`, `favorited` (true/false), `search`
//                            (name, derived name, description, tags), `dashboards` (a JSON list
//                            of ids: on every one of them), `basic` (no results)
//   POST  …/insights/        201 insight; body {"name", "derived_name", "description", "query",
//                            "tags", "favorited", "saved", "deleted", "dashboards": [ids]}
//   GET   …/insights/{id}/   200 insight, by numeric id or 8-character short_id (deleted too)
//   PATCH …/insights/{id}/   200 insight; body as for POST (`{"deleted": true}` soft-deletes;
//                            `dashboards` replaces the dashboards it is on)
//   DELETE …/insights/{id}/  405, as PostHog: insights are soft-deleted with PATCH
//
// Insight JSON: api/insight_json.h. Results: the `refresh` query parameter of every endpoint
// (api/insight_answer.h): none computes nothing and answers from the cache; `blocking` and the
// other modes run the query as POST …/query/ does.
//
// Errors: 400 naming the field for a body that is not a JSON object, a field of the wrong type,
// a name or description over 400 characters, a query that is not an object or whose kind this
// server does not run, tags that are not strings, or a dashboard id the project does not have.
//
// Every handler reads or writes the metadata store and so runs on the worker pool.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleListInsights(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond);
void HandleCreateInsight(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond);
void HandleGetInsight(const ApiContext& context, const meta::AuthenticatedKey& caller,
                      http::Request&& request, http::Responder respond);
void HandleUpdateInsight(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond);
void HandleDeleteInsight(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
