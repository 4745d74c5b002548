#include "server/http_server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <array>
#include <optional>

#include "common/log.h"

namespace localddb::server {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Router& router, const Config& config, std::shared_ptr<bool> stopping)
      : stream_(std::move(socket)), router_(router), config_(config), stopping_(std::move(stopping)) {}

  void Start() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(config_.max_body_bytes);
    parser_->header_limit(64 * 1024);
    stream_.expires_after(std::chrono::seconds(config_.idle_timeout_seconds));
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      // Answer rather than drop the connection, then close (the rest of the body is unread).
      auto res = router_.ErrorResponse(
          api::ApiError("RequestEntityTooLarge",
                        "Request payload size exceeds the limit of " + std::to_string(config_.max_body_bytes) + " bytes"),
          parser_->get().version(), false);
      drain_after_write_ = true;
      return Write(std::move(res));
    }
    if (ec) {
      if (LogEnabled(LogLevel::kDebug)) Log(LogLevel::kDebug, "bad request: " + ec.message());
      Response res{http::status::bad_request, 11};
      res.set(http::field::content_type, "text/plain");
      res.body() = "bad request: " + ec.message();
      res.keep_alive(false);
      res.prepare_payload();
      return Write(std::move(res));
    }
    stream_.expires_never();  // a slow write must not be cut off by the read timeout
    auto self = shared_from_this();
    router_.Handle(parser_->release(), [self](Response res) {
      // Reads answer right here, on this connection's strand: write at once. Writes answer from the
      // storage writer thread: dispatch then hops back onto the strand.
      net::dispatch(self->stream_.get_executor(),
                    [self, res = std::move(res)]() mutable { self->Write(std::move(res)); });
    });
  }

  void Write(Response&& res) {
    if (*stopping_) res.keep_alive(false);
    response_ = std::make_unique<Response>(std::move(res));
    // The status line and fields are formatted here and sent with the body in one gathered write:
    // cheaper than Beast's general serializer, which showed up in every request's profile.
    // (Responses always carry Content-Length; see Router::MakeResponse.)
    head_.clear();
    head_ += response_->version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    head_ += std::to_string(response_->result_int());
    head_ += ' ';
    head_ += http::obsolete_reason(response_->result());
    head_ += "\r\n";
    for (const auto& field : *response_) {
      head_ += field.name_string();
      head_ += ": ";
      head_ += field.value();
      head_ += "\r\n";
    }
    head_ += "\r\n";
    std::array<net::const_buffer, 2> buffers{net::buffer(head_), net::buffer(response_->body())};
    net::async_write(stream_, buffers,
                     beast::bind_front_handler(&Session::OnWrite, shared_from_this(), response_->need_eof()));
  }

  void OnWrite(bool close, beast::error_code ec, std::size_t) {
    response_.reset();
    if (!ec && drain_after_write_) return Drain();
    if (ec || close) return Close();
    Read();
  }

  // After refusing an oversize body, read and discard what the client is still sending (bounded
  // in time), so it sees our answer instead of a reset connection.
  void Drain() {
    Close();
    stream_.expires_after(std::chrono::seconds(10));
    stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec) self->Drain();
    });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::unique_ptr<Response> response_;
  std::string head_;  // the response's status line and fields, formatted
  bool drain_after_write_ = false;
  std::array<char, 64 * 1024> scratch_;
  Router& router_;
  const Config& config_;
  std::shared_ptr<bool> stopping_;
};

}  // namespace

HttpServer::HttpServer(net::io_context& ioc, Router& router, const Config& config)
    : ioc_(ioc), router_(router), config_(config), acceptor_(net::make_strand(ioc)) {}

void HttpServer::Listen(const std::string& host, int port) {
  beast::error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("invalid --host '" + host + "': " + ec.message());
  tcp::endpoint endpoint{address, static_cast<unsigned short>(port)};
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message() +
                             (ec == net::error::address_in_use ? " (is another server using this port? try --port)" : ""));
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
}

int HttpServer::port() const { return acceptor_.local_endpoint().port(); }

void HttpServer::StartAccepting() { Accept(); }

void HttpServer::StopAccepting() {
  stopping_ = true;
  *stopping_flag_ = true;
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    acceptor_.close(ec);
  });
}

void HttpServer::Accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!stopping_ && ec != net::error::operation_aborted) {
        Log(LogLevel::kWarn, "accept failed: " + ec.message());
        Accept();
      }
      return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    std::make_shared<Session>(std::move(socket), router_, config_, stopping_flag_)->Start();
    Accept();
  });
}

}  // namespace localddb::server
