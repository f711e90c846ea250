// The local-evaluation document server SDKs poll (capture-and-flags §4), served by
// `/flags/definitions` and `/api/feature_flag/local_evaluation`:
//
//   {"flags": [{"id": 1, "team_id": 2, "name": "", "key": "beta", "filters": {...},
//               "deleted": false, "active": true, "ensure_experience_continuity": false,
//               "has_encrypted_payloads": false, "version": 3, "evaluation_runtime": "all",
//               "evaluation_tags": [], "evaluation_contexts": [],
//               "bucketing_identifier": "distinct_id"}, ...],
//    "group_type_mapping": {"0": "company"},
//    "cohorts": {"5": {"type": "OR", "values": [...]}}}
//
// `flags` holds every flag of the snapshot (inactive ones too, so SDKs answer false locally
// instead of asking the server), in snapshot order. Each flag's `filters` is the stored JSON
// with every flag-dependency filter's key resolved from a flag id to a flag key and its
// `dependency_chain` added (empty when the dependency is missing or cyclic). `cohorts` holds the
// property trees of the dynamic cohorts the flags use, directly or through other cohorts, with
// the same rewriting of flag filters; static cohorts are left out (SDKs ask the server).
//
// The output is deterministic for a snapshot, so callers may derive an ETag from it. Pure and
// thread-safe.
#pragma once

#include <string>

#include "flags/flag_snapshot.h"

namespace hoglet::flags {

std::string FlagDefinitionsJson(const FlagSnapshot& snapshot);

}  // namespace hoglet::flags
