// Nothing acknowledged is lost: kill -9 under concurrent load, restart, and every event that got
// a 200 is listed exactly once.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace hoglet::testing {
namespace {

// Every stored event's properties.seq, counted; pages through the whole list.
std::map<int64_t, int> CountSeqs(const TestServer& server) {
  std::map<int64_t, int> counts;
  std::string target = "/api/projects/1/events/?limit=10000";
  while (!target.empty()) {
    auto response = server.Get(target);
    if (response.status != 200) break;
    simdjson::dom::parser parser;
    auto doc = parser.parse(response.body);
    for (auto event : doc["results"].get_array()) counts[int64_t(event["properties"]["seq"])]++;
    target = NextPageTarget(response.body);
  }
  return counts;
}

TEST(Durability, KillDuringLoadLosesNothingAcknowledged) {
  TempDir dir;
  std::mutex mu;
  std::vector<int64_t> acknowledged;
  {
    TestServer server(dir.path());
    std::atomic<bool> stop{false};
    std::atomic<int64_t> next_seq{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
      clients.emplace_back([&, c] {
        while (!stop.load()) {
          std::vector<int64_t> seqs;
          std::string batch = R"({"api_key":")" + std::string(kTestProjectToken) + R"(","batch":[)";
          for (int i = 0; i < 20; ++i) {
            int64_t seq = next_seq.fetch_add(1);
            seqs.push_back(seq);
            if (i > 0) batch += ",";
            batch += R"({"event":"load","distinct_id":"client-)" + std::to_string(c) + "-" +
                     std::to_string(i % 3) + R"(","properties":{"seq":)" + std::to_string(seq) +
                     "}}";
          }
          batch += "]}";
          auto response = server.Post("/batch/", batch);
          if (response.status == 200) {
            std::lock_guard lock(mu);
            acknowledged.insert(acknowledged.end(), seqs.begin(), seqs.end());
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    server.Kill();
    stop.store(true);
    for (auto& t : clients) t.join();
  }
  ASSERT_GT(acknowledged.size(), 100u);

  TestServer restarted(dir.path());
  std::map<int64_t, int> counts;
  for (int attempt = 0; attempt < 100; ++attempt) {
    counts = CountSeqs(restarted);
    size_t present = 0;
    for (int64_t seq : acknowledged) present += counts.count(seq);
    if (present == acknowledged.size()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (int64_t seq : acknowledged) EXPECT_EQ(counts[seq], 1) << "seq " << seq;
  for (const auto& [seq, n] : counts) EXPECT_EQ(n, 1) << "seq " << seq << " stored " << n;
}

// Identify merges under load, then kill -9: after restart every acknowledged identify has left
// exactly one person holding both ids, and nothing half-merged.
TEST(Durability, KillDuringMergesLeavesWholePersons) {
  TempDir dir;
  std::mutex mu;
  std::vector<int> acknowledged;
  {
    TestServer server(dir.path());
    std::atomic<bool> stop{false};
    std::atomic<int> next{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < 3; ++c) {
      clients.emplace_back([&] {
        while (!stop.load()) {
          int i = next.fetch_add(1);
          std::string anon = "anon-" + std::to_string(i), user = "user-" + std::to_string(i);
          std::string batch = R"({"api_key":")" + std::string(kTestProjectToken) +
                              R"(","batch":[{"event":"browse","distinct_id":")" + anon +
                              R"("},{"event":"$identify","distinct_id":")" + user +
                              R"(","properties":{"$anon_distinct_id":")" + anon +
                              R"(","$set":{"n":)" + std::to_string(i) + "}}}]}";
          if (server.Post("/batch/", batch).status == 200) {
            std::lock_guard lock(mu);
            acknowledged.push_back(i);
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    server.Kill();
    stop.store(true);
    for (auto& t : clients) t.join();
  }
  ASSERT_GT(acknowledged.size(), 20u);

  TestServer restarted(dir.path());
  simdjson::dom::parser parser;
  for (size_t k = 0; k < acknowledged.size(); k += std::max<size_t>(1, acknowledged.size() / 40)) {
    int i = acknowledged[k];
    std::string user = "user-" + std::to_string(i), anon = "anon-" + std::to_string(i);
    std::string body;
    for (int attempt = 0; attempt < 200; ++attempt) {
      body = restarted.Get("/api/projects/1/persons/?distinct_id=" + anon).body;
      if (body.find(user) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    auto results = parser.parse(body)["results"].get_array();
    ASSERT_EQ(results.size(), 1u) << body;
    std::vector<std::string> ids;
    for (auto id : results.at(0)["distinct_ids"].get_array()) {
      ids.emplace_back(std::string_view(id));
    }
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, (std::vector<std::string>{anon, user})) << body;
    EXPECT_EQ(int64_t(results.at(0)["properties"]["n"]), i);
    std::string by_user = restarted.Get("/api/projects/1/persons/?distinct_id=" + user).body;
    EXPECT_EQ(CountResults(by_user), 1u) << by_user;
  }
}

TEST(Durability, RestartKeepsEventsAndKeys) {
  TempDir dir;
  {
    TestServer server(dir.path());
    std::string body = R"({"api_key":")" + std::string(kTestProjectToken) +
                       R"(","event":"before restart","distinct_id":"r1","properties":{"seq":1}})";
    ASSERT_EQ(server.Post("/capture/", body).status, 200);
    ASSERT_EQ(CountResults(WaitForEvents(server, "distinct_id=r1", 1)), 1u);
    EXPECT_EQ(server.Terminate(), 0);
  }
  TestServer server(dir.path());
  EXPECT_EQ(CountResults(WaitForEvents(server, "distinct_id=r1", 1)), 1u);
}

}  // namespace
}  // namespace hoglet::testing
