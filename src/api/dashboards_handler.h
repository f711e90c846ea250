// /api/projects/{project_id}/dashboards/ (and /api/environments/{project_id}/dashboards/) in
// PostHog's shapes (DashboardsViewSet), for the caller's organization only. Every endpoint needs
// a personal API key with the dashboard scope (read for GET, write otherwise) or a session,
// checked by the route; a project of another organization or an unknown dashboard answers 404.
//
//   GET   …/dashboards/        200 {"count", "next", "previous", "results": [dashboard, ...]}:
//                              non-deleted dashboards, pinned first, then by name; `search`
//                              (name, description), `limit`/`offset` paged; the list's shape
//   POST  …/dashboards/        201 dashboard with tiles; body {"name", "description", "pinned",
//                              "filters", "tags"}
//   GET   …/dashboards/{id}/   200 dashboard with its live tiles in reading order (their "sm"
//                              layout's y, then x), each insight with its result under the
//                              dashboard's filters (api/dashboard_filters.h; the `refresh`
//                              parameter, as for insights: api/insight_answer.h); the
//                              `filters_override` and `variables_override` parameters (JSON
//                              objects) lay keys over the stored filters for this request only
//                              (api/dashboard_overrides.h)
//   PATCH …/dashboards/{id}/   200 dashboard; body as for POST, `deleted` (soft delete), and
//                              `tiles` (api/dashboard_tiles_patch.h): layouts, color, deleted of
//                              tiles on the dashboard, new text tiles and edited ones
//   GET   …/dashboards/{id}/run_insights/
//                              200 {"results": [{"id": tile id, "insight": {"id", "short_id",
//                              "name", "derived_name", "result"}}]}: the insight tiles' results
//                              as GET computes them (`refresh`, force_cache by default, and the
//                              overrides); `output_format` json (the only one answered)
//   DELETE …/dashboards/{id}/  405, as PostHog: dashboards are soft-deleted with PATCH
//   POST  …/dashboards/{id}/create_text_tile/
//                              200 dashboard; body {"body", "layouts", "color"}: a text card
//
// Insights are put on a dashboard through the insight (PATCH …/insights/{id}/ {"dashboards":
// [ids]}), as PostHog's clients do. JSON shapes: api/dashboard_json.h.
//
// Errors: 400 naming the field for a body that is not a JSON object, a field of the wrong type,
// a name over 400 characters, filters that are not an object, tags that are not strings, a tile
// the dashboard does not have, an override that is not a JSON object, an unknown refresh mode.
//
// Every handler reads or writes the metadata store and so runs on the worker pool.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleListDashboards(const ApiContext& context, const meta::AuthenticatedKey& caller,
                          http::Request&& request, http::Responder respond);
void HandleCreateDashboard(const ApiContext& context, const meta::AuthenticatedKey& caller,
                           http::Request&& request, http::Responder respond);
void HandleGetDashboard(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond);
void HandleUpdateDashboard(const ApiContext& context, const meta::AuthenticatedKey& caller,
                           http::Request&& request, http::Responder respond);
void HandleDeleteDashboard(const ApiContext& context, const meta::AuthenticatedKey& caller,
                           http::Request&& request, http::Responder respond);
void HandleRunDashboardInsights(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                http::Request&& request, http::Responder respond);
void HandleCreateTextTile(const ApiContext& context, const meta::AuthenticatedKey& caller,
                          http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
