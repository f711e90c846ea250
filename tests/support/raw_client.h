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

// The status code of the first response in `raw` ("HTTP/1.1 431 ..." → 431); 0 when none.
int RawStatus(std::string_view raw);

}  // namespace hoglet::testing
