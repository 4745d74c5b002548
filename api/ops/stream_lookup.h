// What the DynamoDB Streams operations share: finding a stream by its ARN, and its one shard.
//
// Shard model: one shard per stream, open while the stream is enabled, never split. Its id has
// DynamoDB's form, "shardId-<20 digits>-<8 hex>". Shard iterators: see streams/shard_iterator.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/context.h"
#include "api/input/request.h"

namespace localddb::api {

// A stream found by its ARN: the table's current stream or one it had before (past_streams).
struct FoundStream {
  TableSchemaPtr table;
  const StreamSettings* stream = nullptr;  // within *table
};
// The stream with this ARN, or DynamoDB Streams' ResourceNotFoundException.
FoundStream FindStream(const Context& ctx, std::string_view arn);

// Every stream a table still has, oldest first (the past ones, then the current one): the order
// of their ARNs, whose labels are creation times.
std::vector<const StreamSettings*> StreamsOf(const TableSchema& t);

// A required string member (its violation added to v when absent).
std::string_view RequireString(const json::Value& input, const char* name, const char* path, input::Violations& v);

}  // namespace localddb::api
