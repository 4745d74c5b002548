// What the DynamoDB Streams operations share: finding a stream by its ARN, and its one shard.
//
// Shard model: one shard per stream, open while the stream is enabled, never split. Its id has
// DynamoDB's form, "shardId-<20 digits>-<8 hex>". Shard iterators: see streams/shard_iterator.h.
#pragma once

#include <string>
#include <string_view>

#include "api/context.h"
#include "api/input/request.h"

namespace localddb::api {

// The table whose current stream has this ARN, or DynamoDB Streams' ResourceNotFoundException.
TableSchemaPtr FindStream(const Context& ctx, std::string_view arn);

// A required string member (its violation added to v when absent).
std::string_view RequireString(const json::Value& input, const char* name, const char* path, input::Violations& v);

}  // namespace localddb::api
