// The capture endpoints over real HTTP: every request shape the SDKs use is acknowledged and its
// events become listable; bad requests get clear 4xx answers.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <zlib.h>

#include <chrono>

#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace hoglet::testing {
namespace {

std::string Gzip(const std::string& text) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Base64(const std::string& in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(n >> s) & 63]);
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

std::string Event(const std::string& name, const std::string& distinct_id,
                  const std::string& extra_properties = "") {
  return R"({"event":")" + name + R"(","distinct_id":")" + distinct_id +
         R"(","properties":{"$lib":"test")" + extra_properties + "}}";
}

class CaptureApiTest : public ::testing::Test {
 protected:
  TempDir dir_;
  TestServer server_{dir_.path()};
};

TEST_F(CaptureApiTest, HealthEndpointsAnswer) {
  EXPECT_EQ(server_.Get("/_health").status, 200);
  EXPECT_EQ(server_.Get("/_readiness").status, 200);
  EXPECT_EQ(server_.Get("/_liveness").status, 200);
}

TEST_F(CaptureApiTest, SingleEventIsListedWithItsProperties) {
  std::string body = R"({"api_key":")" + std::string(kTestProjectToken) +
                     R"(","event":"signed up",)" +
                     R"("distinct_id":"user-1","properties":{"plan":"pro","seats":3}})";
  auto response = server_.Post("/capture/", body);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, R"({"status":"Ok"})");

  std::string events = WaitForEvents(server_, "event=signed%20up", 1);
  ASSERT_EQ(CountResults(events), 1u) << events;
  simdjson::dom::parser parser;
  auto event = parser.parse(events)["results"].at(0);
  EXPECT_EQ(std::string_view(event["distinct_id"]), "user-1");
  EXPECT_EQ(std::string_view(event["properties"]["plan"]), "pro");
  EXPECT_EQ(int64_t(event["properties"]["seats"]), 3);
  EXPECT_EQ(std::string_view(event["id"]), std::string_view(event["uuid"]));
}

TEST_F(CaptureApiTest, GzipBatchLikePosthogNode) {
  std::string batch = R"({"api_key":")" + std::string(kTestProjectToken) + R"(","batch":[)" +
                      Event("a", "u1") + "," + Event("b", "u2") + "," + Event("c", "u1") +
                      R"(],"sent_at":"2026-01-01T00:00:00.000Z"})";
  auto response = server_.Post("/batch/", Gzip(batch), {{"Content-Encoding", "gzip"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(CountResults(WaitForEvents(server_, "distinct_id=u1", 2)), 2u);
  EXPECT_EQ(CountResults(WaitForEvents(server_, "distinct_id=u2", 1)), 1u);
}

TEST_F(CaptureApiTest, UnhintedGzipAsTextPlainLikePosthogJs) {
  std::string batch = R"({"api_key":")" + std::string(kTestProjectToken) + R"(","batch":[)" +
                      Event("$pageview", "browser-1") + R"(]})";
  auto response = server_.Post("/e/", Gzip(batch), {{"Content-Type", "text/plain"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(CountResults(WaitForEvents(server_, "distinct_id=browser-1", 1)), 1u);
}

TEST_F(CaptureApiTest, FormEncodedBase64AndGetData) {
  std::string event = R"([{"event":"form","properties":{"distinct_id":"f1","token":")" +
                      std::string(kTestProjectToken) + R"("}}])";
  auto form = server_.Post("/e/?compression=base64", "data=" + Base64(event),
                           {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(form.status, 200) << form.body;
  auto get = HttpRequest(server_.port(), "GET", "/e/?data=" + Base64(event));
  ASSERT_EQ(get.status, 200) << get.body;
  EXPECT_EQ(CountResults(WaitForEvents(server_, "distinct_id=f1", 2)), 2u);
}

TEST_F(CaptureApiTest, BeaconAnswers204) {
  std::string body = R"({"api_key":")" + std::string(kTestProjectToken) + R"(","batch":[)" +
                     Event("leave", "b1") + "]}";
  auto response = server_.Post("/e/?beacon=1", body);
  EXPECT_EQ(response.status, 204);
  EXPECT_TRUE(response.body.empty());
}

TEST_F(CaptureApiTest, UnknownTokenIs401AndNothingStored) {
  std::string body = R"({"api_key":"phc_nosuchproject","event":"x","distinct_id":"ghost"})";
  auto response = server_.Post("/capture/", body);
  EXPECT_EQ(response.status, 401);
  EXPECT_NE(response.body.find("phc_nosuchproject"), std::string::npos) << response.body;
}

TEST_F(CaptureApiTest, MalformedInputGetsActionable4xx) {
  auto bad_json = server_.Post("/batch/", "{not json");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_NE(bad_json.body.find("detail"), std::string::npos);
  std::string no_id = R"({"api_key":")" + std::string(kTestProjectToken) + R"(","event":"x"})";
  auto missing = server_.Post("/capture/", no_id);
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("distinct_id"), std::string::npos) << missing.body;
  auto empty = server_.Post("/batch/", "");
  EXPECT_EQ(empty.status, 400);
}

TEST_F(CaptureApiTest, OversizedBodyIs413) {
  std::string big(2'100'000, 'x');
  EXPECT_EQ(server_.Post("/e/", big).status, 413);
  // /batch accepts up to 20 MB; the same body is decoded (and refused as bad JSON) instead.
  EXPECT_EQ(server_.Post("/batch/", big).status, 400);
}

TEST_F(CaptureApiTest, CorsMirrorsOriginAndPreflightSucceeds) {
  auto preflight = HttpRequest(
      server_.port(), "OPTIONS", "/e/", {},
      {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Headers", "content-type"}});
  EXPECT_EQ(preflight.status, 200);
  EXPECT_EQ(preflight.Header("Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_EQ(preflight.Header("Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(preflight.Header("Access-Control-Allow-Headers"), "content-type");
  auto error = HttpRequest(server_.port(), "POST", "/e/", "{", {{"Origin", "https://x.test"}});
  EXPECT_EQ(error.Header("Access-Control-Allow-Origin"), "https://x.test");
}

TEST_F(CaptureApiTest, RemoteConfigForKnownTokenOnly) {
  auto config = server_.Get(std::string("/array/") + kTestProjectToken + "/config", false);
  ASSERT_EQ(config.status, 200);
  simdjson::dom::parser parser;
  auto doc = parser.parse(config.body);
  EXPECT_EQ(std::string_view(doc["token"]), kTestProjectToken);
  EXPECT_FALSE(bool(doc["sessionRecording"]));
  auto script = server_.Get(std::string("/array/") + kTestProjectToken + "/config.js", false);
  EXPECT_EQ(script.status, 200);
  EXPECT_NE(script.body.find("_POSTHOG_REMOTE_CONFIG"), std::string::npos);
  EXPECT_EQ(server_.Get("/array/phc_unknown/config", false).status, 404);
}

TEST_F(CaptureApiTest, ReplayIsAcceptedAndDiscarded) {
  EXPECT_EQ(server_.Post("/s/", "[]").status, 200);
}

TEST_F(CaptureApiTest, EventIsQueryableWithinOneSecond) {
  std::string body = R"({"api_key":")" + std::string(kTestProjectToken) +
                     R"(","event":"fast","distinct_id":"speedy"})";
  ASSERT_EQ(server_.Post("/capture/", body).status, 200);
  auto start = std::chrono::steady_clock::now();
  std::string events = WaitForEvents(server_, "distinct_id=speedy", 1, 1000);
  EXPECT_EQ(CountResults(events), 1u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
}

TEST_F(CaptureApiTest, SigtermExitsCleanly) { EXPECT_EQ(server_.Terminate(), 0); }

}  // namespace
}  // namespace hoglet::testing
