#include "streams/http_client.h"

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

struct HttpClient::State {
  std::optional<Url> url;
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  bool connected = false;
};

HttpClient::HttpClient(std::string url) : url_(std::move(url)), state_(std::make_unique<State>()) {
  state_->url = ParseUrl(url_);
}

HttpClient::~HttpClient() {
  beast::error_code ec;
  if (state_->connected) state_->stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
}

HttpResult HttpClient::Post(const std::string& body, int timeout_ms, const std::atomic<bool>* abort) {
  HttpResult result;
  State& s = *state_;
  if (!s.url) {
    result.error = "unsupported URL (expected http://host:port/path): " + url_;
    return result;
  }
  http::request<http::string_body> req{http::verb::post, s.url->target, 11};
  req.set(http::field::host, s.url->host + ":" + s.url->port);
  req.set(http::field::content_type, "application/json");
  req.set(http::field::user_agent, "localddb-stream-hook");
  req.keep_alive(true);
  req.body() = body;
  req.prepare_payload();

  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = s.connected;
    beast::error_code failure;
    bool responded = false;
    http::response<http::string_body> res;
    beast::flat_buffer buffer;
    auto exchange = [&] {
      http::async_write(s.stream, req, [&](beast::error_code ec, std::size_t) {
        if (ec) {
          failure = ec;
          return;
        }
        http::async_read(s.stream, buffer, res, [&](beast::error_code ec, std::size_t) {
          failure = ec;
          responded = !ec;
        });
      });
    };
    s.ioc.restart();
    s.stream.expires_after(std::chrono::milliseconds(timeout_ms));
    if (!s.connected) {
      beast::error_code ec;
      // Resolved here, in this thread (a hook target is almost always a literal address).
      auto endpoints = net::ip::tcp::resolver(s.ioc).resolve(s.url->host, s.url->port, ec);
      if (ec) {
        result.error = ec.message();
        return result;
      }
      s.stream.async_connect(endpoints, [&](beast::error_code ec, const net::ip::tcp::endpoint&) {
        if (ec) {
          failure = ec;
          return;
        }
        s.connected = true;
        exchange();
      });
    } else {
      exchange();
    }
    // In slices, so that a shutdown need not wait for a target that never answers.
    bool aborted = false;
    while (!s.ioc.stopped()) {
      s.ioc.run_for(std::chrono::milliseconds(50));
      if (abort && abort->load() && !aborted) {
        aborted = true;
        s.stream.cancel();
      }
    }
    if (aborted && !responded) {
      s.stream.close();
      s.connected = false;
      result.error = "shutting down";
      return result;
    }
    if (responded) {
      result.status = static_cast<int>(res.result_int());
      result.body = std::move(res.body());
      if (auto it = res.find("X-Amz-Function-Error"); it != res.end()) result.function_error = it->value();
      if (!res.keep_alive()) {
        beast::error_code ec;
        s.stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
        s.stream.close();
        s.connected = false;
      }
      return result;
    }
    // No answer: drop the connection. A kept-alive connection the target closed while idle fails
    // at once (reset or end of stream); only then is it worth sending again on a new one.
    s.stream.close();
    s.connected = false;
    result.timed_out = failure == beast::error::timeout;
    result.error =
        failure == beast::error::timeout ? "timed out after " + std::to_string(timeout_ms) + " ms" : failure.message();
    if (!reused || failure == beast::error::timeout) break;
  }
  return result;
}

}  // namespace localddb::streams
