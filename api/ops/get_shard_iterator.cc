// GetShardIterator: an iterator at the trim horizon, the latest record or a sequence number (DynamoDB Streams).
#include "api/catalog/describe.h"
#include "api/ops/handlers.h"
#include "api/ops/stream_lookup.h"
#include "streams/shard_iterator.h"
#include "streams/stream_record.h"

namespace localddb::api {

void GetShardIterator(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  std::string_view arn = RequireString(input, "StreamArn", "streamArn", v);
  std::string_view shard = RequireString(input, "ShardId", "shardId", v);
  auto type = input::String(input, "ShardIteratorType");
  if (!type) v.Missing("shardIteratorType");
  input::CheckEnum(type, "shardIteratorType", {"TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"},
                   v);
  auto sequence = input::String(input, "SequenceNumber");
  input::CheckLength(input::String(input, "StreamArn"), "streamArn", 37, 1024, v);
  input::CheckLength(input::String(input, "ShardId"), "shardId", 28, 65, v);
  input::CheckLength(sequence, "sequenceNumber", 21, 40, v);
  v.ThrowIfAny();
  const FoundStream found = FindStream(ctx, arn);
  const StreamSettings& stream = *found.stream;
  if (shard != ShardId(stream)) throw ApiError::ResourceNotFound("Requested resource not found: Shard does not exist");
  auto [first, last] = ctx.db.reader().StreamBounds(stream.space);
  streams::ShardIterator it{stream.space, 0, static_cast<int64_t>(ctx.now() * 1000), std::string(arn)};
  if (*type == "TRIM_HORIZON") {
    it.after = first ? first - 1 : 0;
  } else if (*type == "LATEST") {
    it.after = last;
    if (!last) {
      // Nothing recorded yet: LATEST is "from the next record on"; every record will be newer.
      it.after = 0;
    }
  } else {
    if (!sequence)
      throw ApiError::Validation("Must specify SequenceNumber when ShardIteratorType is " + std::string(*type));
    auto seq = streams::ParseSequenceNumber(*sequence);
    if (!seq) throw ApiError::Validation("Invalid SequenceNumber: " + std::string(*sequence));
    it.after = *type == "AT_SEQUENCE_NUMBER" ? *seq - 1 : *seq;
  }
  respond(Outcome::Ok("{\"ShardIterator\":\"" + streams::EncodeShardIterator(it) + "\"}"));
}

}  // namespace localddb::api
