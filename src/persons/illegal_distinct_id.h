// Distinct ids that must never take part in a merge (analytics §2.7): values SDKs and careless
// integrations send when they have no real id. Merging on one of them would fuse unrelated
// users into one person.
#pragma once

#include <string_view>

namespace hoglet::persons {

// True when `distinct_id` is empty after trimming whitespace; or, case-insensitively, one of
// anonymous, guest, distinctid, distinct_id, id, not_authenticated, email, undefined, true,
// false; or, case-sensitively, one of [object Object], NaN, None, none, null, 0, undefined; or
// any of those wrapped in single or double quotes. Pure.
bool IsIllegalDistinctId(std::string_view distinct_id);

}  // namespace hoglet::persons
