// Reading TableName from a request and finding the table, with DynamoDB's messages.
#pragma once

#include "api/input/request.h"
#include "api/ops/operation.h"

namespace localddb::api {

// Reads and validates TableName (throws the collected ValidationException if it is bad).
std::string_view RequireTableName(const json::Value& input);

// The table a TableName member names: a name as is, or the name inside a table ARN
// (arn:aws:dynamodb:<region>:<account>:table/<name>), which the newer operations accept too.
std::string TableNameOf(std::string_view name_or_arn);

// Table-level operations name the table in their not-found message:
// "Requested resource not found: Table: <name> not found".
TableSchemaPtr RequireTableForTableOp(Context& ctx, std::string_view name);

}  // namespace localddb::api
