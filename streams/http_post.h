// A small blocking HTTP/1.1 client for hook delivery: one POST, with a deadline.
#pragma once

#include <optional>
#include <string>

namespace localddb::streams {

struct HttpResult {
  int status = 0;      // 0 when no response arrived
  std::string body;
  std::string error;   // why no response arrived (refused, timeout, bad URL)
};

// url: http://host[:port]/path. Never throws.
HttpResult HttpPost(const std::string& url, const std::string& body, int timeout_ms);

}  // namespace localddb::streams
