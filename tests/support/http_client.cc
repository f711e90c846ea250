#include "tests/support/http_client.h"

#include <strings.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace hoglet::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return {};
}

HttpResponse HttpRequest(uint16_t port, std::string_view method, std::string_view target,
                         std::string_view body,
                         const std::vector<std::pair<std::string, std::string>>& headers) {
  HttpResponse out;
  try {
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(60));
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    bhttp::request<bhttp::string_body> request(
        bhttp::string_to_verb(beast::string_view(method.data(), method.size())),
        std::string(target), 11);
    request.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
    for (const auto& [key, value] : headers) request.set(key, value);
    request.body() = std::string(body);
    request.prepare_payload();
    bhttp::write(stream, request);
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(1 << 30);
    if (method == "HEAD") parser.skip(true);
    bhttp::read(stream, buffer, parser);
    auto& response = parser.get();
    out.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    out.body = response.body();
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  } catch (const std::exception&) {
    out.status = 0;
  }
  return out;
}

}  // namespace hoglet::testing
