// HttpServer: Boost.Beast asynchronous HTTP/1.1 (callback style). One strand per connection,
// keep-alive, one request at a time per connection (so pipelined requests are answered in
// order), a body limit, an idle timeout, and a graceful stop that lets in-flight requests finish.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "server/config.h"
#include "server/router.h"

namespace localddb::server {

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
  bool stopping() const { return stopping_; }

 private:
  void Accept();

  boost::asio::io_context& ioc_;
  Router& router_;
  const Config& config_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<bool> stopping_flag_ = std::make_shared<bool>(false);
  bool stopping_ = false;
};

}  // namespace localddb::server
