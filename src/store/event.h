// An event as stored and queried (PostHog's ClickHouse `events` row, analytics §1.2).
#pragma once

#include <cstdint>
#include <string>

#include "base/uuid.h"

namespace hoglet::store {

struct Event {
  Uuid uuid;
  int64_t team_id = 0;
  std::string event;
  std::string distinct_id;
  Uuid person_id;
  int64_t timestamp_us = 0;   // event time (UTC)
  int64_t created_at_us = 0;  // ingestion time
  std::string properties;     // JSON object text, exactly as ingestion produced it

  friend bool operator==(const Event&, const Event&) = default;
};

}  // namespace hoglet::store
