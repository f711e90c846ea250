#include "tests/support/raw_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>

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

RawConnection::RawConnection(uint16_t port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) close(fd_);
}

bool RawConnection::Send(std::string_view bytes) {
  while (fd_ >= 0 && !bytes.empty()) {
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return fd_ >= 0;
}

std::string RawConnection::ReadResponse(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buffer[16 * 1024];
  for (;;) {
    size_t end = pending_.find("\r\n\r\n");
    if (end != std::string::npos) {
      size_t length = 0;
      size_t field = pending_.find("Content-Length: ");
      if (field != std::string::npos && field < end) {
        length = std::stoul(pending_.substr(field + 16));
      }
      if (pending_.size() >= end + 4 + length) {
        std::string response = pending_.substr(0, end + 4 + length);
        pending_.erase(0, end + 4 + length);
        return response;
      }
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (fd_ < 0 || left <= 0) return {};
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) return {};
    ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) return {};
    pending_.append(buffer, static_cast<size_t>(n));
  }
}

bool RawConnection::ClosedWithin(int timeout_ms) {
  if (fd_ < 0) return true;
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return false;
  char byte;
  return recv(fd_, &byte, 1, MSG_PEEK) <= 0;
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
