// A blocking HTTP/1.1 client for tests: one request per connection to 127.0.0.1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hoglet::testing {

struct HttpResponse {
  int status = 0;  // 0 when the connection failed
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string Header(std::string_view name) const;
};

HttpResponse HttpRequest(uint16_t port, std::string_view method, std::string_view target,
                         std::string_view body = {},
                         const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace hoglet::testing
