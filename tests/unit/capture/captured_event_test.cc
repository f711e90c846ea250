#include "capture/captured_event.h"

#include <gtest/gtest.h>

#include "capture/distinct_id.h"

namespace hoglet::capture {
namespace {

CapturedEvent Sample() {
  CapturedEvent e;
  e.uuid = "018a981f-4b35-7c66-825e-8b0eeae65714";
  e.team_id = 42;
  e.token = "phc_token";
  e.distinct_id = "user-\xC3\xA9";
  e.event = "$pageview";
  e.data = std::string(300, 'd') + std::string("\0x", 2);
  e.timestamp_us = -5;
  e.now_us = 1'700'000'000'000'000;
  e.sent_at_us = 1'699'999'999'999'000;
  e.ip = "2001:db8::1";
  e.historical_migration = true;
  return e;
}

TEST(CapturedEvent, RoundTripsThroughTheRecordForm) {
  CapturedEvent e = Sample();
  StatusOr<CapturedEvent> back = DecodeCapturedEvent(EncodeCapturedEvent(e));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, e);
  e.sent_at_us.reset();
  e.historical_migration = false;
  back = DecodeCapturedEvent(EncodeCapturedEvent(e));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, e);
  EXPECT_EQ(*DecodeCapturedEvent(EncodeCapturedEvent(CapturedEvent{})), CapturedEvent{});
}

TEST(CapturedEvent, CarriesTheLengthOfACutDistinctId) {
  CapturedEvent e = Sample();
  std::string uncut = EncodeCapturedEvent(e);
  e.distinct_id_chars_before_cut = 10'000'000;
  std::string record = EncodeCapturedEvent(e);
  EXPECT_EQ(record.size(), uncut.size() + 4);  // a four-byte varint after the strings
  StatusOr<CapturedEvent> back = DecodeCapturedEvent(record);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->distinct_id_chars_before_cut, 10'000'000u);
  EXPECT_EQ(*back, e);
  // A record that says "cut" must carry a length over the limit.
  e.distinct_id_chars_before_cut = kMaxDistinctIdChars;
  EXPECT_EQ(DecodeCapturedEvent(EncodeCapturedEvent(e)).status().code(), StatusCode::kDataLoss);
  std::string flag_without_length = uncut;
  flag_without_length[1] = static_cast<char>(flag_without_length[1] | 4);
  EXPECT_EQ(DecodeCapturedEvent(flag_without_length).status().code(), StatusCode::kDataLoss);
}

TEST(CapturedEvent, RejectsEveryTruncation) {
  std::string record = EncodeCapturedEvent(Sample());
  for (size_t len = 0; len < record.size(); ++len) {
    StatusOr<CapturedEvent> out = DecodeCapturedEvent(record.substr(0, len));
    ASSERT_FALSE(out.ok()) << len;
    EXPECT_EQ(out.status().code(), StatusCode::kDataLoss) << len;
  }
}

TEST(CapturedEvent, RejectsUnknownVersionsFlagsAndTrailingBytes) {
  std::string record = EncodeCapturedEvent(Sample());
  std::string other_version = record;
  other_version[0] = 2;
  EXPECT_EQ(DecodeCapturedEvent(other_version).status().code(), StatusCode::kDataLoss);
  std::string bad_flags = record;
  bad_flags[1] = static_cast<char>(0x80);
  EXPECT_EQ(DecodeCapturedEvent(bad_flags).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(DecodeCapturedEvent(record + "x").status().code(), StatusCode::kDataLoss);
}

TEST(CapturedEvent, RejectsOversizedLengthPrefixes) {
  std::string record(1, '\x01');
  record.push_back('\0');
  record.append(32, '\0');
  record.append("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x7F");  // a length near 2^63
  EXPECT_EQ(DecodeCapturedEvent(record).status().code(), StatusCode::kDataLoss);
  record.back() = '\xFF';  // a varint that never ends
  record.append(5, '\xFF');
  EXPECT_EQ(DecodeCapturedEvent(record).status().code(), StatusCode::kDataLoss);
}

TEST(CapturedEvent, AcceptsOnlyTheCanonicalEncoding) {
  CapturedEvent e = Sample();
  e.sent_at_us.reset();
  std::string record = EncodeCapturedEvent(e);
  std::string stray_sent_at = record;
  stray_sent_at[2 + 3 * 8] = 1;  // sent_at bytes set while the flag says absent
  EXPECT_EQ(DecodeCapturedEvent(stray_sent_at).status().code(), StatusCode::kDataLoss);
  std::string long_varint = record;
  size_t uuid_length_at = 2 + 4 * 8;
  ASSERT_EQ(long_varint[uuid_length_at], 36);
  long_varint[uuid_length_at] = static_cast<char>(36 | 0x80);
  long_varint.insert(uuid_length_at + 1, 1, '\0');  // 36 as a two-byte varint
  EXPECT_EQ(DecodeCapturedEvent(long_varint).status().code(), StatusCode::kDataLoss);
  // A ten-byte varint whose last byte carries bits beyond 64 would wrap to a small length.
  CapturedEvent no_uuid = e;
  no_uuid.uuid.clear();
  std::string overflowing = EncodeCapturedEvent(no_uuid);
  ASSERT_EQ(overflowing[uuid_length_at], 0);
  overflowing.replace(uuid_length_at, 1, std::string(9, '\x80') + "\x02");
  EXPECT_EQ(DecodeCapturedEvent(overflowing).status().code(), StatusCode::kDataLoss);
}

TEST(CapturedEvent, PartitionKeyIsTokenColonDistinctId) {
  CapturedEvent e = Sample();
  EXPECT_EQ(PartitionKey(e), "phc_token:user-\xC3\xA9");
}

}  // namespace
}  // namespace hoglet::capture
