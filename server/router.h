// Router: turns one HTTP request into one HTTP response. The one place where an ApiError becomes
// DynamoDB's error response; everything unexpected becomes a logged 500, and serving goes on.
#pragma once

#include <atomic>
#include <functional>

#include <boost/beast/http.hpp>

#include "api/ops/operation.h"
#include "server/config.h"
#include "streams/hook_dispatcher.h"

namespace localddb::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
// Called exactly once, possibly from another thread (the storage writer).
using Reply = std::function<void(Response)>;

class Router {
 public:
  // hooks may be null (no stream-hook administration).
  Router(api::Context& ctx, const Config& config, streams::HookDispatcher* hooks = nullptr);

  void Handle(Request&& req, Reply reply);

  // An error response for a request that could not even be read (e.g. an oversize body).
  Response ErrorResponse(const api::ApiError& e, unsigned version, bool keep_alive) const;

  int in_flight() const { return in_flight_.load(); }

 private:
  void HandleAdmin(const Request& req, const Reply& reply);
  Response MakeResponse(unsigned version, bool keep_alive, http::status status, std::string body,
                        std::string_view content_type) const;

  void HandleHooksAdmin(const Request& req, const Reply& reply);

  api::Context& ctx_;
  const Config& config_;
  streams::HookDispatcher* hooks_;
  std::atomic<int> in_flight_{0};
  double started_;
};

}  // namespace localddb::server
