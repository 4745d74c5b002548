// DynamoDB's HTTP envelope: the request and response types every handler of the server sees, and
// the headers every answer carries.
#pragma once

#include <boost/beast/http.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "server/body_crc32.h"

namespace localddb::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
// Called exactly once, possibly from another thread (the storage writer).
using Reply = std::function<void(Response)>;

// BodyCrc32 (server/body_crc32.h) of the body is sent as x-amz-crc32 in decimal; botocore verifies it.
// A request id in DynamoDB's form: 52 characters of [A-Z0-9].
std::string NewRequestId();

constexpr std::string_view kJsonContentType = "application/x-amz-json-1.0";

// What every response to one request shares.
struct Envelope {
  unsigned version = 11;
  bool keep_alive = true;
  std::string request_id;
  std::string allow_origin;  // Access-Control-Allow-Origin, when --cors lets the page in
};

// A complete response: Server, Content-Type, x-amzn-RequestId, x-amz-crc32 (and CORS headers
// when the envelope allows an origin), Content-Length.
Response MakeResponse(const Envelope& envelope, http::status status, std::string body, std::string_view content_type);

}  // namespace localddb::server
