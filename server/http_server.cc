#include "server/http_server.h"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>

#include "common/log.h"
#include "server/fault_actions.h"
#include "server/metrics.h"

namespace localddb::server {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr size_t kHeaderLimit = 16 * 1024;
constexpr size_t kMaxHeaderFields = 100;
constexpr auto kCrowdedIdleTimeout = std::chrono::seconds(5);
constexpr size_t kMinBodyBytesPerSecond = 64 * 1024;

// The file descriptors this process may open; the soft limit is raised to the hard one first.
size_t FileDescriptorLimit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
  if (rl.rlim_cur < rl.rlim_max) {
    rlimit raised = rl;
    raised.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
  }
  return rl.rlim_cur == RLIM_INFINITY ? 1u << 20 : static_cast<size_t>(rl.rlim_cur);
}

// An answer written straight to a socket that gets no session (the connection cap is reached).
const std::string& BusyResponse() {
  static const std::string response = [] {
    const std::string body =
        "{\"__type\":\"com.amazon.coral.service#ServiceUnavailableException\","
        "\"message\":\"too many open connections: try again\"}";
    return "HTTP/1.1 503 Service Unavailable\r\nServer: localddb\r\nContent-Type: application/x-amz-json-1.0\r\n"
           "Connection: close\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }();
  return response;
}

class Session : public IdleConnection, public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Router& router, std::shared_ptr<ConnectionBudget> budget)
      : stream_(std::move(socket)), router_(router), budget_(std::move(budget)) {}
  ~Session() override {
    Release();
    budget_->connections.fetch_sub(1);
  }

  void Evict() override {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->stream_.cancel(); });
  }

  void Start() { net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::Read, shared_from_this())); }

 private:
  const Config& config() const { return budget_->config; }

  // Step 1: wait for a request to begin (the idle keep-alive wait).
  void Read() {
    if (budget_->stopping) return Close();
    if (buffer_.size() > 0) return ReadHeader();  // pipelined: the next request is already here
    const bool crowded = budget_->connections.load() * 4 > budget_->max_connections * 3;
    stream_.expires_after(crowded ? std::chrono::seconds(kCrowdedIdleTimeout)
                                  : std::chrono::seconds(config().idle_timeout_seconds));
    idle_ = budget_->AddIdle(std::static_pointer_cast<IdleConnection>(shared_from_this()));
    stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->budget_->RemoveIdle(self->idle_);
      if (ec) return self->Close();
      self->buffer_.commit(n);
      self->ReadHeader();
    });
  }

  // Step 2: the whole header within --request-timeout of its first byte.
  void ReadHeader() {
    parser_.emplace();
    parser_->body_limit(config().max_body_bytes);
    parser_->header_limit(kHeaderLimit);
    stream_.expires_after(std::chrono::seconds(config().request_timeout_seconds));
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    const auto& req = parser_->get();
    if (static_cast<size_t>(std::distance(req.begin(), req.end())) > kMaxHeaderFields)
      return Refuse(
          http::status::request_header_fields_too_large,
          api::ApiError(api::ErrorKind::kRequestHeaderFieldsTooLarge, "Request has more than 100 header fields"));
    // Reserve the body's bytes in the budget of requests in flight before reading it.
    const auto length = parser_->content_length();
    reserved_ = length ? static_cast<size_t>(*length) : (parser_->chunked() ? config().max_body_bytes : 0);
    if (reserved_ > config().max_body_bytes) reserved_ = 0;  // refused by the body limit below
    if (budget_->inflight_bytes.fetch_add(reserved_) + reserved_ > config().max_inflight_bytes) {
      Release();
      return Refuse(http::status::service_unavailable,
                    api::ApiError(api::ErrorKind::kServiceUnavailable, "too much request data in flight: try again"));
    }
    if (parser_->is_done()) return Dispatch();
    // Step 3: the body, at no less than kMinBodyBytesPerSecond (after a grace of --request-timeout).
    const size_t expected = length ? static_cast<size_t>(*length) : config().max_body_bytes;
    stream_.expires_after(std::chrono::seconds(config().request_timeout_seconds + expected / kMinBodyBytesPerSecond));
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    Dispatch();
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      // Answer rather than drop the connection, then close (the rest of the body is unread).
      drain_after_write_ = true;
      return Write(router_.ErrorResponse(
          api::ApiError(api::ErrorKind::kRequestEntityTooLarge, "Request payload size exceeds the limit of " +
                                                                    std::to_string(config().max_body_bytes) + " bytes"),
          parser_->get().version(), false));
    }
    if (ec == http::error::header_limit)
      return Refuse(
          http::status::request_header_fields_too_large,
          api::ApiError(api::ErrorKind::kRequestHeaderFieldsTooLarge, "Request header is larger than 16 KiB"));
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof)
      return Close();
    if (LogEnabled(LogLevel::kDebug)) Log(LogLevel::kDebug, "bad request: " + ec.message());
    Response res{http::status::bad_request, 11};
    res.set(http::field::content_type, "text/plain");
    res.body() = "bad request: " + ec.message();
    res.keep_alive(false);
    res.prepare_payload();
    Write(std::move(res));
  }

  // A refusal after the header: answered, then the connection is closed.
  void Refuse(http::status status, const api::ApiError& e) {
    Response res = router_.ErrorResponse(e, parser_->get().version(), false);
    res.result(status);
    Write(std::move(res));
  }

  void Dispatch() {
    stream_.expires_never();  // a slow write must not be cut off by the read timeout
    head_only_ = parser_->get().method() == http::verb::head;
    auto self = shared_from_this();
    router_.Handle(parser_->release(), [self](Response res) {
      // Reads answer right here, on this connection's strand: write at once. Writes answer from the
      // storage writer thread: dispatch then hops back onto the strand.
      net::dispatch(self->stream_.get_executor(),
                    [self, res = std::move(res)]() mutable { self->Write(std::move(res)); });
    });
  }

  // Fault rules (server/fault_actions.h) mark an answer to be delayed or dropped.
  void Write(Response&& res) {
    if (auto drop = res.find(kDropMarker); drop != res.end()) {
      // The connection goes without an answer, as a network failure would take it.
      Release();
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_.socket().close(ec);
      return;
    }
    if (auto delay = res.find(kDelayMarker); delay != res.end()) {
      const int ms = std::atoi(std::string(delay->value()).c_str());
      res.erase(delay);
      auto timer = std::make_shared<net::steady_timer>(stream_.get_executor());
      timer->expires_after(std::chrono::milliseconds(ms));
      timer->async_wait([self = shared_from_this(), timer, res = std::move(res)](beast::error_code) mutable {
        self->Write(std::move(res));
      });
      return;
    }
    if (budget_->stopping) res.keep_alive(false);
    response_ = std::make_unique<Response>(std::move(res));
    // The status line and fields are formatted here and sent with the body in one gathered write:
    // cheaper than Beast's general serializer, which showed up in every request's profile.
    // (Responses always carry Content-Length; see MakeResponse.)
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
    // A HEAD answer carries the GET answer's Content-Length, and no body.
    std::array<net::const_buffer, 2> buffers{
        net::buffer(head_), net::buffer(response_->body().data(), head_only_ ? 0 : response_->body().size())};
    head_only_ = false;
    stream_.expires_after(std::chrono::seconds(config().idle_timeout_seconds));  // a client that never reads
    net::async_write(stream_, buffers,
                     beast::bind_front_handler(&Session::OnWrite, shared_from_this(), response_->need_eof()));
  }

  void OnWrite(bool close, beast::error_code ec, std::size_t) {
    response_.reset();
    Release();
    if (!ec && drain_after_write_) return Drain();
    if (ec || close) return Close();
    Read();
  }

  void Release() {
    budget_->inflight_bytes.fetch_sub(reserved_);
    reserved_ = 0;
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
  bool head_only_ = false;                     // answering a HEAD request
  size_t reserved_ = 0;                        // this request's share of ConnectionBudget::inflight_bytes
  ConnectionBudget::IdleList::iterator idle_;  // valid while waiting for a request
  std::array<char, 16 * 1024> scratch_;
  Router& router_;
  std::shared_ptr<ConnectionBudget> budget_;
};

double NowSeconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

ConnectionBudget::ConnectionBudget(const Config& c) : config(c) {
  // Leave descriptors for SQLite (the file, its WAL and shared memory per connection), hook
  // clients and the listener.
  const size_t fds = FileDescriptorLimit();
  const size_t usable = fds > 192 ? fds - 64 : fds / 2;
  max_connections = std::max<size_t>(1, std::min<size_t>(c.max_connections, usable));
}

ConnectionBudget::IdleList::iterator ConnectionBudget::AddIdle(std::weak_ptr<IdleConnection> c) {
  std::lock_guard lock(idle_mu_);
  return idle_.insert(idle_.end(), std::move(c));
}

void ConnectionBudget::RemoveIdle(IdleList::iterator it) {
  std::lock_guard lock(idle_mu_);
  idle_.erase(it);
}

bool ConnectionBudget::EvictOldestIdle() {
  std::shared_ptr<IdleConnection> oldest;
  {
    std::lock_guard lock(idle_mu_);
    while (!oldest && !idle_.empty()) {
      oldest = idle_.front().lock();
      // The entry stays until its connection's read completes and removes it; move it to the
      // back so the next eviction picks another connection.
      idle_.splice(idle_.end(), idle_, idle_.begin());
    }
  }
  if (!oldest) return false;
  oldest->Evict();
  return true;
}

HttpServer::HttpServer(net::io_context& ioc, Router& router, const Config& config)
    : ioc_(ioc),
      router_(router),
      acceptor_(net::make_strand(ioc)),
      backoff_(acceptor_.get_executor()),
      budget_(std::make_shared<ConnectionBudget>(config)) {
  SetConnectionGauge(&budget_->connections);
}

void HttpServer::Listen(const std::string& host, int port) {
  beast::error_code ec;
  std::string literal = host;
  if (literal.size() > 2 && literal.front() == '[' && literal.back() == ']')
    literal = literal.substr(1, literal.size() - 2);
  auto address = net::ip::make_address(literal, ec);
  if (ec) {  // a host name (localhost, a container's name): its first address
    tcp::resolver resolver(ioc_);
    auto found = resolver.resolve(literal, std::to_string(port), ec);
    if (ec || found.empty()) throw std::runtime_error("invalid --host '" + host + "': " + ec.message());
    address = found.begin()->endpoint().address();
    ec.clear();
  }
  tcp::endpoint endpoint{address, static_cast<unsigned short>(port)};
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (ec)
    throw std::runtime_error(
        "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message() +
        (ec == net::error::address_in_use ? " (is another server using this port? try --port)" : ""));
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
}

int HttpServer::port() const { return acceptor_.local_endpoint().port(); }

void HttpServer::StartAccepting() { Accept(); }

void HttpServer::StopAccepting() {
  budget_->stopping = true;
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    acceptor_.close(ec);
    backoff_.cancel();
  });
}

void HttpServer::Accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) return OnAcceptError(ec);
    socket.set_option(tcp::no_delay(true), ec);
    // At the cap, an idle keep-alive connection makes room (it would be closed anyway before
    // long); with none idle, the new one gets a short answer and is closed.
    if (budget_->connections.fetch_add(1) >= budget_->max_connections && !budget_->EvictOldestIdle()) {
      budget_->connections.fetch_sub(1);
      auto busy = std::make_shared<tcp::socket>(std::move(socket));
      net::async_write(*busy, net::buffer(BusyResponse()), [busy](beast::error_code, std::size_t) {
        beast::error_code ignored;
        busy->shutdown(tcp::socket::shutdown_both, ignored);
        busy->close(ignored);
      });
    } else {
      std::make_shared<Session>(std::move(socket), router_, budget_)->Start();
    }
    Accept();
  });
}

void HttpServer::OnAcceptError(const boost::system::error_code& ec) {
  if (budget_->stopping || ec == net::error::operation_aborted) return;
  // Typically no file descriptor left (EMFILE): retrying at once would spin and flood the log.
  ++accept_errors_unlogged_;
  const double now = NowSeconds();
  if (now - last_accept_log_ >= 1.0) {
    Log(LogLevel::kWarn,
        "accept failed: " + ec.message() +
            (accept_errors_unlogged_ > 1 ? " (" + std::to_string(accept_errors_unlogged_) + " times)" : "") +
            "; backing off");
    last_accept_log_ = now;
    accept_errors_unlogged_ = 0;
  }
  backoff_.expires_after(std::chrono::milliseconds(50));
  backoff_.async_wait([this](const boost::system::error_code& wait_ec) {
    if (!wait_ec && !budget_->stopping) Accept();
  });
}

}  // namespace localddb::server
