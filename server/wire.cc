#include "server/wire.h"

#include <zlib.h>

#include <random>

namespace localddb::server {

uint32_t BodyCrc32(std::string_view body) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
}

std::string NewRequestId() {
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string id(52, 'A');
  uint64_t bits = 0;
  for (int i = 0; i < 52; ++i) {
    if (i % 10 == 0) bits = rng();
    id[i] = kChars[bits % 36];
    bits /= 36;
  }
  return id;
}

}  // namespace localddb::server
