// The carry-less-multiply CRC32 against zlib's, for every length up to a few kilobytes (each
// tail length, each number of 64-byte blocks) and at every alignment, on random bytes.
#include "server/body_crc32.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>

using localddb::server::BodyCrc32;
using localddb::server::BodyCrc32Reference;

TEST_CASE("BodyCrc32 equals zlib's CRC32 for every length and alignment") {
  std::mt19937 rng(7);
  std::string bytes(70000, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  for (size_t offset = 0; offset < 16; ++offset)
    for (size_t size = 0; size <= 2100; ++size) {
      const std::string_view body(bytes.data() + offset, size);
      REQUIRE(BodyCrc32(body) == BodyCrc32Reference(body));
    }
  for (size_t size : {4096u, 65535u, 65536u, 69984u}) {
    const std::string_view body(bytes.data() + 1, size);
    CHECK(BodyCrc32(body) == BodyCrc32Reference(body));
  }
}

TEST_CASE("BodyCrc32 of known strings") {
  CHECK(BodyCrc32("") == 0u);
  CHECK(BodyCrc32("123456789") == 0xCBF43926u);  // CRC-32's check value
  // A body long enough for the folding path: 1,000 'a's (zlib.crc32 of it).
  CHECK(BodyCrc32(std::string(1000, 'a')) == 2587417091u);
  CHECK(BodyCrc32(R"({"Items":[],"Count":0,"ScannedCount":0})") ==
        BodyCrc32Reference(R"({"Items":[],"Count":0,"ScannedCount":0})"));
}
