#include "http/server.h"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <limits>
#include <optional>
#include <thread>
#include <vector>

#include "base/logging.h"
#include "http/error_response.h"
#include "http/read_error.h"

namespace hoglet::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// Counts requests that have been read but not yet answered, for graceful stop.
struct InFlight {
  std::atomic<int64_t> count{0};
  std::atomic<bool> stopping{false};
};

class Session final : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const ServerOptions& options, const Handler& handler,
          InFlight& in_flight)
      : stream_(std::move(socket)), options_(options), handler_(handler), in_flight_(in_flight) {}

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
  }

 private:
  void ReadHeader() {
    if (in_flight_.stopping.load()) return Close();
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    // The body limit depends on the path, known only once the header is in: it is set in
    // OnHeader. Until then the parser must not judge Content-Length by its default 1 MB.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(std::chrono::milliseconds(options_.request_timeout_ms));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  // Between two requests of a kept-alive connection: waits up to the keep-alive time for the next
  // request's first bytes, then reads the request within the request time.
  void AwaitNextRequest() {
    if (in_flight_.stopping.load()) return Close();
    if (buffer_.size() > 0) return ReadHeader();  // pipelined: its bytes are already here
    stream_.expires_after(std::chrono::milliseconds(options_.keep_alive_timeout_ms));
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                            [self = shared_from_this()](beast::error_code ec, size_t bytes) {
                              if (ec) return self->Close();
                              self->buffer_.commit(bytes);
                              self->ReadHeader();
                            });
  }

  void OnHeader(beast::error_code ec, size_t) {
    if (ec) return Refuse(ec, ReadStage::kHeader);
    auto& header = parser_->get();
    if (auto coding = header[bhttp::field::transfer_encoding];
        !coding.empty() && !beast::iequals(coding, "chunked")) {
      return Refuse(UnsupportedTransferEncoding(std::string_view(coding.data(), coding.size())));
    }
    size_t limit = options_.max_body_bytes(PathOf(header.target()));
    if (auto length = parser_->content_length(); length && *length > limit) {
      return Refuse(TooLarge(limit));
    }
    parser_->body_limit(limit);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, size_t) {
    if (ec == bhttp::error::body_limit) {
      return Refuse(TooLarge(options_.max_body_bytes(PathOf(parser_->get().target()))));
    }
    if (ec) return Refuse(ec, ReadStage::kBody);
    auto message = parser_->release();
    keep_alive_ = message.keep_alive();
    stream_.expires_never();

    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    size_t q = request.target.find('?');
    request.path = PercentDecode(std::string_view(request.target).substr(0, q), false);
    if (q != std::string::npos) request.query = request.target.substr(q + 1);
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());
    beast::error_code ignored;
    auto endpoint = stream_.socket().remote_endpoint(ignored);
    if (!ignored) request.peer_ip = endpoint.address().to_string();
    head_request_ = request.method == "HEAD";

    in_flight_.count.fetch_add(1);
    auto self = shared_from_this();
    auto answered = std::make_shared<std::atomic<bool>>(false);
    Responder respond = [self, answered](Response response) {
      if (answered->exchange(true)) return;  // once, even for a handler that threw after it
      asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->Write(std::move(response));
        self->in_flight_.count.fetch_sub(1);
      });
    };
    // Handlers return errors as responses; an exception out of one is an allocation that failed
    // or a bug. Either way the request gets an answer and the server goes on.
    try {
      handler_(std::move(request), respond);
    } catch (const std::bad_alloc&) {
      LogError("http: a handler ran out of memory; answering 503");
      respond(ErrorResponse(UnavailableError("the server is short of memory; retry later")));
    } catch (const std::exception& error) {
      LogError(std::string("http: a handler threw: ") + error.what());
      respond(ErrorResponse(InternalError("the request failed inside the server")));
    }
  }

  // Answers a request that could not be read with the 4xx its error calls for, then closes; a
  // connection that simply ended or timed out is closed without an answer.
  void Refuse(beast::error_code ec, ReadStage stage) {
    std::optional<Response> response = ResponseForReadError(ec, stage, kMaxHeaderBytes);
    if (!response) return Close();
    Refuse(std::move(*response));
  }

  // Answers, then reads and discards what the client still sends, and closes.
  void Refuse(Response response) {
    keep_alive_ = false;
    drain_after_write_ = true;
    Write(std::move(response));
  }

  static std::string_view PathOf(beast::string_view target) {
    std::string_view view(target.data(), target.size());
    return view.substr(0, view.find('?'));
  }

  Response TooLarge(size_t limit) {
    return ErrorResponse(
        PayloadTooLargeError("request body is larger than the " + std::to_string(limit) +
                                 " bytes this endpoint accepts; send fewer events per request",
                             "payload_too_large"));
  }

  void Write(Response response) {
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
    message->version(11);
    message->result(static_cast<unsigned>(response.status));
    message->set(bhttp::field::server, "hoglet");
    if (response.status != 204) message->set(bhttp::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) message->insert(name, value);
    bool keep_alive = keep_alive_ && !in_flight_.stopping.load();
    message->keep_alive(keep_alive);
    if (response.status != 204) {
      message->body() = std::move(response.body);
      message->prepare_payload();
      if (head_request_) message->body().clear();
    }
    stream_.expires_after(std::chrono::milliseconds(options_.request_timeout_ms));
    bhttp::async_write(
        stream_, *message,
        [self = shared_from_this(), message, keep_alive](beast::error_code ec, size_t) {
          if (!ec && self->drain_after_write_) return self->Drain();
          if (ec || !keep_alive) return self->Close();
          self->AwaitNextRequest();
        });
  }

  // After refusing a body, reads and discards what the client is still sending (bounded in time
  // and bytes) so it sees the response instead of a connection reset mid-upload.
  void Drain() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::milliseconds(options_.request_timeout_ms));
    DrainMore();
  }

  void DrainMore() {
    drain_buffer_.resize(64 * 1024);
    stream_.async_read_some(asio::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, size_t bytes) {
                              self->drained_bytes_ += bytes;
                              if (ec || self->drained_bytes_ > kMaxDrainBytes) return self->Close();
                              self->DrainMore();
                            });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  // Bounded at the header limit: chunk-size lines and trailers (which Beast's header limit does
  // not cover) then fail the read with buffer_overflow, a 431, instead of growing the buffer or
  // reaching Beast's 64 KiB field limit, which throws.
  beast::flat_buffer buffer_{kMaxHeaderBytes};
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  const ServerOptions& options_;
  const Handler& handler_;
  InFlight& in_flight_;
  bool keep_alive_ = false;
  bool head_request_ = false;
  bool drain_after_write_ = false;
  std::vector<char> drain_buffer_;
  size_t drained_bytes_ = 0;
  static constexpr size_t kMaxDrainBytes = 64 << 20;
  static constexpr uint32_t kMaxHeaderBytes = 64 * 1024;
  static constexpr size_t kFirstReadBytes = 4096;
};

class BeastServer final : public Server {
 public:
  BeastServer(const ServerOptions& options, Handler handler)
      : options_(options),
        handler_(std::move(handler)),
        ioc_(options.threads),
        acceptor_(asio::make_strand(ioc_)) {}

  ~BeastServer() override { Stop(0); }

  Status Listen() {
    beast::error_code ec;
    auto address = asio::ip::make_address(options_.host, ec);
    if (ec) return InvalidArgumentError("cannot parse listen address '" + options_.host + "'");
    tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return UnavailableError("cannot listen on " + options_.host + ":" +
                              std::to_string(options_.port) + ": " + ec.message() +
                              " (is another server using the port?)");
    }
    port_ = acceptor_.local_endpoint().port();
    Accept();
    for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { RunIoContext(); });
    return Status::Ok();
  }

  uint16_t port() const override { return port_; }

  void Stop(int64_t grace_ms) override {
    if (threads_.empty()) return;
    in_flight_.stopping.store(true);
    asio::post(acceptor_.get_executor(), [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      accept_timer_.cancel();
    });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
    while (in_flight_.count.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ioc_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

 private:
  // An exception a library throws inside a completion handler leaves run(); the connection
  // whose handler threw is gone with it (its last reference was in the handler), and every other
  // connection goes on. Beast's parsers throw for some oversized fields, for one.
  void RunIoContext() {
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception& error) {
        LogError(std::string("http: a connection was closed after an exception: ") + error.what());
      }
    }
  }

  void Accept() {
    acceptor_.async_accept(
        asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
          if (!acceptor_.is_open()) return;
          if (ec) return OnAcceptError(ec);
          if (accept_failures_ > 0) {
            LogWarning("http: accepting again after " + std::to_string(accept_failures_) +
                       " failed accepts");
            accept_failures_ = 0;
          }
          accept_backoff_ms_ = 0;
          socket.set_option(tcp::no_delay(true), ec);
          std::make_shared<Session>(std::move(socket), options_, handler_, in_flight_)->Start();
          Accept();
        });
  }

  // Accept fails when descriptors or kernel memory run out (EMFILE, ENFILE, ENOBUFS); trying
  // again at once would spin a core and flood the log. New connections wait in the backlog while
  // the acceptor backs off (10 ms doubling to 1 s); one line per interval says how often.
  void OnAcceptError(beast::error_code ec) {
    if (ec == asio::error::operation_aborted || in_flight_.stopping.load()) return;
    ++accept_failures_;
    auto now = std::chrono::steady_clock::now();
    if (accept_failures_ == 1 || now - last_accept_log_ >= kAcceptLogInterval) {
      LogWarning("http: accept failed (" + ec.message() + "), " + std::to_string(accept_failures_) +
                 " times so far; new connections wait until descriptors are free");
      last_accept_log_ = now;
    }
    accept_backoff_ms_ = std::clamp<int64_t>(accept_backoff_ms_ * 2, 10, 1000);
    accept_timer_.expires_after(std::chrono::milliseconds(accept_backoff_ms_));
    accept_timer_.async_wait([this](beast::error_code wait_error) {
      if (!wait_error && acceptor_.is_open()) Accept();
    });
  }

  static constexpr std::chrono::seconds kAcceptLogInterval{10};

  const ServerOptions options_;
  const Handler handler_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  // On the acceptor's strand, like the accept failure bookkeeping below.
  asio::steady_timer accept_timer_{acceptor_.get_executor()};
  int64_t accept_failures_ = 0;
  int64_t accept_backoff_ms_ = 0;
  std::chrono::steady_clock::time_point last_accept_log_;
  InFlight in_flight_;
  uint16_t port_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace

StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Handler handler) {
  auto server = std::make_unique<BeastServer>(options, std::move(handler));
  HOGLET_RETURN_IF_ERROR(server->Listen());
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace hoglet::http
