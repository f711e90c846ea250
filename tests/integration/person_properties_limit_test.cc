// Hostile person properties, sent with nothing but the project token: ~2 MB of $set is refused
// (by capture as one event, by person processing as several) with an ingestion warning instead
// of being copied onto every later event of the person, so the server stays up with bounded
// memory, and it restarts cleanly afterwards.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <string>

#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace hoglet::testing {
namespace {

// The server's resident memory must stay under this. ASan's shadow memory and its quarantine of
// freed blocks (256 MiB by default) add to it in a sanitizer build.
#if defined(__SANITIZE_ADDRESS__)
constexpr int64_t kMaxResidentMiB = 600;
#else
constexpr int64_t kMaxResidentMiB = 300;
#endif

// Resident set size of a process in MiB (VmRSS), -1 when unreadable.
int64_t ResidentMiB(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) / 1024;  // kB
  }
  return -1;
}

std::string Batch(const std::string& events) {
  return R"({"api_key":")" + std::string(kTestProjectToken) + R"(","batch":[)" + events + "]}";
}

TEST(PersonPropertiesLimit, OversizedSetIsRefusedAndTheServerStaysSmall) {
  TempDir dir;
  {
    TestServer server(dir.path());
    int64_t rss_start = ResidentMiB(server.pid());

    // Capture refuses one 2 MB event outright; the same 2 MB sent as three $set events that
    // capture accepts is refused by person processing instead.
    std::string huge(2'000'000, 'x');
    EXPECT_EQ(server
                  .Post("/batch/", Batch(R"({"event":"huge","distinct_id":"hog",)"
                                         R"("properties":{"$set":{"blob":")" +
                                         huge + R"("}}})"))
                  .status,
              413);
    std::string blob(700'000, 'x');
    for (const char* key : {"a", "b", "c"}) {
      ASSERT_EQ(server
                    .Post("/batch/", Batch(R"({"event":"huge","distinct_id":"hog",)"
                                           R"("properties":{"$set":{")" +
                                           std::string(key) + R"(":")" + blob + R"("}}})"))
                    .status,
                200);
    }
    for (int round = 0; round < 4; ++round) {
      std::string events;
      for (int i = 0; i < 50; ++i) {
        if (i > 0) events += ",";
        events += R"({"event":"tiny","distinct_id":"hog","properties":{"n":)" +
                  std::to_string(round * 50 + i) + "}}";
      }
      ASSERT_EQ(server.Post("/batch/", Batch(events)).status, 200);
    }
    std::string tiny = WaitForEvents(server, "event=tiny&limit=1000", 200, 30'000);
    EXPECT_EQ(CountResults(tiny), 200u);
    int64_t rss_after = ResidentMiB(server.pid());
    std::cout << "VmRSS: " << rss_start << " MiB at start, " << rss_after
              << " MiB after 2 MB of $set and 200 events\n";
    EXPECT_LT(rss_after, kMaxResidentMiB);

    // Every event is stored, the big ones too; none carries the refused properties.
    EXPECT_EQ(CountResults(WaitForEvents(server, "event=huge", 3)), 3u);
    EXPECT_EQ(tiny.find("xxxxxxxxxx"), std::string::npos);
    std::string person = server.Get("/api/projects/1/persons/?distinct_id=hog").body;
    EXPECT_EQ(person.find("xxxxxxxxxx"), std::string::npos);
    EXPECT_LT(person.size(), 10'000u);

    auto warnings = server.Get("/api/projects/1/ingestion_warnings/");
    ASSERT_EQ(warnings.status, 200);
    int64_t violations = 0;
    simdjson::dom::parser parser;
    for (auto summary : parser.parse(warnings.body)["results"].get_array()) {
      if (std::string_view(summary["type"]) == "person_properties_size_violation") {
        violations = int64_t(summary["count"]);
      }
    }
    EXPECT_EQ(violations, 3) << warnings.body;
    EXPECT_NE(warnings.body.find(R"("distinctId":"hog")"), std::string::npos) << warnings.body;

    EXPECT_EQ(server.Terminate(), 0);
  }
  TestServer restarted(dir.path());
  EXPECT_EQ(restarted.Get("/_health").status, 200);
  EXPECT_EQ(CountResults(WaitForEvents(restarted, "event=tiny&limit=1000", 200)), 200u);
  EXPECT_LT(ResidentMiB(restarted.pid()), kMaxResidentMiB);
}

}  // namespace
}  // namespace hoglet::testing
