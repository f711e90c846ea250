// A LifecycleQuery run for a project against the stores: what it reads (person identities and
// creation times, person, group and cohort data, actions, test-account filters) is gathered as
// for trends (api/trends_query_run.h), the statuses are computed on the embedded engine within
// its budget (query/lifecycle_runner.h), and the answer's fields come back as a JSON object:
// `results`, `resolved_date_range`, `timezone`, `timings`, `hogql`, `modifiers`, `error` (the
// caller adds the cache fields).
#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include "api/api_context.h"
#include "base/status.h"
#include "meta/meta_store.h"

namespace hoglet::api {

// `spec_json` is the LifecycleQuery object. kInvalidArgument naming the field for a malformed
// query, an action the project does not have, or what this server does not compute yet;
// kDeadlineExceeded past the time limit; kUnavailable (reason "cancelled") once `cancelled` is
// set, or when the store cannot be queried.
StatusOr<std::string> RunLifecycleQuery(const ApiContext& context, const meta::Project& project,
                                        std::string_view spec_json,
                                        const std::atomic<bool>& cancelled);

}  // namespace hoglet::api
