// Raw bytes over one loopback TCP connection, for tests of malformed or hostile HTTP that a real
// client library would refuse to send.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hoglet::testing {

// Connects to 127.0.0.1:port, sends `bytes` (as far as the server reads them), and returns what
// the server sent back until it closed the connection or `timeout_ms` passed. Empty when the
// connection failed or nothing came back.
std::string RawExchange(uint16_t port, std::string_view bytes, int timeout_ms = 5'000);

// One loopback connection kept open across requests, for tests of keep-alive.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Sends `bytes`; false when the connection is gone.
  bool Send(std::string_view bytes);
  // One response (its header and a Content-Length body); empty when the server closed the
  // connection or `timeout_ms` passed first.
  std::string ReadResponse(int timeout_ms = 5'000);
  // Whether the server closes the connection within `timeout_ms`.
  bool ClosedWithin(int timeout_ms);

 private:
  int fd_ = -1;
  std::string pending_;  // bytes received past the last response
};

// The status code of the first response in `raw` ("HTTP/1.1 431 ..." → 431); 0 when none.
int RawStatus(std::string_view raw);

}  // namespace hoglet::testing
