// The HTTP/1.1 server (Boost.Beast underneath; no Boost type leaks out of this header).
//
// Each connection reads a request with a deadline, checks the body size against the limit for
// its path before reading the body (413 without reading more), hands a `Request` to the handler
// and writes the response the handler delivers, possibly later and from another thread.
// Keep-alive is honoured. Handlers run on the I/O threads and must not block: work that may
// block goes to a worker pool, and answers through the Responder.
//
// Hostile input: a request that cannot be read is answered with the 4xx of http/read_error.h
// (400 malformed, 431 request line, headers, chunk lines or trailers over 64 KiB) and the
// connection closed; a handler that throws is answered 503 (out of memory) or 500; an exception
// a library throws inside the I/O loop closes that one connection. When accept fails (no free
// descriptors), the server backs off up to a second and logs once per 10 s with a count.
//
// Stop() is graceful: it stops accepting, lets requests already read finish (their responses
// are written), then closes every connection.
//
// Thread safety: Start and Stop from one thread; handlers may respond from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "http/message.h"

namespace hoglet::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8000;  // 0: any free port (see Server::port())
  int threads = 1;
  int64_t request_timeout_ms = 10'000;  // to read one request (header and body)
  // How long a kept-alive connection may wait for its next request before the server closes it.
  // Longer than clients keep idle connections (Node's 4 s, browsers' 60 s or less), so a client
  // never sends a request on a connection the server is closing at the same moment.
  int64_t keep_alive_timeout_ms = 75'000;
  // Largest body accepted for a path; larger → 413 before the body is read.
  std::function<size_t(std::string_view path)> max_body_bytes = [](std::string_view) {
    return size_t{1} << 20;
  };
};

class Server {
 public:
  // Binds and starts serving. kUnavailable when the address cannot be bound.
  static StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options, Handler handler);

  virtual ~Server() = default;

  // The bound port (useful with port 0).
  virtual uint16_t port() const = 0;

  // Stops accepting, waits up to `grace_ms` for in-flight requests to be answered, then closes
  // all connections and joins the I/O threads. Idempotent.
  virtual void Stop(int64_t grace_ms) = 0;
};

}  // namespace hoglet::http
