#include "capture/capture_request.h"

#include <gtest/gtest.h>

#include "base/base64.h"
#include "base/gzip.h"
#include "base/url.h"
#include "base/uuid.h"
#include "capture_test_util.h"

namespace hoglet::capture {
namespace {

using testing::Instant;
using testing::JsonTextEqual;
using testing::RequestBuilder;

constexpr char kToken[] = "phc_test";

RequestBuilder Batch(std::string events_json, std::string extra = "") {
  RequestBuilder b;
  b.body = R"({"api_key":"phc_test",)" + extra + R"("batch":)" + events_json + "}";
  return b;
}

Status Fails(const RequestBuilder& b, const CaptureLimits& limits = {}) {
  StatusOr<CaptureBatch> out = b.Decode(limits);
  EXPECT_FALSE(out.ok()) << b.body;
  return out.status();
}

TEST(CaptureRequest, AcceptsAnArrayOfEvents) {
  RequestBuilder b;
  b.path = "/e/";
  b.body = R"([{"event":"a","properties":{"distinct_id":"d1","token":"phc_test"}},
               {"event":"b","properties":{"distinct_id":"d2","token":"phc_test"}}])";
  StatusOr<CaptureBatch> out = b.Decode();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->token, kToken);
  ASSERT_EQ(out->events.size(), 2u);
  EXPECT_EQ(out->events[0].event, "a");
  EXPECT_EQ(out->events[0].distinct_id, "d1");
  EXPECT_EQ(out->events[1].event, "b");
  EXPECT_EQ(out->events[1].token, kToken);
  EXPECT_EQ(out->events[1].ip, b.ip);
  EXPECT_EQ(out->events[1].now_us, b.now_us);
  EXPECT_EQ(out->events[1].team_id, 0);
}

TEST(CaptureRequest, AcceptsABatchObjectWithSentAtAndHistoricalFlag) {
  RequestBuilder b =
      Batch(R"([{"event":"a","distinct_id":"d","timestamp":"2023-11-14T22:13:15Z"}])",
            R"("sent_at":"2023-11-14T22:13:20Z","historical_migration":true,)");
  b.now_us = Instant("2023-11-14T22:13:30Z");
  StatusOr<CaptureBatch> out = b.Decode();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->historical_migration);
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_TRUE(out->events[0].historical_migration);
  EXPECT_EQ(out->events[0].sent_at_us, Instant("2023-11-14T22:13:20Z"));
  EXPECT_EQ(out->events[0].timestamp_us, Instant("2023-11-14T22:13:25Z"));
}

TEST(CaptureRequest, AcceptsASingleEventObject) {
  RequestBuilder b;
  b.path = "/capture/";
  b.body = R"({"event":"solo","api_key":"phc_test","distinct_id":7})";
  StatusOr<CaptureBatch> out = b.Decode();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].distinct_id, "7");
  EXPECT_TRUE(JsonTextEqual(out->events[0].data, b.body));
}

TEST(CaptureRequest, EngageWithoutEventBecomesIdentify) {
  RequestBuilder b;
  b.path = "/engage/";
  b.body = R"({"$token":"phc_test","$distinct_id":"p1","$set":{"plan":"pro"}})";
  StatusOr<CaptureBatch> out = b.Decode();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].event, "$identify");
  EXPECT_EQ(out->events[0].distinct_id, "p1");
  EXPECT_TRUE(JsonTextEqual(out->events[0].data,
                            R"({"event":"$identify","$token":"phc_test","$distinct_id":"p1",)"
                            R"("$set":{"plan":"pro"}})"));
  b.path = "/e/";
  EXPECT_EQ(Fails(b).reason(), "missing_event_name");
}

TEST(CaptureRequest, RefusesEmptyBatchesAndNonObjects) {
  EXPECT_EQ(Fails(Batch("[]")).reason(), "empty_batch");
  RequestBuilder b;
  b.body = "[]";
  EXPECT_EQ(Fails(b).reason(), "empty_batch");
  b.body = R"([1])";
  EXPECT_EQ(Fails(b).reason(), "request_parsing_error");
  b.body = R"("text")";
  EXPECT_EQ(Fails(b).reason(), "request_parsing_error");
}

TEST(CaptureRequest, RefusesInvalidJsonAndInvalidUtf8) {
  RequestBuilder b;
  for (std::string bad : {std::string(R"([{"event":"a",])"), std::string("[{\"event\":\"\xff\"}]"),
                          std::string(R"([{"event":"a","x":NaN}])"), std::string("garbage")}) {
    b.body = bad;
    Status s = Fails(b);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(s.reason(), "request_parsing_error") << bad;
  }
}

TEST(CaptureRequest, RefusesMissingOrEmptyEventNames) {
  EXPECT_EQ(Fails(Batch(R"([{"distinct_id":"d"}])")).reason(), "missing_event_name");
  EXPECT_EQ(Fails(Batch(R"([{"event":"","distinct_id":"d"}])")).reason(), "missing_event_name");
  EXPECT_EQ(Fails(Batch(R"([{"event":3,"distinct_id":"d"}])")).reason(), "missing_event_name");
}

TEST(CaptureRequest, DistinctIdFallsBackAndIsRequired) {
  StatusOr<CaptureBatch> out = Batch(R"([{"event":"a","distinct_id":null,"$distinct_id":"alias"},
                {"event":"b","properties":{"distinct_id":{"z":1,"a":[2]}}}])")
                                   .Decode();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->events[0].distinct_id, "alias");
  EXPECT_EQ(out->events[1].distinct_id, R"({"a":[2],"z":1})");
  for (const char* bad :
       {R"([{"event":"a"}])", R"([{"event":"a","distinct_id":""}])",
        R"([{"event":"a","distinct_id":"   "}])", R"([{"event":"a","distinct_id":null}])"}) {
    Status s = Fails(Batch(bad));
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(s.reason(), "missing_distinct_id") << bad;
  }
}

TEST(CaptureRequest, OneBadEventFailsTheWholeRequest) {
  Status s = Fails(Batch(R"([{"event":"a","distinct_id":"d"},{"event":"b"}])"));
  EXPECT_EQ(s.reason(), "missing_distinct_id");
}

TEST(CaptureRequest, KeepsValidUuidsCanonicalAndGeneratesMissingOnes) {
  StatusOr<CaptureBatch> out =
      Batch(R"([{"event":"a","distinct_id":"d","uuid":"018A981F-4B35-7C66-825E-8B0EEAE65714"},
                {"event":"b","distinct_id":"d","uuid":""},{"event":"c","distinct_id":"d"}])")
          .Decode();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->events[0].uuid, "018a981f-4b35-7c66-825e-8b0eeae65714");
  for (int i : {1, 2}) {
    std::optional<Uuid> generated = Uuid::Parse(out->events[i].uuid);
    ASSERT_TRUE(generated.has_value());
    EXPECT_EQ(out->events[i].uuid[14], '7');  // version 7
  }
  EXPECT_NE(out->events[1].uuid, out->events[2].uuid);
  EXPECT_EQ(Fails(Batch(R"([{"event":"a","distinct_id":"d","uuid":"nope"}])")).reason(),
            "invalid_uuid");
  EXPECT_EQ(Fails(Batch(R"([{"event":"a","distinct_id":"d","uuid":12}])")).reason(),
            "invalid_uuid");
}

TEST(CaptureRequest, DropsPerformanceEventsAndAcceptsABatchOfOnlyThose) {
  StatusOr<CaptureBatch> out =
      Batch(R"([{"event":"$performance_event"},{"event":"a","distinct_id":"d"}])").Decode();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].event, "a");
  out = Batch(R"([{"event":"$performance_event"}])").Decode();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->events.empty());
}

TEST(CaptureRequest, CookielessModeMustBeABoolean) {
  EXPECT_TRUE(Batch(R"([{"event":"a","distinct_id":"d","properties":{"$cookieless_mode":true}}])")
                  .Decode()
                  .ok());
  EXPECT_EQ(
      Fails(Batch(R"([{"event":"a","distinct_id":"d","properties":{"$cookieless_mode":"yes"}}])"))
          .reason(),
      "invalid_cookieless_mode");
}

TEST(CaptureRequest, ResolvesTokensPerSpec) {
  RequestBuilder b;
  b.body = R"([{"event":"a","distinct_id":"d"}])";
  Status s = Fails(b);
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(s.reason(), "ingest_key_required");
  b.body = R"([{"event":"a","distinct_id":"d","token":"phc_1"},
               {"event":"a","distinct_id":"d","properties":{"token":"phc_2"}}])";
  EXPECT_EQ(Fails(b).code(), StatusCode::kUnauthenticated);
  b.body = R"({"api_key":"phx_secret","batch":[{"event":"a","distinct_id":"d"}]})";
  EXPECT_EQ(Fails(b).reason(), "ingest_key_invalid");
  b.body = R"({"token":"phc_batch","batch":[{"event":"a","distinct_id":"d","token":"phc_x"}]})";
  StatusOr<CaptureBatch> out = b.Decode();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->events[0].token, "phc_batch");
}

TEST(CaptureRequest, UsesQuerySentAtOnlyInMilliseconds) {
  RequestBuilder b;
  b.path = "/e/";
  b.now_us = Instant("2023-09-15T09:15:05.358Z");
  b.body = R"([{"event":"a","distinct_id":"d","token":"phc_t","offset":100}])";
  b.query = "_=1694769305355";
  StatusOr<CaptureBatch> out = b.Decode();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->events[0].sent_at_us, int64_t{1694769305355} * 1000);
  EXPECT_EQ(out->events[0].timestamp_us, b.now_us - 100'000);
  b.query = "_=1694769305";
  out = b.Decode();
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->events[0].sent_at_us.has_value());
}

TEST(CaptureRequest, AppliesEventCountDepthAndPropertyLimits) {
  CaptureLimits limits;
  limits.max_events = 2;
  std::string three = R"([{"event":"a","distinct_id":"d"},{"event":"a","distinct_id":"d"},
                         {"event":"a","distinct_id":"d"}])";
  EXPECT_EQ(Fails(Batch(three), limits).code(), StatusCode::kPayloadTooLarge);
  limits = CaptureLimits{};
  limits.max_json_depth = 8;
  std::string deep = R"([{"event":"a","distinct_id":"d","properties":{"x":)" +
                     std::string(10, '[') + std::string(10, ']') + "}}]";
  Status s = Fails(Batch(deep), limits);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.reason(), "json_too_deep");
  limits = CaptureLimits{};
  limits.max_properties = 2;
  EXPECT_TRUE(
      Batch(R"([{"event":"a","distinct_id":"d","properties":{"a":1,"b":2}}])").Decode(limits).ok());
  s = Fails(Batch(R"([{"event":"a","distinct_id":"d","properties":{"a":1,"b":2,"c":3}}])"), limits);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.reason(), "too_many_properties");
  limits = CaptureLimits{};
  limits.max_payload_bytes = 10;
  EXPECT_EQ(Fails(Batch(three), limits).code(), StatusCode::kPayloadTooLarge);
}

TEST(CaptureRequest, RefusesAnEventOverTheEventSizeLimitWith413) {
  CaptureLimits limits;
  limits.max_event_bytes = 1000;
  std::string small =
      R"({"event":"a","distinct_id":"d","properties":{"p":")" + std::string(900, 'x') + R"("}})";
  std::string big =
      R"({"event":"a","distinct_id":"d","properties":{"p":")" + std::string(1000, 'x') + R"("}})";
  EXPECT_TRUE(Batch("[" + small + "]").Decode(limits).ok());
  // One oversized event refuses the whole request, as PostHog's capture does.
  Status s = Fails(Batch("[" + small + "," + big + "]"), limits);
  EXPECT_EQ(s.code(), StatusCode::kPayloadTooLarge);
  EXPECT_EQ(s.reason(), "payload_too_large");
  EXPECT_NE(s.message().find("over the limit of 1000 bytes for one event"), std::string::npos)
      << s.message();
  // The default is PostHog's: 1,000,000 bytes.
  EXPECT_EQ(CaptureLimits{}.max_event_bytes, 1'000'000u);
}

TEST(CaptureRequest, CutsALongDistinctIdAndSaysHowLongItWas) {
  std::string long_id(10'000, 'i');
  StatusOr<CaptureBatch> out =
      Batch(R"([{"event":"a","distinct_id":")" + long_id + R"("},{"event":"b","distinct_id":"d"}])")
          .Decode();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->events[0].distinct_id, std::string(200, 'i'));
  EXPECT_EQ(out->events[0].distinct_id_chars_before_cut, 10'000u);
  EXPECT_EQ(out->events[1].distinct_id_chars_before_cut, 0u);
}

TEST(CaptureRequest, ErrorMessagesQuoteAtMost200CharactersOfTheEventName) {
  std::string name(100'000, 'n');
  Status s = Fails(Batch(R"([{"event":")" + name + R"("}])"));
  EXPECT_EQ(s.reason(), "missing_distinct_id");
  EXPECT_LT(s.message().size(), 400u);
  EXPECT_NE(s.message().find(std::string(200, 'n') + "…\""), std::string::npos);
}

TEST(CaptureRequest, AcceptsLoneSurrogateEscapes) {
  // invalid_surrogate.json is an event without token or distinct_id; the other fixture is a
  // properties object. Both are wrapped into a complete event.
  const std::string event = testing::ReadTestData("invalid_surrogate.json");
  const std::string properties =
      testing::ReadTestData("session_recording_utf_surrogate_console.json");
  const std::string bodies[] = {
      R"({"distinct_id":"d","token":"phc_test",)" + event.substr(event.find('{') + 1),
      R"({"event":"$snapshot","distinct_id":"d","token":"phc_test","properties":)" + properties +
          "}"};
  for (const std::string& body : bodies) {
    RequestBuilder b;
    b.path = "/s/";
    b.body = body;
    StatusOr<CaptureBatch> out = b.Decode();
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    ASSERT_EQ(out->events.size(), 1u);
    EXPECT_NE(out->events[0].data.find("\xEF\xBF\xBD"), std::string::npos);
  }
}

// The raw payload fixtures, sent as PostHog's SDK-compat tests do.
TEST(CaptureRequest, DecodesPayloadFixturesPlainGzippedAndAsForm) {
  std::string payload = testing::ReadTestData("single_event_payload.json");
  const int64_t now = Instant("2025-07-01T11:00:00Z");
  auto check = [&](const RequestBuilder& b, const char* how) {
    StatusOr<CaptureBatch> out = b.Decode();
    ASSERT_TRUE(out.ok()) << how << ": " << out.status().ToString();
    EXPECT_EQ(out->token, "phc_VXRzc3poSG9GZm1JenRianJ6TTJFZGh4OWY2QXzx9f3") << how;
    ASSERT_EQ(out->events.size(), 1u) << how;
    const CapturedEvent& e = out->events[0];
    EXPECT_EQ(e.event, "$autocapture") << how;
    EXPECT_EQ(e.distinct_id, "019833ae-4913-7179-b6bc-019570abb1c9") << how;
    // The event has both a timestamp and "offset": 308; the offset wins (§1.6 step 3).
    EXPECT_EQ(e.timestamp_us, now - 308'000) << how;
    EXPECT_TRUE(JsonTextEqual(e.data, payload)) << how;
  };
  RequestBuilder b;
  b.path = "/e/";
  b.now_us = now;
  b.query = "_=" + std::to_string(now / 1000);
  b.body = payload;
  check(b, "plain");
  b.body = GzipCompress(payload);
  b.content_type = "text/plain";
  check(b, "gzip without hint");
  b.query += "&compression=gzip-js";
  check(b, "gzip with hint");
  b.query = "_=" + std::to_string(now / 1000);
  b.content_type = "application/x-www-form-urlencoded";
  b.body = "data=" + PercentEncode(Base64Encode(payload)) + "&compression=base64";
  check(b, "form base64");
}

TEST(CaptureRequest, DecodesBatchEngageAndReplayFixtures) {
  RequestBuilder b;
  b.body = testing::ReadTestData("batch_events_payload.json");
  StatusOr<CaptureBatch> out = b.Decode();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->events.size(), 2u);
  EXPECT_EQ(out->events[0].event, "$pageview");
  EXPECT_EQ(out->events[1].event, "$pageleave");
  EXPECT_FALSE(out->historical_migration);

  b.path = "/engage/";
  b.body = testing::ReadTestData("single_engage_event_payload.json");
  out = b.Decode();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->events[0].event, "$identify");
  EXPECT_EQ(out->events[0].distinct_id, "01983d85-e613-7067-a70e-21bb63f8b8ee");

  b.path = "/s/";
  b.body = GzipCompress(testing::ReadTestData("single_replay_event_payload.json"));
  out = b.Decode();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->events[0].event, "$snapshot_items");
  EXPECT_EQ(out->events[0].distinct_id, "01983d90-510c-7970-a356-ecd2aa03cb22");
}

TEST(CaptureRequest, NeverCrashesOnMutatedPayloads) {
  std::string payload = testing::ReadTestData("batch_events_payload.json");
  uint32_t state = 7;
  for (int round = 0; round < 3000; ++round) {
    std::string mutated = payload;
    for (int k = 0; k < 1 + round % 5; ++k) {
      state = state * 1664525 + 1013904223;
      mutated[(state >> 8) % mutated.size()] = static_cast<char>(state >> 24);
    }
    RequestBuilder b;
    b.body = round % 3 == 0 ? GzipCompress(mutated).substr(0, 50 + round % 400) : mutated;
    (void)b.Decode();
  }
}

}  // namespace
}  // namespace hoglet::capture
