#include "http/read_error.h"

#include <boost/beast/http/error.hpp>
#include <string>

#include "base/status.h"
#include "http/error_response.h"

namespace hoglet::http {
namespace {

namespace bhttp = boost::beast::http;

Response BadRequest(std::string message) {
  return ErrorResponse(InvalidArgumentError(std::move(message), "malformed_http_request"));
}

Response HeadersTooLarge(std::string message) {
  Response response =
      ErrorResponse(PayloadTooLargeError(std::move(message), "request_header_fields_too_large"));
  response.status = 431;
  return response;
}

}  // namespace

std::optional<Response> ResponseForReadError(const boost::system::error_code& error,
                                             ReadStage stage, size_t max_header_bytes) {
  std::string limit = std::to_string(max_header_bytes / 1024) + " KiB";
  if (error == bhttp::error::header_limit ||
      (error == bhttp::error::buffer_overflow && stage == ReadStage::kHeader)) {
    return HeadersTooLarge("the request line and headers are larger than " + limit +
                           "; send long values (a long URL's query) in the body of a POST");
  }
  if (error == bhttp::error::buffer_overflow) {
    return HeadersTooLarge("a chunk header or the trailer of the chunked body is larger than " +
                           limit);
  }
  if (error == bhttp::error::bad_content_length) {
    return BadRequest(
        "Content-Length must be a single non-negative decimal number (repeated values must "
        "agree) and cannot be sent with Transfer-Encoding");
  }
  if (error == bhttp::error::bad_transfer_encoding) {
    return BadRequest("Transfer-Encoding must be 'chunked' alone, sent once");
  }
  if (error == bhttp::error::bad_chunk || error == bhttp::error::bad_chunk_extension) {
    return BadRequest("the chunked body is malformed: " + error.message() +
                      " (each chunk is a hexadecimal size line, the bytes, then CRLF)");
  }
  if (error == bhttp::error::bad_alloc) {
    return HeadersTooLarge("a header field is too large to read");
  }
  if (error.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
      error != bhttp::error::end_of_stream && error != bhttp::error::partial_message &&
      error != bhttp::error::short_read) {
    return BadRequest("the request is not valid HTTP/1.1: " + error.message());
  }
  return std::nullopt;
}

Response UnsupportedTransferEncoding(std::string_view coding) {
  return BadRequest("Transfer-Encoding '" + std::string(coding) +
                    "' is not supported: send the body plain or chunked, and say how it is "
                    "compressed with Content-Encoding (e.g. Content-Encoding: gzip)");
}

}  // namespace hoglet::http
