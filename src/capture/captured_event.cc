#include "capture/captured_event.h"

#include <cstring>

#include "capture/distinct_id.h"

namespace hoglet::capture {
namespace {

// Record layout, version 1 (all integers little-endian):
//   u8 version = 1
//   u8 flags: bit 0 sent_at present, bit 1 historical_migration, bit 2 distinct_id cut
//   i64 team_id, i64 timestamp_us, i64 now_us, i64 sent_at_us (0 when absent)
//   then six strings, each a varint length and the bytes:
//   uuid, token, distinct_id, event, ip, data
//   then, when bit 2 is set, a varint: the distinct_id's length in characters before the cut
//   (more than kMaxDistinctIdChars).
// Bit 2 came after the first records were written; records without it read as before.
constexpr uint8_t kVersion = 1;
constexpr uint8_t kHasSentAt = 1;
constexpr uint8_t kHistorical = 2;
constexpr uint8_t kDistinctIdCut = 4;
constexpr uint8_t kKnownFlags = kHasSentAt | kHistorical | kDistinctIdCut;

void PutFixed64(std::string* out, int64_t value) {
  uint64_t v = static_cast<uint64_t>(value);
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void PutVarint(std::string* out, uint64_t n) {
  while (n >= 0x80) {
    out->push_back(static_cast<char>((n & 0x7F) | 0x80));
    n >>= 7;
  }
  out->push_back(static_cast<char>(n));
}

void PutString(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}

// Reads from the front of a record; every read checks the remaining length.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  bool Byte(uint8_t* out) {
    if (data_.empty()) return false;
    *out = static_cast<uint8_t>(data_[0]);
    data_.remove_prefix(1);
    return true;
  }
  bool Fixed64(int64_t* out) {
    if (data_.size() < 8) return false;
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t{static_cast<uint8_t>(data_[i])} << (8 * i);
    *out = static_cast<int64_t>(v);
    data_.remove_prefix(8);
    return true;
  }
  bool Varint(uint64_t* out) {
    uint64_t n = 0;
    for (int shift = 0;; shift += 7) {
      uint8_t b;
      if (shift > 63 || !Byte(&b)) return false;
      // The tenth byte holds bit 63 only; more would be silently dropped by the shift.
      if (shift == 63 && (b & 0x7Fu) > 1) return false;
      n |= uint64_t{b & 0x7Fu} << shift;
      if ((b & 0x80) == 0) {
        // Only the shortest encoding is valid, so every record has exactly one byte form.
        if (b == 0 && shift > 0) return false;
        break;
      }
    }
    *out = n;
    return true;
  }
  bool String(std::string* out) {
    uint64_t n = 0;
    if (!Varint(&n)) return false;
    if (n > data_.size()) return false;
    out->assign(data_.data(), n);
    data_.remove_prefix(n);
    return true;
  }
  bool AtEnd() const { return data_.empty(); }

 private:
  std::string_view data_;
};

}  // namespace

std::string EncodeCapturedEvent(const CapturedEvent& event) {
  std::string out;
  out.reserve(48 + event.uuid.size() + event.token.size() + event.distinct_id.size() +
              event.event.size() + event.ip.size() + event.data.size() + 6 * 5);
  out.push_back(static_cast<char>(kVersion));
  uint8_t flags = (event.sent_at_us ? kHasSentAt : 0) |
                  (event.historical_migration ? kHistorical : 0) |
                  (event.distinct_id_chars_before_cut > 0 ? kDistinctIdCut : 0);
  out.push_back(static_cast<char>(flags));
  PutFixed64(&out, event.team_id);
  PutFixed64(&out, event.timestamp_us);
  PutFixed64(&out, event.now_us);
  PutFixed64(&out, event.sent_at_us.value_or(0));
  for (const std::string* s :
       {&event.uuid, &event.token, &event.distinct_id, &event.event, &event.ip, &event.data}) {
    PutString(&out, *s);
  }
  if (event.distinct_id_chars_before_cut > 0) PutVarint(&out, event.distinct_id_chars_before_cut);
  return out;
}

StatusOr<CapturedEvent> DecodeCapturedEvent(std::string_view record) {
  auto corrupt = [](std::string what) {
    return DataLossError("event log record is corrupt: " + what, "corrupt_record");
  };
  Reader reader(record);
  uint8_t version = 0, flags = 0;
  if (!reader.Byte(&version)) return corrupt("it is empty");
  if (version != kVersion) {
    return corrupt("unknown record version " + std::to_string(version) + " (this build reads " +
                   std::to_string(kVersion) + ")");
  }
  CapturedEvent event;
  int64_t sent_at = 0;
  if (!reader.Byte(&flags) || (flags & ~kKnownFlags) != 0 || !reader.Fixed64(&event.team_id) ||
      !reader.Fixed64(&event.timestamp_us) || !reader.Fixed64(&event.now_us) ||
      !reader.Fixed64(&sent_at)) {
    return corrupt("the fixed-size header is truncated or has unknown flags");
  }
  for (std::string* s :
       {&event.uuid, &event.token, &event.distinct_id, &event.event, &event.ip, &event.data}) {
    if (!reader.String(s)) return corrupt("a string field is truncated");
  }
  if (flags & kDistinctIdCut) {
    if (!reader.Varint(&event.distinct_id_chars_before_cut)) {
      return corrupt("the distinct_id's length before the cut is truncated");
    }
    if (event.distinct_id_chars_before_cut <= kMaxDistinctIdChars) {
      return corrupt("the distinct_id is flagged as cut but was not longer than the limit");
    }
  }
  if (!reader.AtEnd()) return corrupt("unexpected bytes after the last field");
  if (!(flags & kHasSentAt) && sent_at != 0) return corrupt("sent_at is set but flagged absent");
  if (flags & kHasSentAt) event.sent_at_us = sent_at;
  event.historical_migration = (flags & kHistorical) != 0;
  return event;
}

std::string PartitionKey(const CapturedEvent& event) {
  std::string key;
  key.reserve(event.token.size() + 1 + event.distinct_id.size());
  key.append(event.token).append(":").append(event.distinct_id);
  return key;
}

}  // namespace hoglet::capture
