// fuzz_http_request: raw bytes from a client connection -> the whole request path.
//
// Feeds: the input is what a client writes on one keep-alive connection: up to 16 pipelined
// HTTP/1.x requests, each read by boost::beast's request_parser<string_body> with the limits
// server/http_server.cc sets (body limit Config::max_body_bytes, 16 MiB; header limit 64 KiB).
// Every complete request goes to a server::Router over an in-memory database (fuzz_server.h:
// storage::Database in memory, api::Catalog, api::Context, server::Config with auth none), so a
// seed can CreateTable, PutItem and Query in one input. After the input, every table and hook it
// created is deleted again.
//
// Checks: no crash / sanitizer report / hang; the router replies exactly once within 5 s (the
// reply may come from the storage writer thread); no 5xx reply (an unexpected exception inside a
// handler; LOCALDDB_FUZZ_IGNORE=5xx waives that); a POST to the DynamoDB API (any target outside
// /_localddb/) is answered with Content-Type application/x-amz-json-1.0 and a JSON object body,
// errors carrying "__type"; /_localddb/ answers are JSON objects too.
// So a seed can walk a stream (GetShardIterator -> GetRecords), "$SHARD_ID" and "$SHARD_ITERATOR" in
// a request body are replaced by the last ShardId / (Next)ShardIterator an earlier reply of the same
// input carried (iterators are sealed with a per-process key, so no fixed input could hold one).
// LOCALDDB_FUZZ_VERBOSE=1 prints every request's reply (to check what a seed does).
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_server.h"

using namespace localddb;
namespace http = boost::beast::http;

namespace {

// The string value of the first "<member>":"..." in a JSON body, if any.
void Capture(const std::string& body, std::string_view member, std::string& out) {
  const std::string key = "\"" + std::string(member) + "\":\"";
  const size_t at = body.find(key);
  if (at == std::string::npos) return;
  const size_t start = at + key.size(), end = body.find('"', start);
  if (end != std::string::npos) out = body.substr(start, end - start);
}

void Substitute(std::string& body, std::string_view placeholder, const std::string& value) {
  for (size_t at = body.find(placeholder); at != std::string::npos; at = body.find(placeholder, at + value.size()))
    body.replace(at, placeholder.size(), value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto& server = fuzz::FuzzServer::Get();
  static const bool verbose = std::getenv("LOCALDDB_FUZZ_VERBOSE") != nullptr;  // print each reply
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::string shard_id, shard_iterator;
  for (int n = 0; n < 16 && !rest.empty(); ++n) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(server.config().max_body_bytes);
    parser.header_limit(64 * 1024);
    parser.eager(true);
    boost::beast::error_code ec;
    while (!parser.is_done() && !rest.empty()) {
      const size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
      rest.remove_prefix(used);
      if (ec || used == 0) break;
    }
    if (ec == http::error::need_more || (!ec && !parser.is_done())) parser.put_eof(ec);  // the client closed
    if (ec || !parser.is_done()) break;  // the server answers 400 (or 413) and closes

    server::Request req = parser.release();
    Substitute(req.body(), "$SHARD_ID", shard_id);
    Substitute(req.body(), "$SHARD_ITERATOR", shard_iterator);
    const bool post = req.method() == http::verb::post;
    const bool admin = std::string_view(req.target()).starts_with("/_localddb/");
    const std::string what = std::string(req.method_string()) + " " + std::string(req.target());
    const server::Response res = server.Send(std::move(req));
    if (verbose)
      std::fprintf(stderr, "%s -> %d %s\n", what.c_str(), res.result_int(), fuzz::Quote(res.body(), 300).c_str());
    fuzz::CheckReply(res, post && !admin, admin, what);
    Capture(res.body(), "ShardId", shard_id);
    Capture(res.body(), "ShardIterator", shard_iterator);
    Capture(res.body(), "NextShardIterator", shard_iterator);
  }
  server.Reset();
  return 0;
}
