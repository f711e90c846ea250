// A RetentionQuery run for a project against the stores: what it reads (person identities,
// person, group and cohort data, actions, test-account filters) is gathered as for trends
// (api/trends_query_run.h), the retention runs on the embedded engine within its budget, and the
// answer's fields come back as a JSON object: `results`, `resolved_date_range`,
// `timezone`, `timings`, `hogql`, `modifiers`, `error` (the caller adds the cache fields).
#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/api_context.h"
#include "base/status.h"
#include "meta/meta_store.h"
#include "query/retention_query.h"

namespace hoglet::api {

// The actions the start and returning entities name, with the field naming each
// ("query.retentionFilter.targetEntity.id"), for TrendsRun::Prepare.
std::vector<std::pair<int64_t, std::string>> RetentionActions(
    const query::RetentionQuery& retention);

// `spec_json` is the RetentionQuery object. kInvalidArgument naming the field for a malformed
// query, an action the project does not have, or what this server does not compute yet;
// kDeadlineExceeded past the time limit; kUnavailable (reason "cancelled") once `cancelled` is
// set, or when the store cannot be queried.
StatusOr<std::string> RunRetentionQuery(const ApiContext& context, const meta::Project& project,
                                        std::string_view spec_json,
                                        const std::atomic<bool>& cancelled);

}  // namespace hoglet::api
