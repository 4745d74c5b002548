// DynamoDB's TableDescription for a table, built from its schema and live counts.
#pragma once

#include <string>

#include "api/catalog/table_schema.h"
#include "api/context.h"
#include "api/json.h"

namespace localddb::api {

std::string TableArn(const Settings& s, std::string_view table);
std::string StreamArn(const Settings& s, const TableSchema& t);  // of its current stream
std::string StreamArn(const Settings& s, std::string_view table, const StreamSettings& stream);
// Whether a string has the shape of a table ARN (arn:<partition>:dynamodb:<region>:<account>:
// table/<name>, the name as CreateTable allows it; an index's ARN is not one) or of a stream ARN
// (a table ARN then /stream/<label>), whatever region, account or table it names.
bool IsTableArn(std::string_view arn);
bool IsStreamArn(std::string_view arn);
// The id of the table's current stream's one shard, in DynamoDB's form "shardId-<20 digits>-<8 hex>"
// (one shard per stream, open while the stream is enabled, never split).
std::string ShardId(const TableSchema& t);
std::string ShardId(const StreamSettings& stream);

// Writes the TableDescription object. status is TableStatus (ACTIVE, CREATING, DELETING, ...).
// With counts, ItemCount / TableSizeBytes (and the indexes') come from storage; without, zero.
void WriteTableDescription(json::Writer& w, Context& ctx, const TableSchema& t, std::string_view status,
                           bool counts = true);

// The KeySchema array: [{"AttributeName":..., "KeyType":"HASH"}, ...].
void WriteKeySchema(json::Writer& w, const KeySchema& k);

}  // namespace localddb::api
