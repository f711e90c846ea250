// Event builders shared by the store tests.
#pragma once

#include <cstdint>
#include <string>

#include "base/uuid.h"
#include "store/event.h"

namespace hoglet::store::testing {

// 2024-03-10T00:00:00Z in microseconds.
inline constexpr int64_t kDay0Us = int64_t{1710028800} * 1000 * 1000;
inline constexpr int64_t kHourUs = int64_t{3600} * 1000 * 1000;
inline constexpr int64_t kDayUs = 24 * kHourUs;

// A deterministic uuid from a number (distinct numbers give distinct, ordered uuids).
inline Uuid TestUuid(uint64_t n, uint8_t tag = 0xe0) {
  Uuid u;
  u.bytes[0] = tag;
  for (int i = 0; i < 8; ++i) u.bytes[15 - i] = static_cast<uint8_t>(n >> (8 * i));
  return u;
}

inline Event MakeEvent(int64_t team, uint64_t n, int64_t timestamp_us,
                       std::string properties = "{}", std::string name = "$pageview",
                       uint64_t person = 1) {
  Event e;
  e.uuid = TestUuid(n);
  e.team_id = team;
  e.event = std::move(name);
  e.distinct_id = "user-" + std::to_string(person);
  e.person_id = TestUuid(person, 0x70);
  e.timestamp_us = timestamp_us;
  e.created_at_us = timestamp_us + 1000;
  e.properties = std::move(properties);
  return e;
}

}  // namespace hoglet::store::testing
