// The project's time zone (its `timezone` setting), in which property filters read naive dates
// ("2024-01-01", "2024-01-01 10:00:00") for flags, cohorts and the events and persons lists.
//
// Thread-safe.
#pragma once

#include "base/time_zone.h"
#include "meta/meta_store.h"

namespace hoglet::api {

// The zone named by project.timezone. A stored name the tz database does not know (the projects
// API accepts only names it knows, but a store may hold names written before it did, or by
// another tool) means UTC, with one warning per name.
TimeZone ProjectTimeZone(const meta::Project& project);

}  // namespace hoglet::api
