// fuzz_admin_json: the admin API's JSON path, POST /_localddb/stream-hooks.
//
// Feeds: the input is the body of POST /_localddb/stream-hooks (Content-Type application/json),
// handed to a server::Router over an in-memory database (fuzz_server.h) whose HookDispatcher is
// never started, so an added hook is recorded (and persisted) but nothing is delivered and no
// connection is made. The same body then goes to DELETE (removing what the POST added), and the
// hook state is read with GET; every hook left is removed before the next input.
//
// Checks: no crash / sanitizer report / hang; one reply within 5 s each; POST answers 201, 200,
// 400 or 403 (a hook target the default access policy refuses), DELETE 200, 404 or 400, GET 200;
// every answer is a JSON object; a POST that answered 201 is undone by the DELETE (200).
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_server.h"

using namespace localddb;
namespace http = boost::beast::http;

namespace {

server::Response Call(fuzz::FuzzServer& server, http::verb method, std::string_view body) {
  server::Request req{method, "/_localddb/stream-hooks", 11};
  req.set(http::field::host, "localhost:8000");
  req.set(http::field::content_type, "application/json");
  req.body() = std::string(body);
  req.prepare_payload();
  server::Response res = server.Send(std::move(req));
  fuzz::CheckReply(res, false, true, std::string(http::to_string(method)) + " /_localddb/stream-hooks");
  return res;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto& server = fuzz::FuzzServer::Get();
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  const int post = Call(server, http::verb::post, body).result_int();
  // 403: a hook target the access policy refuses (only loopback hosts by default).
  FUZZ_CHECK(post == 201 || post == 200 || post == 400 || post == 403, "POST answered " + std::to_string(post));
  const int del = Call(server, http::verb::delete_, body).result_int();
  FUZZ_CHECK(del == 200 || del == 404 || del == 400, "DELETE answered " + std::to_string(del));
  FUZZ_CHECK(post != 201 || del == 200,
             "a hook added by POST (201) was not removed by DELETE (" + std::to_string(del) + ")");
  const int get = Call(server, http::verb::get, "").result_int();
  FUZZ_CHECK(get == 200, "GET answered " + std::to_string(get));
  server.Reset();
  return 0;
}
