// The identity model (analytics §1.3, §1.5): persons behind distinct ids, and groups.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/uuid.h"

namespace hoglet::persons {

struct Person {
  Uuid uuid;
  int64_t team_id = 0;
  std::string properties = "{}";  // JSON object text
  bool is_identified = false;
  int64_t created_at_us = 0;
  int64_t version = 0;
  std::vector<std::string> distinct_ids;  // every distinct id that maps to this person
};

// Up to five group types per team, each with a fixed index 0..4 assigned on first sight.
struct GroupType {
  int64_t team_id = 0;
  std::string group_type;  // e.g. "company"
  int group_type_index = 0;
};

struct Group {
  int64_t team_id = 0;
  int group_type_index = 0;
  std::string group_key;
  std::string properties = "{}";  // JSON object text
  int64_t created_at_us = 0;
  int64_t version = 0;
};

// Something ingestion did not do as asked, for the project's owner to see (PostHog's ingestion
// warnings, e.g. "cannot_merge_already_identified").
struct IngestionWarning {
  int64_t team_id = 0;
  std::string type;
  std::string details;  // JSON object text
  int64_t timestamp_us = 0;
};

}  // namespace hoglet::persons
