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
  // The person as ingestion saw it (persons-on-events, analytics §1.4, §2.9).
  std::string person_properties = "{}";  // JSON object text
  int64_t person_created_at_us = 0;
  int64_t person_mode = 0;  // 0 full, 1 propertyless, 2 force_upgrade

  friend bool operator==(const Event&, const Event&) = default;
};

}  // namespace hoglet::store
