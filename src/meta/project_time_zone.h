// The project's time zone (its `timezone` setting): property filters read naive dates
// ("2024-01-01", "2024-01-01 10:00:00") in it for flags, cohorts and the events and persons
// lists, and the query engine buckets days and weeks in it.
//
// Thread-safe.
#pragma once

#include "base/time_zone.h"
#include "meta/meta_store.h"

namespace hoglet::meta {

// The zone named by project.timezone. A stored name the tz database does not know (the projects
// API accepts only names it knows, but a store may hold names written before it did, or by
// another tool) means UTC, with one warning per name.
TimeZone ProjectTimeZone(const Project& project);

}  // namespace hoglet::meta
