// HttpServer: Boost.Beast asynchronous HTTP/1.1 (callback style). One strand per connection,
// keep-alive, one request at a time per connection (so pipelined requests are answered in
// order), and a graceful stop that lets in-flight requests finish.
//
// Limits, so that no client can exhaust the process (each answered, never a crash or a stall):
//  - connections: at most --max-connections open at once (fewer if the file descriptor limit is
//    lower). At the cap, the longest-idle keep-alive connection is closed to make room; with none
//    idle, a new connection gets a 503 and is closed. Past three quarters of the cap, idle
//    connections are closed after a few seconds instead of --idle-timeout. Failing accepts (no
//    file descriptors left) back off instead of spinning, and are logged at most once a second.
//  - time: an idle connection waits --idle-timeout for a request; once a request's first byte is
//    in, its header must arrive within --request-timeout (10 s: slowloris) and its body at no
//    less than 64 KiB/s; a client that does not read its answer is cut off after --idle-timeout.
//  - size: header at most 16 KiB and 100 fields (431), body at most --max-body (413), and the
//    bodies of all requests in flight at most --max-inflight-bytes (503).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "server/config.h"
#include "server/router.h"

namespace localddb::server {

// A connection that can be asked to close while it waits for a request.
class IdleConnection {
 public:
  virtual ~IdleConnection() = default;
  virtual void Evict() = 0;  // thread-safe: closes on the connection's own strand
};

// What every connection shares: the limits and the counters they are checked against.
struct ConnectionBudget {
  explicit ConnectionBudget(const Config& config);
  const Config& config;
  size_t max_connections;
  std::atomic<size_t> connections{0};
  std::atomic<size_t> inflight_bytes{0};
  std::atomic<bool> stopping{false};

  // Connections waiting for their next request, oldest first.
  using IdleList = std::list<std::weak_ptr<IdleConnection>>;
  IdleList::iterator AddIdle(std::weak_ptr<IdleConnection> c);
  void RemoveIdle(IdleList::iterator it);
  // Closes the connection idle longest; false if none is idle.
  bool EvictOldestIdle();

 private:
  std::mutex idle_mu_;
  IdleList idle_;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& ioc, Router& router, const Config& config);

  // Binds and listens; throws std::runtime_error with a clear message (e.g. the port is busy).
  void Listen(const std::string& host, int port);
  // The port actually bound (useful with --port 0).
  int port() const;
  void StartAccepting();
  // Stops accepting; open connections close after their current response.
  void StopAccepting();
  bool stopping() const { return budget_->stopping; }
  size_t max_connections() const { return budget_->max_connections; }

 private:
  void Accept();
  void OnAcceptError(const boost::system::error_code& ec);

  boost::asio::io_context& ioc_;
  Router& router_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;
  std::shared_ptr<ConnectionBudget> budget_;
  // Rate-limited logging of failing accepts.
  double last_accept_log_ = 0;
  size_t accept_errors_unlogged_ = 0;
};

}  // namespace localddb::server
