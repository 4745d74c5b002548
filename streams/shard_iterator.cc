#include "streams/shard_iterator.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <stdexcept>

#include "api/value/json_codec.h"

namespace localddb::streams {
namespace {

constexpr std::string_view kVersion = "v2|";
constexpr size_t kTagBytes = 16;  // a truncated HMAC-SHA256

const std::array<unsigned char, 32>& Key() {
  static const std::array<unsigned char, 32> key = [] {
    std::array<unsigned char, 32> k{};
    if (RAND_bytes(k.data(), static_cast<int>(k.size())) != 1)
      throw std::runtime_error("no random bytes for the iterator key");
    return k;
  }();
  return key;
}

std::string Tag(std::string_view payload) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), Key().data(), static_cast<int>(Key().size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), kTagBytes);
}

// Reads one '|'-terminated decimal field; false unless it is a whole int64.
bool Field(std::string_view& rest, int64_t* out) {
  const size_t bar = rest.find('|');
  if (bar == std::string_view::npos) return false;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + bar, *out);
  if (ec != std::errc() || end != rest.data() + bar) return false;
  rest.remove_prefix(bar + 1);
  return true;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::string EncodeShardIterator(const ShardIterator& it) {
  std::string payload = std::string(kVersion) + std::to_string(it.stream) + "|" + std::to_string(it.after) + "|" +
                        std::to_string(it.issued_ms) + "|" + it.arn;
  return value::Base64Encode(payload + Tag(payload));
}

std::optional<ShardIterator> DecodeShardIterator(std::string_view token) {
  std::string raw;
  if (token.size() > 4096 || !value::Base64Decode(token, &raw) || raw.size() < kVersion.size() + kTagBytes)
    return std::nullopt;
  std::string_view payload(raw.data(), raw.size() - kTagBytes);
  if (!ConstantTimeEqual(Tag(payload), std::string_view(raw).substr(payload.size()))) return std::nullopt;
  if (!payload.starts_with(kVersion)) return std::nullopt;
  payload.remove_prefix(kVersion.size());
  ShardIterator it;
  if (!Field(payload, &it.stream) || !Field(payload, &it.after) || !Field(payload, &it.issued_ms)) return std::nullopt;
  it.arn = std::string(payload);
  return it;
}

}  // namespace localddb::streams
