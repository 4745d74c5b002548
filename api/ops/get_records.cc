// GetRecords: the records after an iterator's position, and the next iterator (DynamoDB Streams).
#include <ctime>

#include "api/ops/handlers.h"
#include "api/ops/stream_lookup.h"
#include "streams/shard_iterator.h"

namespace localddb::api {
namespace {

constexpr int64_t kIteratorLifetimeMs = 15 * 60 * 1000;

std::string FormatMillis(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

}  // namespace

void GetRecords(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  std::string_view token = RequireString(input, "ShardIterator", "shardIterator", v);
  auto limit = input::Integer(input, "Limit");
  input::CheckLength(input::String(input, "ShardIterator"), "shardIterator", 1, 2048, v);
  input::CheckRange(limit, "limit", 1, 1000, v);
  v.ThrowIfAny();
  auto it = streams::DecodeShardIterator(token);
  if (!it) throw ApiError::Validation("Invalid ShardIterator");
  const int64_t now_ms = static_cast<int64_t>(ctx.now() * 1000);
  if (now_ms - it->issued_ms > kIteratorLifetimeMs)
    throw ApiError(ErrorKind::kExpiredIterator,
                   "Iterator expired. The iterator was created at time " + FormatMillis(it->issued_ms) +
                       " while right now it is " + FormatMillis(now_ms) +
                       " which is further in the future than the tolerated delay of 900000 milliseconds.");
  const FoundStream found = FindStream(ctx, it->arn);
  const StreamSettings& stream = *found.stream;
  if (stream.space != it->stream)
    throw ApiError::ResourceNotFound("Requested resource not found: Stream: " + it->arn + " not found");
  auto [first, last] = ctx.db.reader().StreamBounds(stream.space);
  (void)last;
  if (first && it->after + 1 < first && it->after != 0)
    throw ApiError(ErrorKind::kTrimmedDataAccess,
                   "The operation attempted to read past the oldest stream record in a shard.");

  const int64_t max = limit.value_or(1000);
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("Records");
  w.StartArray();
  int64_t n = 0, after = it->after;
  ctx.db.reader().ReadStream(stream.space, it->after, [&](int64_t seq, double, std::string_view record) {
    json::WriteRaw(w, buf, record);
    after = seq;
    return ++n < max;
  });
  w.EndArray();
  // A disabled stream's shard is closed: once drained, no next iterator.
  if (stream.enabled || n > 0) {
    streams::ShardIterator next = *it;
    next.after = after;
    next.issued_ms = now_ms;
    w.Key("NextShardIterator");
    w.String(streams::EncodeShardIterator(next));
  }
  w.EndObject();
  respond(Outcome::Ok({buf.GetString(), buf.GetSize()}));
}

}  // namespace localddb::api
