#include "server/body_crc32.h"

#include <zlib.h>

#include <cstddef>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define LOCALDDB_CLMUL_CRC 1
#endif

namespace localddb::server {
namespace {

uint32_t Zlib(uint32_t crc, const char* data, size_t size) {
  // zlib takes at most a uInt at a time.
  while (size > 0) {
    const uInt n = static_cast<uInt>(size > (1u << 30) ? (1u << 30) : size);
    crc = static_cast<uint32_t>(crc32(crc, reinterpret_cast<const Bytef*>(data), n));
    data += n;
    size -= n;
  }
  return crc;
}

#ifdef LOCALDDB_CLMUL_CRC

// The folding constants of the bit-reflected CRC-32 polynomial 0x04C11DB7, from the paper: x^(k)
// mod P for the distances folded over (4 x 128 bits, then 128 bits), the 64-to-32-bit step, and
// P with its Barrett constant mu.
constexpr uint64_t kFold512Low = 0x154442bd4, kFold512High = 0x1c6e41596;
constexpr uint64_t kFold128Low = 0x1751997d0, kFold128High = 0x0ccaa009e;
constexpr uint64_t kFold64 = 0x163cd6124;
constexpr uint64_t kPoly = 0x1db710641, kMu = 0x1f7011641;

// Folds `acc` forward over 128 bits times the distance the constants encode, and adds `next`.
__attribute__((target("pclmul,sse4.1"))) inline __m128i Fold(__m128i acc, __m128i constants, __m128i next) {
  const __m128i low = _mm_clmulepi64_si128(acc, constants, 0x00);
  const __m128i high = _mm_clmulepi64_si128(acc, constants, 0x11);
  return _mm_xor_si128(_mm_xor_si128(low, high), next);
}

__attribute__((target("pclmul,sse4.1"))) inline __m128i Load(const char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// The CRC register (not inverted) after `size` bytes, a multiple of 16 and at least 64.
__attribute__((target("pclmul,sse4.1"))) uint32_t FoldBlocks(uint32_t crc, const char* p, size_t size) {
  // Four lanes of 128 bits, the register folded into the first.
  __m128i lane0 = _mm_xor_si128(Load(p), _mm_cvtsi32_si128(static_cast<int>(crc)));
  __m128i lane1 = Load(p + 16), lane2 = Load(p + 32), lane3 = Load(p + 48);
  p += 64;
  size -= 64;
  const __m128i by512 = _mm_set_epi64x(static_cast<long long>(kFold512High), static_cast<long long>(kFold512Low));
  for (; size >= 64; p += 64, size -= 64) {
    lane0 = Fold(lane0, by512, Load(p));
    lane1 = Fold(lane1, by512, Load(p + 16));
    lane2 = Fold(lane2, by512, Load(p + 32));
    lane3 = Fold(lane3, by512, Load(p + 48));
  }
  // The four lanes into one, then the remaining 16-byte blocks.
  const __m128i by128 = _mm_set_epi64x(static_cast<long long>(kFold128High), static_cast<long long>(kFold128Low));
  __m128i acc = Fold(lane0, by128, lane1);
  acc = Fold(acc, by128, lane2);
  acc = Fold(acc, by128, lane3);
  for (; size >= 16; p += 16, size -= 16) acc = Fold(acc, by128, Load(p));

  // 128 bits to 64: the low half times x^64 mod P, added to the high half.
  const __m128i low32_mask = _mm_setr_epi32(-1, 0, -1, 0);
  __m128i folded = _mm_xor_si128(_mm_srli_si128(acc, 8), _mm_clmulepi64_si128(acc, by128, 0x10));
  // 64 bits to 32 (plus 32): the low word times x^32 mod P, added to the rest.
  const __m128i by64 = _mm_set_epi64x(0, static_cast<long long>(kFold64));
  folded =
      _mm_xor_si128(_mm_srli_si128(folded, 4), _mm_clmulepi64_si128(_mm_and_si128(folded, low32_mask), by64, 0x00));
  // Barrett reduction to the 32-bit remainder.
  const __m128i poly_mu = _mm_set_epi64x(static_cast<long long>(kMu), static_cast<long long>(kPoly));
  __m128i t = _mm_clmulepi64_si128(_mm_and_si128(folded, low32_mask), poly_mu, 0x10);
  t = _mm_clmulepi64_si128(_mm_and_si128(t, low32_mask), poly_mu, 0x00);
  return static_cast<uint32_t>(_mm_extract_epi32(_mm_xor_si128(folded, t), 1));
}

bool HaveClmul() {
  static const bool have = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  return have;
}

#endif

}  // namespace

uint32_t BodyCrc32Reference(std::string_view body) { return Zlib(0, body.data(), body.size()); }

uint32_t BodyCrc32(std::string_view body) {
#ifdef LOCALDDB_CLMUL_CRC
  // Below a few blocks the setup costs more than zlib's table walk.
  if (body.size() >= 256 && HaveClmul()) {
    const size_t folded = body.size() & ~size_t{15};
    // zlib's crc32 inverts the register before and after; the fold works on the register itself.
    const uint32_t crc = ~FoldBlocks(~0u, body.data(), folded);
    return Zlib(crc, body.data() + folded, body.size() - folded);
  }
#endif
  return BodyCrc32Reference(body);
}

}  // namespace localddb::server
