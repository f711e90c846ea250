// What the server answers when a request cannot be read: the 4xx each protocol error calls for,
// or nothing when the client simply went away.
//
//   400  malformed request line, header, Content-Length (negative, non-numeric, duplicates that
//        disagree) or chunked framing; a Transfer-Encoding other than `chunked`
//   431  request line and headers (or a chunk header or trailer) larger than the header limit
//
// Internal to http/: the session in server.cc calls it; nothing else sees Boost types.
#pragma once

#include <boost/system/error_code.hpp>
#include <cstddef>
#include <optional>
#include <string_view>

#include "http/message.h"

namespace hoglet::http {

enum class ReadStage { kHeader, kBody };

// The response for a failed read, or nullopt when the connection should just be closed (end of
// stream, reset, timeout: nobody is there to read an answer, or the client is too slow).
std::optional<Response> ResponseForReadError(const boost::system::error_code& error,
                                             ReadStage stage, size_t max_header_bytes);

// 400 for a request whose Transfer-Encoding is not just `chunked` (e.g. "gzip, chunked"): its
// body would otherwise be read as if it were not encoded.
Response UnsupportedTransferEncoding(std::string_view coding);

}  // namespace hoglet::http
