// A full disk while a /batch spans several distinct ids (so several log partitions): the answer
// is 503 only when nothing of the request was stored, and a 200 means all of it was. The data
// directory is a small tmpfs filled to the brim while the server runs; mounting one needs root
// (CI runs as root), so elsewhere the test is skipped with a message saying so.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace hoglet::testing {
namespace {

class SmallDisk {
 public:
  explicit SmallDisk(const std::string& path) : path_(path) {
    mounted_ = mount("tmpfs", path.c_str(), "tmpfs", 0, "size=24m") == 0;
  }
  ~SmallDisk() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }

  uint64_t FreeBytes() const {
    struct statvfs s {};
    statvfs(path_.c_str(), &s);
    return static_cast<uint64_t>(s.f_bavail) * s.f_frsize;
  }

  // Fills the disk until `leave` bytes are free.
  void FillLeaving(uint64_t leave) {
    std::ofstream filler(path_ + "/filler", std::ios::binary | std::ios::app);
    std::string block(4096, 'f');
    while (FreeBytes() > leave + block.size()) filler.write(block.data(), block.size());
    filler.flush();
  }
  void Free() { unlink((path_ + "/filler").c_str()); }

 private:
  std::string path_;
  bool mounted_ = false;
};

struct Request {
  std::vector<std::string> uuids;
  int status = 0;
};

// A /batch of `count` events, each with its own uuid, over `distinct_ids` distinct ids.
Request SendBatch(const TestServer& server, const std::string& tag, int count, int distinct_ids) {
  Request request;
  std::string body = R"({"api_key":")" + std::string(kTestProjectToken) + R"(","batch":[)";
  for (int i = 0; i < count; ++i) {
    char uuid[37];
    snprintf(uuid, sizeof(uuid), "0190c0de-0000-7000-8000-%012llx",
             static_cast<unsigned long long>(std::hash<std::string>{}(tag) % 100000 * 1000 + i));
    request.uuids.push_back(uuid);
    if (i > 0) body += ",";
    body += R"({"event":"disk","uuid":")" + std::string(uuid) + R"(","distinct_id":"user-)" +
            std::to_string(i % distinct_ids) + R"(","properties":{"pad":")" +
            std::string(600, 'p') + R"("}})";
  }
  body += "]}";
  request.status = server.Post("/batch/", body).status;
  return request;
}

std::set<std::string> StoredUuids(const TestServer& server) {
  std::set<std::string> uuids;
  std::string target = "/api/projects/1/events/?event=disk&limit=1000";
  while (!target.empty()) {
    auto response = server.Get(target);
    if (response.status != 200) break;
    simdjson::dom::parser parser;
    auto doc = parser.parse(response.body);
    for (auto event : doc["results"].get_array()) {
      uuids.insert(std::string(std::string_view(event["uuid"])));
    }
    target = NextPageTarget(response.body);
  }
  return uuids;
}

TEST(DiskFull, A503MeansNothingOfTheRequestWasStoredAndA200AllOfIt) {
  TempDir dir;
  SmallDisk disk(dir.path());
  if (!disk.mounted()) GTEST_SKIP() << "mounting a small tmpfs needs root; not run";
  std::vector<Request> requests;
  {
    TestServer server(dir.Join("data"), {"--log-partitions", "8"});
    // One distinct id first: its partition reserves log space ahead; the others have none.
    requests.push_back(SendBatch(server, "warm", 5, 1));
    ASSERT_EQ(requests.back().status, 200);
    ASSERT_FALSE(WaitForEvents(server, "event=disk", 5).empty());

    disk.FillLeaving(16 * 1024);
    int refused = 0;
    for (int r = 0; r < 6; ++r) {
      requests.push_back(SendBatch(server, "full-" + std::to_string(r), 100, 20));
      refused += requests.back().status == 503;
      EXPECT_TRUE(requests.back().status == 200 || requests.back().status == 503)
          << requests.back().status;
    }
    EXPECT_GT(refused, 0) << "the disk never filled; the test proved nothing";
    // What fits in the warm partition's reserved space is still taken, whole.
    requests.push_back(SendBatch(server, "one-id", 3, 1));
    EXPECT_EQ(requests.back().status, 200);

    disk.Free();
    requests.push_back(SendBatch(server, "after", 100, 20));
    EXPECT_EQ(requests.back().status, 200);

    size_t expected = 0;
    for (const Request& request : requests) {
      if (request.status == 200) expected += request.uuids.size();
    }
    std::set<std::string> stored;
    for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
         std::chrono::steady_clock::now() < deadline;
         std::this_thread::sleep_for(std::chrono::milliseconds(200))) {
      stored = StoredUuids(server);
      if (stored.size() >= expected) break;
    }
    for (const Request& request : requests) {
      size_t found = 0;
      for (const std::string& uuid : request.uuids) found += stored.count(uuid);
      if (request.status == 200) {
        EXPECT_EQ(found, request.uuids.size()) << "acknowledged events are missing";
      } else {
        EXPECT_EQ(found, 0u) << "a request answered " << request.status << " stored " << found
                             << " of its " << request.uuids.size() << " events";
      }
    }
    EXPECT_EQ(server.Terminate(), 0);
  }
}

}  // namespace
}  // namespace hoglet::testing
