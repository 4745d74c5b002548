#include "server/wire.h"

#include <random>

namespace localddb::server {

std::string NewRequestId() {
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string id(52, 'A');
  // Base-36 digits of random 32-bit fractions, six per fraction, by multiplying rather than
  // dividing: 52 divisions by 36 were ~1,100 instructions and as many slow cycles per request.
  uint64_t word = 0, fraction = 0;
  for (int i = 0; i < 52; ++i) {
    if (i % 12 == 0) word = rng();
    if (i % 6 == 0) fraction = (i % 12 == 0 ? word : word >> 32) & 0xffffffffu;
    fraction *= 36;
    id[i] = kChars[fraction >> 32];
    fraction &= 0xffffffffu;
  }
  return id;
}

Response MakeResponse(const Envelope& envelope, http::status status, std::string body, std::string_view content_type) {
  Response res{status, envelope.version};
  res.set(http::field::server, "localddb");
  res.set(http::field::content_type, content_type);
  res.set("x-amzn-RequestId", envelope.request_id);
  res.set("x-amz-crc32", std::to_string(BodyCrc32(body)));
  if (!envelope.allow_origin.empty()) {
    // As DynamoDB answers a browser: the origin, and the headers its SDK reads.
    res.set(http::field::access_control_allow_origin, envelope.allow_origin);
    res.set(http::field::access_control_expose_headers, "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date");
  }
  res.keep_alive(envelope.keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace localddb::server
