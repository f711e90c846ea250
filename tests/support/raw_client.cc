#include "tests/support/raw_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace hoglet::testing {

std::string RawExchange(uint16_t port, std::string_view bytes, int timeout_ms) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return {};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string received;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return {};
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  size_t sent = 0;
  char buffer[16 * 1024];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) break;
    pollfd p{fd, static_cast<short>(POLLIN | (sent < bytes.size() ? POLLOUT : 0)), 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) break;
    if (p.revents & POLLIN) {
      ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) break;  // closed (or reset) by the server
      received.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (p.revents & POLLOUT) {
      ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno != EAGAIN && errno != EINTR) {
        sent = bytes.size();  // the server stopped reading; collect what it answered
      } else if (n > 0) {
        sent += static_cast<size_t>(n);
      }
      if (sent == bytes.size()) shutdown(fd, SHUT_WR);
      continue;
    }
    if (p.revents & (POLLERR | POLLHUP)) break;
  }
  close(fd);
  return received;
}

int RawStatus(std::string_view raw) {
  constexpr std::string_view kPrefix = "HTTP/1.1 ";
  if (raw.substr(0, kPrefix.size()) != kPrefix || raw.size() < kPrefix.size() + 3) return 0;
  int status = 0;
  for (char c : raw.substr(kPrefix.size(), 3)) {
    if (c < '0' || c > '9') return 0;
    status = status * 10 + (c - '0');
  }
  return status;
}

}  // namespace hoglet::testing
