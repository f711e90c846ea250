// Deterministic person uuids (analytics §1.3): a person created for distinct id D of team T has
// uuid UUIDv5(namespace 932979b4-65c3-4424-8467-0b66ec27bc22, "T:D"), and a personless event of
// D carries that same uuid, so a later person for D adopts those events without rewriting them.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/uuid.h"

namespace hoglet::persons {

// PostHog's person uuid namespace.
const Uuid& PersonUuidNamespace();

// UUIDv5(PersonUuidNamespace(), "<team_id>:<distinct_id>"). Pure and thread-safe.
Uuid DeterministicPersonId(int64_t team_id, std::string_view distinct_id);

}  // namespace hoglet::persons
