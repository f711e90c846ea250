// CityHash64 as ClickHouse computes it (its `cityHash64` function, CityHash version 1.0.2): the
// hash behind PostHog's sampling key `SAMPLE BY cityHash64(distinct_id)`, so a sampled query keeps
// the same distinct ids here as on ClickHouse. Pure; call it from any thread.
//
// Example:
//   CityHash64("") == 11160318154034397263ULL
#pragma once

#include <cstdint>
#include <string_view>

namespace hoglet {

// The 64-bit CityHash (v1.0.2) of `data`, read as little-endian words.
uint64_t CityHash64(std::string_view data);

}  // namespace hoglet
