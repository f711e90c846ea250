// The unit capture hands to the event log: one accepted event, validated and stamped.
//
// A CapturedEvent is what a Kafka message is in PostHog (`CapturedEvent`): the raw event object
// the client sent (`data`, untouched) plus what the edge learned (team, normalised distinct_id,
// uuid, receive time, clock-skew-corrected timestamp, client ip). Ingestion reads everything else
// (properties, $set, ...) from `data`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hoglet::capture {

struct CapturedEvent {
  std::string uuid;          // canonical lower-case UUID; the client's if valid, else a UUIDv7
  int64_t team_id = 0;       // 0 until the token is resolved to a project
  std::string token;         // the project API key the event was sent with
  std::string distinct_id;   // normalised: stringified, NUL → U+FFFD, at most 200 characters
  std::string event;         // event name, non-empty
  std::string data;          // the event object exactly as received, as JSON text
  int64_t timestamp_us = 0;  // event time after clock-skew correction (capture-and-flags §1.6)
  int64_t now_us = 0;        // server receive time
  std::optional<int64_t> sent_at_us;
  std::string ip;  // client address (X-Forwarded-For first hop, else the peer)
  bool historical_migration = false;
  // When the distinct_id was cut to 200 characters, its length in characters before the cut
  // (ingestion records a distinct_id_truncated warning); 0 when it was not cut.
  uint64_t distinct_id_chars_before_cut = 0;

  friend bool operator==(const CapturedEvent&, const CapturedEvent&) = default;
};

// Serialises an event into a log record (a compact, versioned binary form).
std::string EncodeCapturedEvent(const CapturedEvent& event);
// Parses a log record. kDataLoss when the bytes are not a record this version can read.
StatusOr<CapturedEvent> DecodeCapturedEvent(std::string_view record);

// The partition key PostHog uses: "<token>:<distinct_id>".
std::string PartitionKey(const CapturedEvent& event);

}  // namespace hoglet::capture
