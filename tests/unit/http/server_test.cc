#include "http/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/http_client.h"
#include "tests/support/raw_client.h"

namespace hoglet::http {
namespace {

using testing::HttpRequest;
using testing::RawConnection;
using testing::RawExchange;
using testing::RawStatus;

// A server whose handler echoes the body size, throws on /throw and /oom.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(); }

  void StartServer() {
    ServerOptions options;
    options.port = 0;
    options.request_timeout_ms = 2'000;
    auto server = Server::Start(options, [](Request&& request, Responder respond) {
      if (request.path == "/throw") throw std::runtime_error("boom");
      if (request.path == "/oom") throw std::bad_alloc();
      respond(Response::Json(200, "{\"bytes\":" + std::to_string(request.body.size()) + "}"));
    });
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }

  bool StillServes() { return HttpRequest(server_->port(), "GET", "/ok").status == 200; }

  std::unique_ptr<Server> server_;
};

constexpr std::string_view kKeptAliveGet = "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n";

TEST_F(ServerTest, AKeptAliveConnectionIdleLongerThanTheRequestTimeoutServesItsNextRequest) {
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.Send(kKeptAliveGet));
  EXPECT_EQ(RawStatus(connection.ReadResponse()), 200);
  // Idle past the 2 s allowed to read a request, within the keep-alive time.
  std::this_thread::sleep_for(std::chrono::milliseconds(2'500));
  ASSERT_TRUE(connection.Send(kKeptAliveGet));
  EXPECT_EQ(RawStatus(connection.ReadResponse()), 200);
}

TEST_F(ServerTest, AKeptAliveConnectionIsClosedAfterTheKeepAliveTime) {
  ServerOptions options;
  options.port = 0;
  options.keep_alive_timeout_ms = 200;
  auto server = Server::Start(
      options, [](Request&&, Responder respond) { respond(Response::Json(200, "{}")); });
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  RawConnection connection((*server)->port());
  ASSERT_TRUE(connection.Send(kKeptAliveGet));
  EXPECT_EQ(RawStatus(connection.ReadResponse()), 200);
  EXPECT_TRUE(connection.ClosedWithin(3'000));
}

TEST_F(ServerTest, ARequestStartedAfterIdlingMustStillArriveWithinTheRequestTimeout) {
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.Send(kKeptAliveGet));
  EXPECT_EQ(RawStatus(connection.ReadResponse()), 200);
  // The first bytes of a request, then nothing: closed after the 2 s request time, not the
  // keep-alive time.
  ASSERT_TRUE(connection.Send("GET /ok HTTP/1.1\r\n"));
  EXPECT_TRUE(connection.ClosedWithin(5'000));
}

TEST_F(ServerTest, TrailerFieldOverSixtyFourKibIs431AndTheServerStaysUp) {
  std::string request =
      "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: " +
      std::string(70'000, 'a') + "\r\n\r\n";
  std::string raw = RawExchange(server_->port(), request);
  EXPECT_EQ(RawStatus(raw), 431) << raw.substr(0, 200);
  EXPECT_TRUE(StillServes());
}

TEST_F(ServerTest, TrailerJustUnderTheFieldLimitIsRefusedNotThrown) {
  for (size_t size : {60'000, 65'500, 65'533, 65'534, 65'600}) {
    std::string request =
        "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX: " +
        std::string(size, 'a') + "\r\n\r\n";
    int status = RawStatus(RawExchange(server_->port(), request));
    EXPECT_TRUE(status == 200 || status == 431) << size << ": " << status;
  }
  EXPECT_TRUE(StillServes());
}

TEST_F(ServerTest, SmallTrailerIsAccepted) {
  std::string request =
      "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n"
      "X-Checksum: 1\r\n\r\n";
  std::string raw = RawExchange(server_->port(), request);
  EXPECT_EQ(RawStatus(raw), 200);
  EXPECT_NE(raw.find("{\"bytes\":3}"), std::string::npos) << raw;
}

TEST_F(ServerTest, NegativeContentLengthIs400) {
  std::string raw =
      RawExchange(server_->port(), "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n");
  EXPECT_EQ(RawStatus(raw), 400);
  EXPECT_NE(raw.find("Content-Length"), std::string::npos) << raw;
}

TEST_F(ServerTest, DisagreeingDuplicateContentLengthIs400) {
  std::string raw = RawExchange(
      server_->port(),
      "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd");
  EXPECT_EQ(RawStatus(raw), 400);
}

TEST_F(ServerTest, ContentLengthWithChunkedIs400) {
  std::string raw = RawExchange(server_->port(),
                                "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(RawStatus(raw), 400);
}

TEST_F(ServerTest, BadChunkSizeIs400) {
  std::string raw = RawExchange(server_->port(),
                                "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                "zz\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(RawStatus(raw), 400);
  EXPECT_NE(raw.find("chunk"), std::string::npos) << raw;
}

TEST_F(ServerTest, ChunkSizeLineOverTheLimitIs431) {
  std::string raw = RawExchange(server_->port(),
                                "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                "3;ext=" +
                                    std::string(70'000, 'e') + "\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(RawStatus(raw), 431);
}

TEST_F(ServerTest, UrlOverSixtyFourKibIs431) {
  std::string raw = RawExchange(
      server_->port(), "GET /x?q=" + std::string(70'000, 'q') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(RawStatus(raw), 431);
  EXPECT_TRUE(StillServes());
}

TEST_F(ServerTest, HeaderOverSixtyFourKibIs431) {
  std::string raw =
      RawExchange(server_->port(),
                  "GET /x HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(70'000, 'h') + "\r\n\r\n");
  EXPECT_EQ(RawStatus(raw), 431);
}

TEST_F(ServerTest, TransferEncodingOtherThanChunkedIs400) {
  std::string raw = RawExchange(server_->port(),
                                "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked"
                                "\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(RawStatus(raw), 400);
  EXPECT_NE(raw.find("Content-Encoding"), std::string::npos) << raw;
}

TEST_F(ServerTest, GarbageRequestLineIs400) {
  EXPECT_EQ(RawStatus(RawExchange(server_->port(), "\x01\x02\x03 nonsense\r\n\r\n")), 400);
  EXPECT_EQ(RawStatus(RawExchange(server_->port(), "GET /x HTTP/9.9\r\nHost: x\r\n\r\n")), 400);
  EXPECT_TRUE(StillServes());
}

TEST_F(ServerTest, ClientThatLeavesMidBodyGetsNoAnswerAndTheServerStaysUp) {
  std::string raw =
      RawExchange(server_->port(), "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
  EXPECT_EQ(raw, "");
  EXPECT_TRUE(StillServes());
}

TEST_F(ServerTest, HandlerThatThrowsIsAnswered500AndTheServerStaysUp) {
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/throw").status, 500);
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/oom").status, 503);
  EXPECT_TRUE(StillServes());
}

// With every descriptor in use, accept fails; the server must back off instead of retrying at
// once (which pinned a core and wrote a log line per try), and accept again once they are free.
TEST_F(ServerTest, AcceptBacksOffAtTheDescriptorLimit) {
  int ready[2];
  int release[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(release), 0);
  uint16_t port = server_->port();
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Many connections the server will try to accept; held open until the parent says so.
    std::vector<int> fds;
    for (int i = 0; i < 200; ++i) {
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(port);
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
        fds.push_back(fd);
      }
    }
    char c = 1;
    (void)!write(ready[1], &c, 1);
    (void)!read(release[0], &c, 1);
    _exit(0);
  }
  rlimit original{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &original), 0);
  int open_now = 0;
  for (int fd = 0; fd < 1024; ++fd) open_now += fcntl(fd, F_GETFD) != -1;
  rlimit low = original;
  low.rlim_cur = static_cast<rlim_t>(open_now + 16);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);

  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  std::this_thread::sleep_for(std::chrono::milliseconds(1'500));
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  auto cpu_us = [](const rusage& r) {
    return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1'000'000LL + r.ru_utime.tv_usec +
           r.ru_stime.tv_usec;
  };
  int64_t used_us = cpu_us(after) - cpu_us(before);

  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &original), 0);
  (void)!write(release[1], &c, 1);
  int status = 0;
  waitpid(child, &status, 0);
  for (int fd : {ready[0], ready[1], release[0], release[1]}) close(fd);

  EXPECT_LT(used_us, 300'000) << "the server spun at the descriptor limit";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  bool served = false;
  while (!served && std::chrono::steady_clock::now() < deadline) served = StillServes();
  EXPECT_TRUE(served) << "the server did not accept again once descriptors were free";
}

}  // namespace
}  // namespace hoglet::http
