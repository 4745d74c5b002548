// Reading TableName from a request and finding the table, with DynamoDB's messages.
#pragma once

#include "api/input/request.h"
#include "api/ops/operation.h"

namespace localddb::api {

// Reads and validates TableName (throws the collected ValidationException if it is bad).
std::string_view RequireTableName(const json::Value& input);

// Table-level operations name the table in their not-found message:
// "Requested resource not found: Table: <name> not found".
TableSchemaPtr RequireTableForTableOp(Context& ctx, std::string_view name);

}  // namespace localddb::api
