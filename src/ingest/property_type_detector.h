// The type a property definition gets from the first values ingestion sees (analytics §1.9),
// decided the way PostHog's property-defs service decides it, so that HogQL casts the same
// properties the same way:
//
//   1. keys starting utm_, $feature/ or $survey_response, and $feature_flag_response
//      (case-insensitive) are String whatever the value;
//   2. a key containing time, timestamp, date, _at, -at, createdat or updatedat
//      (case-insensitive) with a number not older than six months as Unix seconds is DateTime;
//   3. a string that is "true", "false", "TRUE" or "FALSE" (spaces trimmed) is Boolean;
//   4. a date-like string (IsLikelyDateString) is DateTime;
//   5. otherwise a bool is Boolean, a string String, a number Numeric; null, objects and arrays
//      have no type.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "meta/definitions.h"
#include "store/column_type.h"

namespace hoglet::ingest {

// The type for one value of `key`; `now_us` anchors the six-month window of rule 2.
std::optional<meta::PropertyType> DetectPropertyType(std::string_view key,
                                                     const store::PropertyValue& value,
                                                     int64_t now_us);

// True for a string that reads as a date or a date-time: after trimming spaces, at least 10
// characters, not a number, and one of: RFC 3339 / ISO 8601 (also with a space for 'T', or a date
// alone), "YYYY-MM-DD" / "YYYY/MM/DD" / "DD-MM-YYYY" / "MM/DD/YYYY" optionally followed by
// " HH:MM:SS…" or "THH:MM:SS…", or RFC 2822 ("Tue, 1 Jul 2003 10:52:37 +0200").
bool IsLikelyDateString(std::string_view text);

// Event property keys PostHog never records as definitions: $set, $set_once, $unset, $groups
// and $group_0 … $group_4 (they are instructions to person and group processing, not
// properties of the event).
bool IsSkippedEventProperty(std::string_view key);

}  // namespace hoglet::ingest
