// The DynamoDB Streams API on the same port (X-Amz-Target DynamoDBStreams_20120810.*):
// ListStreams, DescribeStream, GetShardIterator, GetRecords.
//
// Shard model: one shard per stream, open while the stream is enabled, never split. Its id has
// DynamoDB's form, "shardId-<20 digits>-<8 hex>". Shard iterators: see streams/shard_iterator.h
// (they expire after 15 minutes).
#include <cstdio>

#include "api/catalog/describe.h"
#include "api/input/request.h"
#include "api/ops/handlers.h"
#include "api/value/json_codec.h"
#include "streams/shard_iterator.h"
#include "streams/stream_record.h"

namespace localddb::api {
namespace {

constexpr int64_t kIteratorLifetimeMs = 15 * 60 * 1000;

std::string ShardId(const TableSchema& t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "shardId-%020lld-%08llx", static_cast<long long>(t.stream.created * 1000),
                static_cast<unsigned long long>(t.stream.space) & 0xFFFFFFFFull);
  return buf;
}

// The table whose current stream has this ARN.
TableSchemaPtr FindStream(Context& ctx, std::string_view arn) {
  for (const auto& t : ctx.catalog.List())
    if (!t->stream.label.empty() && t->stream.space != 0 && StreamArn(ctx.settings, *t) == arn) return t;
  throw ApiError::ResourceNotFound("Requested resource not found: Stream: " + std::string(arn) + " not found");
}

std::string_view RequireString(const json::Value& input, const char* name, const char* path, input::Violations& v) {
  auto s = input::String(input, name);
  if (!s) v.Missing(path);
  return s.value_or("");
}

std::string FormatMillis(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

}  // namespace

LOCALDDB_HANDLER(ListStreams) {
  input::RequireObject(input);
  input::Violations v;
  auto table = input::String(input, "TableName");
  input::CheckTableName(table, "tableName", v, false);
  auto limit = input::Integer(input, "Limit");
  if (limit && *limit < 1) v.Add("limit", std::to_string(*limit), "Member must have value greater than or equal to 1");
  if (limit && *limit > 100) v.Add("limit", std::to_string(*limit), "Member must have value less than or equal to 100");
  auto start = input::String(input, "ExclusiveStartStreamArn");
  v.ThrowIfAny();
  if (table && !ctx.catalog.Find(*table))
    throw ApiError::ResourceNotFound("Requested resource not found: Table: " + std::string(*table) + " not found");

  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("Streams");
  w.StartArray();
  bool skipping = start.has_value(), more = false;
  int64_t n = 0;
  std::string last;
  for (const auto& t : ctx.catalog.List()) {
    if (t->stream.label.empty() || t->stream.space == 0 || (table && t->name != *table)) continue;
    const std::string arn = StreamArn(ctx.settings, *t);
    if (skipping) {
      if (arn == *start) skipping = false;
      continue;
    }
    if (limit && n == *limit) {
      more = true;
      break;
    }
    w.StartObject();
    w.Key("StreamArn");
    w.String(arn);
    w.Key("TableName");
    w.String(t->name);
    w.Key("StreamLabel");
    w.String(t->stream.label);
    w.EndObject();
    last = arn;
    ++n;
  }
  w.EndArray();
  if (more) {
    w.Key("LastEvaluatedStreamArn");
    w.String(last);
  }
  w.EndObject();
  respond(Outcome::Ok({buf.GetString(), buf.GetSize()}));
}

LOCALDDB_HANDLER(DescribeStream) {
  input::RequireObject(input);
  input::Violations v;
  std::string_view arn = RequireString(input, "StreamArn", "streamArn", v);
  auto limit = input::Integer(input, "Limit");
  if (limit && *limit < 1) v.Add("limit", std::to_string(*limit), "Member must have value greater than or equal to 1");
  v.ThrowIfAny();
  TableSchemaPtr t = FindStream(ctx, arn);
  auto start_shard = input::String(input, "ExclusiveStartShardId");
  auto [first, last] = ctx.db.reader().StreamBounds(t->stream.space);

  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("StreamDescription");
  w.StartObject();
  w.Key("StreamArn");
  w.String(std::string(arn));
  w.Key("StreamLabel");
  w.String(t->stream.label);
  w.Key("StreamStatus");
  w.String(t->stream.enabled ? "ENABLED" : "DISABLED");
  w.Key("StreamViewType");
  w.String(t->stream.view_type);
  w.Key("CreationRequestDateTime");
  w.Double(t->stream.created);
  w.Key("TableName");
  w.String(t->name);
  w.Key("KeySchema");
  WriteKeySchema(w, t->key);
  w.Key("Shards");
  w.StartArray();
  const std::string shard = ShardId(*t);
  if (!start_shard || *start_shard != shard) {
    w.StartObject();
    w.Key("ShardId");
    w.String(shard);
    w.Key("SequenceNumberRange");
    w.StartObject();
    w.Key("StartingSequenceNumber");
    w.String(streams::FormatSequenceNumber(first ? first : 1));
    if (!t->stream.enabled && last) {
      w.Key("EndingSequenceNumber");
      w.String(streams::FormatSequenceNumber(last));
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  respond(Outcome::Ok({buf.GetString(), buf.GetSize()}));
}

LOCALDDB_HANDLER(GetShardIterator) {
  input::RequireObject(input);
  input::Violations v;
  std::string_view arn = RequireString(input, "StreamArn", "streamArn", v);
  std::string_view shard = RequireString(input, "ShardId", "shardId", v);
  auto type = input::String(input, "ShardIteratorType");
  if (!type) v.Missing("shardIteratorType");
  input::CheckEnum(type, "shardIteratorType", {"TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"}, v);
  auto sequence = input::String(input, "SequenceNumber");
  v.ThrowIfAny();
  TableSchemaPtr t = FindStream(ctx, arn);
  if (shard != ShardId(*t))
    throw ApiError::ResourceNotFound("Requested resource not found: Shard does not exist");
  auto [first, last] = ctx.db.reader().StreamBounds(t->stream.space);
  streams::ShardIterator it{t->stream.space, 0, static_cast<int64_t>(ctx.now() * 1000), std::string(arn)};
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
    if (!seq)
      throw ApiError::Validation("Invalid SequenceNumber: " + std::string(*sequence));
    it.after = *type == "AT_SEQUENCE_NUMBER" ? *seq - 1 : *seq;
  }
  respond(Outcome::Ok("{\"ShardIterator\":\"" + streams::EncodeShardIterator(it) + "\"}"));
}

LOCALDDB_HANDLER(GetRecords) {
  input::RequireObject(input);
  input::Violations v;
  std::string_view token = RequireString(input, "ShardIterator", "shardIterator", v);
  auto limit = input::Integer(input, "Limit");
  if (limit && *limit < 1) v.Add("limit", std::to_string(*limit), "Member must have value greater than or equal to 1");
  if (limit && *limit > 1000) v.Add("limit", std::to_string(*limit), "Member must have value less than or equal to 1000");
  v.ThrowIfAny();
  auto it = streams::DecodeShardIterator(token);
  if (!it) throw ApiError::Validation("Invalid ShardIterator");
  const int64_t now_ms = static_cast<int64_t>(ctx.now() * 1000);
  if (now_ms - it->issued_ms > kIteratorLifetimeMs)
    throw ApiError("ExpiredIteratorException",
                   "Iterator expired. The iterator was created at time " + FormatMillis(it->issued_ms) +
                       " while right now it is " + FormatMillis(now_ms) +
                       " which is further in the future than the tolerated delay of 900000 milliseconds.");
  TableSchemaPtr t = FindStream(ctx, it->arn);
  if (t->stream.space != it->stream)
    throw ApiError::ResourceNotFound("Requested resource not found: Stream: " + it->arn + " not found");
  auto [first, last] = ctx.db.reader().StreamBounds(t->stream.space);
  (void)last;
  if (first && it->after + 1 < first && it->after != 0)
    throw ApiError("TrimmedDataAccessException",
                   "The operation attempted to read past the oldest stream record in a shard.");

  const int64_t max = limit.value_or(1000);
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("Records");
  w.StartArray();
  int64_t n = 0, after = it->after;
  ctx.db.reader().ReadStream(t->stream.space, it->after, [&](int64_t seq, double, std::string_view record) {
    json::WriteRaw(w, buf, record);
    after = seq;
    return ++n < max;
  });
  w.EndArray();
  // A disabled stream's shard is closed: once drained, no next iterator.
  if (t->stream.enabled || n > 0) {
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
