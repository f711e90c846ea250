// What one client can make the server hold, over real HTTP: a /batch of 10,000 events with 100
// unique property keys each records a bounded number of definitions (and says so once), keeps
// every event, and leaves meta.sqlite small; an oversized event is refused with 413; a cut
// distinct_id or event name is reported.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace hoglet::testing {
namespace {

using std::string;

string Gzip(const string& text) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  string out(deflateBound(&zs, text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// Every event of project 1, counted over all pages of the events list.
size_t CountAllEvents(const TestServer& server) {
  size_t total = 0;
  string target = "/api/projects/1/events/?limit=10000";
  while (!target.empty()) {
    HttpResponse page = server.Get(target);
    if (page.status != 200) return total;
    total += CountResults(page.body);
    target = NextPageTarget(page.body);
  }
  return total;
}

// Counting reads every event, so it is polled once a second only.
size_t WaitForAllEvents(const TestServer& server, size_t count, int timeout_s) {
  size_t seen = 0;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
       std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(std::chrono::seconds(1))) {
    seen = CountAllEvents(server);
    if (seen >= count) break;
  }
  return seen;
}

// The warnings of one type: {count, details of the newest}.
struct Warnings {
  int64_t count = 0;
  string newest_details;
};

Warnings WarningsOfType(const TestServer& server, std::string_view type) {
  HttpResponse response = server.Get("/api/projects/1/ingestion_warnings/");
  EXPECT_EQ(response.status, 200) << response.body;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(response.body).get(root) != simdjson::SUCCESS) return {};
  for (simdjson::dom::element summary : root["results"].get_array()) {
    if (std::string_view(summary["type"]) != type) continue;
    Warnings out;
    out.count = int64_t(summary["count"]);
    out.newest_details = simdjson::minify(summary["warnings"].at(0)["details"]);
    return out;
  }
  return {};
}

int64_t PropertyDefinitionCount(const TestServer& server) {
  HttpResponse response = server.Get("/api/projects/1/property_definitions/?limit=1");
  EXPECT_EQ(response.status, 200) << response.body;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(response.body).get(root) != simdjson::SUCCESS) return -1;
  return int64_t(root["count"]);
}

uintmax_t FileSize(const std::filesystem::path& path) {
  std::error_code error;
  uintmax_t size = std::filesystem::file_size(path, error);
  return error ? 0 : size;
}

TEST(HostileInput, ABatchOfAMillionUniqueKeysRecordsBoundedDefinitions) {
  TempDir dir;
  TestServer server(dir.path());
  // 10,000 events × 100 keys, every key unique: the issue's 15 MB /batch.
  constexpr int kEvents = 10'000;
  constexpr int kKeys = 100;
  string batch = R"({"api_key":")" + string(kTestProjectToken) + R"(","batch":[)";
  for (int i = 0; i < kEvents; ++i) {
    if (i > 0) batch += ',';
    batch += R"({"event":"wide","distinct_id":"u)" + std::to_string(i % 64) + R"(","properties":{)";
    for (int k = 0; k < kKeys; ++k) {
      if (k > 0) batch += ',';
      batch += "\"key" + std::to_string(i) + "_" + std::to_string(k) + "\":" + std::to_string(k);
    }
    batch += "}}";
  }
  batch += "]}";
  ASSERT_GT(batch.size(), 15'000'000u);

  auto start = std::chrono::steady_clock::now();
  HttpResponse response = server.Post("/batch/", Gzip(batch), {{"Content-Encoding", "gzip"}});
  ASSERT_EQ(response.status, 200) << response.body;
  ASSERT_EQ(WaitForAllEvents(server, kEvents, 120), size_t{kEvents});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // Definitions: the cap (default 10,000 per project) holds, and the events keep every key.
  int64_t definitions = PropertyDefinitionCount(server);
  EXPECT_GT(definitions, 0);
  EXPECT_LE(definitions, 10'000);
  HttpResponse one = server.Get("/api/projects/1/events/?limit=1");
  simdjson::dom::parser parser;
  simdjson::dom::element newest = parser.parse(one.body)["results"].at(0);
  EXPECT_EQ(simdjson::dom::object(newest["properties"]).size(), size_t{kKeys} + 1);  // + $ip

  // One warning says what was left out.
  Warnings skipped = WarningsOfType(server, "definitions_skipped");
  EXPECT_EQ(skipped.count, 1);
  EXPECT_NE(skipped.newest_details.find("\"skippedPropertyKeys\":"), string::npos)
      << skipped.newest_details;

  // meta.sqlite stays small (it was 150 MB, with a 151 MB WAL, before the caps).
  uintmax_t meta_bytes = FileSize(dir.Join("meta.sqlite")) + FileSize(dir.Join("meta.sqlite-wal"));
  EXPECT_LT(meta_bytes, 8u << 20);
  std::printf(
      "10,000 events x 100 unique keys: stored and listable in %.1f s, %lld property "
      "definitions, meta.sqlite + WAL %.1f MB\n",
      seconds, static_cast<long long>(definitions), meta_bytes / 1e6);
}

TEST(HostileInput, OversizedEventsAreRefusedAndCutFieldsAreReported) {
  TempDir dir;
  TestServer server(dir.path());
  const string token = kTestProjectToken;

  // One event of 1.2 MB in a batch: the whole request is refused, as PostHog's capture does.
  string big = R"({"api_key":")" + token +
               R"(","batch":[{"event":"ok","distinct_id":"a"},{"event":"big","distinct_id":"a",)"
               R"("properties":{"blob":")" +
               string(1'200'000, 'b') + R"("}}]})";
  HttpResponse refused = server.Post("/batch/", big);
  EXPECT_EQ(refused.status, 413) << refused.body;
  EXPECT_NE(refused.body.find("payload_too_large"), string::npos) << refused.body;
  EXPECT_NE(refused.body.find("for one event"), string::npos) << refused.body;

  // A 10,000-character distinct_id and a 5,000-character event name are cut to 200, with a
  // warning each that says how long they were.
  string long_id(10'000, 'i');
  string long_name(5'000, 'n');
  string cut = R"({"api_key":")" + token + R"(","batch":[{"event":"cut id","distinct_id":")" +
               long_id + R"("},{"event":")" + long_name + R"(","distinct_id":"short"}]})";
  HttpResponse accepted = server.Post("/batch/", cut);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  ASSERT_EQ(CountResults(WaitForEvents(server, "limit=10", 2)), 2u);
  string stored = server.Get("/api/projects/1/events/?distinct_id=" + string(200, 'i')).body;
  EXPECT_EQ(CountResults(stored), 1u) << stored;

  Warnings id_warnings = WarningsOfType(server, "distinct_id_truncated");
  EXPECT_EQ(id_warnings.count, 1);
  EXPECT_NE(id_warnings.newest_details.find("\"distinctIdLength\":10000"), string::npos)
      << id_warnings.newest_details;
  Warnings name_warnings = WarningsOfType(server, "event_name_truncated");
  EXPECT_EQ(name_warnings.count, 1);
  EXPECT_NE(name_warnings.newest_details.find("\"eventNameLength\":5000"), string::npos)
      << name_warnings.newest_details;
}

}  // namespace
}  // namespace hoglet::testing
