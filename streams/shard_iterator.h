// Shard iterators: the opaque tokens GetShardIterator hands out and GetRecords takes back.
//
// A token carries the stream, the position and when it was issued, sealed with an HMAC under a
// key drawn at start-up, so a client cannot forge a position or an issue time (an iterator is
// valid for 15 minutes, and only in the process that issued it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace localddb::streams {

struct ShardIterator {
  int64_t stream = 0;     // the stream's storage id
  int64_t after = 0;      // deliver records with a sequence number above this
  int64_t issued_ms = 0;  // milliseconds since the epoch
  std::string arn;        // the stream's ARN
};

std::string EncodeShardIterator(const ShardIterator& it);
// nullopt unless the token is one this process issued, unchanged.
std::optional<ShardIterator> DecodeShardIterator(std::string_view token);

}  // namespace localddb::streams
