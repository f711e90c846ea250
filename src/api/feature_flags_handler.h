// /api/projects/{project_id}/feature_flags/ in PostHog's shapes (FeatureFlagViewSet), for the
// caller's organization only. Every endpoint needs a personal API key (api/auth.h) with the
// feature_flag scope (read for GET, write otherwise; api/scope_permission.h), checked by the
// route before the handler runs; a project token (phc_) answers 401, a key without the scope
// 403, a project of another organization or an unknown flag 404.
//
//   GET    …/feature_flags/            200 {"count", "next", "previous", "results": [flag, ...]}:
//                                      non-deleted flags, newest first, `limit`/`offset` paged;
//                                      filters `active` (true/false), `search` (key or name,
//                                      case-insensitive), `type` (boolean/multivariant),
//                                      `evaluation_runtime`, `created_by_id`
//   POST   …/feature_flags/            201 flag; body {"key", "name", "filters", "active", ...}
//   GET    …/feature_flags/{id}/       200 flag (a soft-deleted one too, with "deleted": true)
//   PATCH  …/feature_flags/{id}/       200 flag; every write adds 1 to `version`
//   DELETE …/feature_flags/{id}/       204: soft delete, like PATCH {"deleted": true}. (PostHog
//                                      answers 405 and its UI soft-deletes with PATCH; both work
//                                      here.) The key may then be used by a new flag.
//   GET    …/feature_flags/{id|key}/remote_config/
//                                      200 with the flag's payloads["true"] JSON value, or an
//                                      empty body when it has none; 404 for no such flag. Also
//                                      takes the project's secret key (Bearer phs_…) instead of
//                                      a personal API key (which needs feature_flag:read); a
//                                      `token` parameter must be the project's phc_ token.
//
// The flag JSON is described in api/feature_flag_json.h. Body fields: key (required on create),
// name (default ""), filters (default one condition set for everyone), active (default true),
// deleted, ensure_experience_continuity, evaluation_runtime ("all" default, "client", "server"),
// evaluation_tags (or evaluation_contexts: list of strings), bucketing_identifier
// ("distinct_id", "device_id" or null). A PATCH whose filters have no "groups" keeps the stored
// filters, as PostHog does. Errors are 400 {"type": "validation_error", "code", "detail",
// "attr"} with PostHog's messages (flags/feature_flag_validation.h): attr "key" for a bad or
// taken key (code "unique"), "filters" for bad release conditions, the field's name for a wrong
// type; attr null when deleting or disabling a flag other active flags depend on, or enabling
// one that depends on disabled flags.
//
// Every handler reads or writes the metadata store and so runs on the worker pool.
#pragma once

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

void HandleListFeatureFlags(const ApiContext& context, const meta::AuthenticatedKey& caller,
                            http::Request&& request, http::Responder respond);
void HandleCreateFeatureFlag(const ApiContext& context, const meta::AuthenticatedKey& caller,
                             http::Request&& request, http::Responder respond);
void HandleGetFeatureFlag(const ApiContext& context, const meta::AuthenticatedKey& caller,
                          http::Request&& request, http::Responder respond);
void HandleUpdateFeatureFlag(const ApiContext& context, const meta::AuthenticatedKey& caller,
                             http::Request&& request, http::Responder respond);
void HandleDeleteFeatureFlag(const ApiContext& context, const meta::AuthenticatedKey& caller,
                             http::Request&& request, http::Responder respond);
void HandleFeatureFlagRemoteConfig(const ApiContext& context, http::Request&& request,
                                   http::Responder respond);

}  // namespace hoglet::api
