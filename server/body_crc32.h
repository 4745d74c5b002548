// CRC-32 (the gzip/zlib polynomial, as DynamoDB's x-amz-crc32 header and SDKs use it) of a response
// body. zlib's crc32 costs ~3.6 instructions a byte: a quarter of every Query's instructions went
// there. On x86-64 processors with PCLMULQDQ this folds the body 64 bytes at a time with carry-less
// multiplication (Intel, "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ
// Instruction", 2009) and leaves the last bytes and short bodies to zlib; elsewhere it is zlib's.
#pragma once

#include <cstdint>
#include <string_view>

namespace localddb::server {

uint32_t BodyCrc32(std::string_view body);

// The same, always through zlib: what the fast path is tested against.
uint32_t BodyCrc32Reference(std::string_view body);

}  // namespace localddb::server
