// Runs the real `hoglet` binary for an integration test: `hoglet serve` on 127.0.0.1, port 0,
// with a data directory the test owns, fixed project token and personal API key.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/http_client.h"

namespace hoglet::testing {

inline constexpr char kTestProjectToken[] = "phc_testprojecttoken0000000000000000000001";
inline constexpr char kTestPersonalApiKey[] = "phx_testpersonalapikey00000000000000000001";

class TestServer {
 public:
  // Starts the server on `data_dir` (created if missing); waits until it listens.
  explicit TestServer(std::string data_dir, std::vector<std::string> extra_args = {});
  ~TestServer();  // SIGKILL if still running

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  const std::string& output() const { return output_; }

  // SIGTERM and wait; returns the exit status (or -1 when it had to be killed after 30 s).
  int Terminate();
  // SIGKILL and reap: a crash.
  void Kill();

  HttpResponse Get(const std::string& target, bool authorized = true) const;
  HttpResponse Post(const std::string& target, const std::string& body,
                    std::vector<std::pair<std::string, std::string>> headers = {}) const;

 private:
  void ReadUntilListening();

  std::string data_dir_;
  pid_t pid_ = -1;
  int output_fd_ = -1;
  uint16_t port_ = 0;
  std::string output_;
};

// Polls `GET /api/projects/1/events/?<query>` until it returns `count` events or `timeout_ms`
// passes; returns the last body seen.
std::string WaitForEvents(const TestServer& server, const std::string& query, size_t count,
                          int timeout_ms = 10'000);

// The path and query of an events-list body's `next` URL; empty on the last page.
std::string NextPageTarget(const std::string& body);

// The number of results in an events-list body.
size_t CountResults(const std::string& body);

}  // namespace hoglet::testing
