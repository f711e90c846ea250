// Replays PostHog's recorded SDK requests (tests/data/capture/posthog-capture-requests.jsonl,
// see the README there) through DecodeCaptureRequest and compares with the events PostHog made.
//
// What "equal" means here:
//   - count and order of events, uuid, distinct_id, token: exactly equal;
//   - sent_at: the same instant (the record writes Python ISO text; "" means absent);
//   - data: the parsed JSON of our event equals the parsed expected `data`, after removing the
//     top-level `type`, `library` and `library_version` that old posthog-node sent (both sides).
//     The records' expected data holds no field the Django server added (checked: it equals
//     the received event object), so nothing else is removed;
//   - `site_url` is a Django-era field and is ignored; `ip` and `now` come from the record;
//   - the historical flag must be set exactly on the record that says historical_migration.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <sstream>

#include "base/base64.h"
#include "capture/capture_request.h"
#include "capture_test_util.h"

namespace hoglet::capture {
namespace {

using testing::JsonEqual;

// Parses `json` (an object) and re-serialises it without the keys the comparison ignores.
std::string StripIgnored(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  EXPECT_EQ(parser.parse(json.data(), json.size()).get(object), simdjson::SUCCESS) << json;
  std::string out = "{";
  for (simdjson::dom::key_value_pair field : object) {
    if (field.key == "type" || field.key == "library" || field.key == "library_version") continue;
    if (out.size() > 1) out += ',';
    out += '"';
    out += field.key;  // keys in these records need no escaping
    out += "\":";
    out += simdjson::minify(field.value);
  }
  return out + "}";
}

bool SameJson(std::string_view a, std::string_view b) {
  std::string x = StripIgnored(a), y = StripIgnored(b);
  simdjson::dom::parser pa, pb;
  simdjson::dom::element ea, eb;
  if (pa.parse(x).get(ea) || pb.parse(y).get(eb)) return false;
  return JsonEqual(ea, eb);
}

TEST(FixtureReplay, EveryRecordProducesPostHogsEvents) {
  std::istringstream lines(testing::ReadTestData("posthog-capture-requests.jsonl"));
  std::string line;
  int records = 0, events = 0, historical_records = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    ++records;
    simdjson::dom::parser parser;
    simdjson::dom::object record;
    ASSERT_EQ(parser.parse(line).get(record), simdjson::SUCCESS);
    std::string_view path_and_query, content_type, content_encoding, ip, now, body64;
    ASSERT_EQ(record["path"].get(path_and_query), simdjson::SUCCESS);
    ASSERT_EQ(record["content_type"].get(content_type), simdjson::SUCCESS);
    ASSERT_EQ(record["content_encoding"].get(content_encoding), simdjson::SUCCESS);
    ASSERT_EQ(record["ip"].get(ip), simdjson::SUCCESS);
    ASSERT_EQ(record["now"].get(now), simdjson::SUCCESS);
    ASSERT_EQ(record["body"].get(body64), simdjson::SUCCESS);
    bool historical = false;
    if (record["historical_migration"].get(historical) != simdjson::SUCCESS) historical = false;
    historical_records += historical;

    testing::RequestBuilder b;
    size_t q = path_and_query.find('?');
    b.path = std::string(path_and_query.substr(0, q));
    b.query = q == std::string_view::npos ? "" : std::string(path_and_query.substr(q + 1));
    b.content_type = content_type;
    b.content_encoding = content_encoding;
    std::optional<std::string> body = Base64Decode(body64);
    ASSERT_TRUE(body.has_value());
    b.body = std::move(*body);
    b.ip = ip;
    b.now_us = testing::Instant(now);
    SCOPED_TRACE("record " + std::to_string(records) + " " + std::string(path_and_query));

    StatusOr<CaptureBatch> batch = b.Decode();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    EXPECT_EQ(batch->historical_migration, historical);
    simdjson::dom::array output;
    ASSERT_EQ(record["output"].get(output), simdjson::SUCCESS);
    ASSERT_EQ(batch->events.size(), output.size());
    size_t i = 0;
    for (simdjson::dom::element expected : output) {
      const CapturedEvent& got = batch->events[i++];
      SCOPED_TRACE("event " + std::to_string(i - 1));
      std::string_view uuid, distinct_id, token, sent_at, data, out_ip, out_now;
      ASSERT_EQ(expected["uuid"].get(uuid), simdjson::SUCCESS);
      ASSERT_EQ(expected["distinct_id"].get(distinct_id), simdjson::SUCCESS);
      ASSERT_EQ(expected["token"].get(token), simdjson::SUCCESS);
      ASSERT_EQ(expected["sent_at"].get(sent_at), simdjson::SUCCESS);
      ASSERT_EQ(expected["data"].get(data), simdjson::SUCCESS);
      ASSERT_EQ(expected["ip"].get(out_ip), simdjson::SUCCESS);
      ASSERT_EQ(expected["now"].get(out_now), simdjson::SUCCESS);
      EXPECT_EQ(got.uuid, uuid);
      EXPECT_EQ(got.distinct_id, distinct_id);
      EXPECT_EQ(got.token, token);
      EXPECT_EQ(got.ip, out_ip);
      EXPECT_EQ(got.now_us, testing::Instant(out_now));
      if (sent_at.empty()) {
        EXPECT_FALSE(got.sent_at_us.has_value());
      } else {
        EXPECT_EQ(got.sent_at_us, testing::Instant(sent_at));
      }
      EXPECT_EQ(got.historical_migration, historical);
      EXPECT_TRUE(SameJson(got.data, data)) << "got " << got.data << "\nwant " << data;
      ++events;
    }
  }
  EXPECT_EQ(records, 16);
  EXPECT_EQ(events, 88);
  EXPECT_EQ(historical_records, 1);
}

TEST(FixtureReplay, ComparisonDetectsADifferentEvent) {
  // The comparison itself must be able to fail.
  EXPECT_TRUE(SameJson(R"({"a":1,"type":"x"})", R"({"a":1.0})"));
  EXPECT_FALSE(SameJson(R"({"a":1})", R"({"a":2})"));
  EXPECT_FALSE(SameJson(R"({"a":1})", R"({"a":1,"b":null})"));
}

}  // namespace
}  // namespace hoglet::capture
