// A cohort as PostHog's API shows it (id, name, description, filters, counts, …).
#pragma once

#include "api/api_context.h"
#include "base/json_writer.h"
#include "meta/meta_store.h"

namespace hoglet::api {

// The count of a cohort read on its own is brought up to date (api/cohort_members.h); a list
// shows the last count of each (`count_now` false).
void WriteCohortJson(const ApiContext& context, const meta::CohortRecord& cohort, bool count_now,
                     JsonWriter* w);

}  // namespace hoglet::api
