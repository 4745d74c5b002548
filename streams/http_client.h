// A small blocking HTTP/1.1 client for hook delivery: POSTs with a deadline, over one kept-alive
// connection per target (a new TCP connection per record would cost more than the record).
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

namespace localddb::streams {

struct HttpResult {
  int status = 0;  // 0 when no response arrived
  std::string body;
  std::string error;  // why no response arrived (refused, timeout, bad URL)
  bool timed_out = false;
  std::string function_error;  // X-Amz-Function-Error (Lambda's Invoke API: the function failed)
};

class HttpClient {
 public:
  // url: http://host[:port]/path.
  explicit HttpClient(std::string url);
  ~HttpClient();

  // Never throws. Reuses the open connection; if the target closed it while idle, reconnects
  // once and sends again. Gives up within about 50 ms once *abort turns true (shutting down).
  HttpResult Post(const std::string& body, int timeout_ms, const std::atomic<bool>* abort = nullptr);

 private:
  struct State;
  std::string url_;
  std::unique_ptr<State> state_;
};

}  // namespace localddb::streams
