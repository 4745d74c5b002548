// DynamoDB's HTTP envelope: the response headers every answer carries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace localddb::server {

// CRC32 (zlib) of the body, sent as x-amz-crc32 in decimal; botocore verifies it.
uint32_t BodyCrc32(std::string_view body);
// A request id in DynamoDB's form: 52 characters of [A-Z0-9].
std::string NewRequestId();

constexpr std::string_view kJsonContentType = "application/x-amz-json-1.0";

}  // namespace localddb::server
