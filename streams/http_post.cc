#include "streams/http_post.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace localddb::streams {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

struct Url {
  std::string host, port = "80", target = "/";
};

std::optional<Url> ParseUrl(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) return std::nullopt;
  std::string rest = url.substr(kScheme.size());
  Url u;
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) u.target = rest.substr(slash);
  size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  } else {
    u.host = authority;
  }
  if (u.host.empty()) return std::nullopt;
  return u;
}

}  // namespace

HttpResult HttpPost(const std::string& url, const std::string& body, int timeout_ms) {
  HttpResult result;
  auto parsed = ParseUrl(url);
  if (!parsed) {
    result.error = "unsupported URL (expected http://host:port/path): " + url;
    return result;
  }
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  http::request<http::string_body> req{http::verb::post, parsed->target, 11};
  req.set(http::field::host, parsed->host + ":" + parsed->port);
  req.set(http::field::content_type, "application/json");
  req.set(http::field::user_agent, "localddb-stream-hook");
  req.body() = body;
  req.prepare_payload();
  http::response<http::string_body> res;
  net::ip::tcp::resolver resolver(ioc);
  beast::error_code failure;

  stream.expires_after(std::chrono::milliseconds(timeout_ms));
  resolver.async_resolve(parsed->host, parsed->port, [&](beast::error_code ec, net::ip::tcp::resolver::results_type r) {
    if (ec) {
      failure = ec;
      return;
    }
    stream.async_connect(r, [&](beast::error_code ec, const net::ip::tcp::endpoint&) {
      if (ec) {
        failure = ec;
        return;
      }
      http::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
        if (ec) {
          failure = ec;
          return;
        }
        http::async_read(stream, buffer, res, [&](beast::error_code ec, std::size_t) { failure = ec; });
      });
    });
  });
  ioc.run();
  if (failure) {
    result.error = failure == beast::error::timeout ? "timed out after " + std::to_string(timeout_ms) + " ms"
                                                    : failure.message();
    return result;
  }
  result.status = static_cast<int>(res.result_int());
  result.body = std::move(res.body());
  beast::error_code ec;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  return result;
}

}  // namespace localddb::streams
