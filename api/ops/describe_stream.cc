// DescribeStream: a stream and its one shard (DynamoDB Streams).
#include <limits>

#include "api/catalog/describe.h"
#include "api/ops/handlers.h"
#include "api/ops/stream_lookup.h"
#include "streams/stream_record.h"

namespace localddb::api {

void DescribeStream(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  std::string_view arn = RequireString(input, "StreamArn", "streamArn", v);
  input::CheckLength(input::String(input, "StreamArn"), "streamArn", 37, 1024, v);
  auto limit = input::Integer(input, "Limit");
  input::CheckRange(limit, "limit", 1, std::numeric_limits<int64_t>::max(), v);
  input::CheckLength(input::String(input, "ExclusiveStartShardId"), "exclusiveStartShardId", 28, 65, v);
  // ShardFilter {Type: CHILD_SHARDS, ShardId}: the shards whose parent is ShardId. A localddb
  // stream has one shard that never splits, so no shard has children.
  const json::Value* filter = input::Object(input, "ShardFilter");
  if (filter) {
    auto type = input::String(*filter, "Type");
    if (!type) v.Missing("shardFilter.type");
    input::CheckEnum(type, "shardFilter.type", {"CHILD_SHARDS"}, v);
    input::CheckLength(input::String(*filter, "ShardId"), "shardFilter.shardId", 28, 65, v);
  }
  v.ThrowIfAny();
  const FoundStream found = FindStream(ctx, arn);
  const TableSchema* t = found.table.get();
  const StreamSettings& stream = *found.stream;
  auto start_shard = input::String(input, "ExclusiveStartShardId");
  auto [first, last] = ctx.db.reader().StreamBounds(stream.space);

  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("StreamDescription");
  w.StartObject();
  w.Key("StreamArn");
  w.String(std::string(arn));
  w.Key("StreamLabel");
  w.String(stream.label);
  w.Key("StreamStatus");
  w.String(stream.enabled ? "ENABLED" : "DISABLED");
  w.Key("StreamViewType");
  w.String(stream.view_type);
  w.Key("CreationRequestDateTime");
  w.Double(stream.created);
  w.Key("TableName");
  w.String(t->name);
  w.Key("KeySchema");
  WriteKeySchema(w, t->key);
  w.Key("Shards");
  w.StartArray();
  const std::string shard = ShardId(stream);
  if (!filter && (!start_shard || *start_shard != shard)) {
    w.StartObject();
    w.Key("ShardId");
    w.String(shard);
    w.Key("SequenceNumberRange");
    w.StartObject();
    w.Key("StartingSequenceNumber");
    w.String(streams::FormatSequenceNumber(first ? first : 1));
    if (!stream.enabled && last) {
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

}  // namespace localddb::api
