// Every HTTP endpoint Hoglet serves, registered in one place, with the scope a personal API key
// needs for each private one (api/scope_permission.h).
#pragma once

#include <cstddef>
#include <string_view>

#include "api/api_context.h"
#include "http/router.h"

namespace hoglet::api {

// Adds every route to `router`. `context` must outlive the router.
void RegisterRoutes(const ApiContext& context, http::Router* router);

// The largest request body accepted at `path` (capture-and-flags §1.8); under a project's
// cohorts/, room for a CSV upload of kMaxCohortCsvBytes (api/cohort_csv.h).
size_t MaxBodyBytesFor(const BodyLimits& limits, std::string_view path);

}  // namespace hoglet::api
