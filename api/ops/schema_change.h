// Replacing a table's schema (tags, TTL settings, ...): the catalog row is rewritten by the
// writer and the in-memory catalog swapped in the same step, refusing if the table changed or
// vanished meanwhile.
#pragma once

#include <functional>

#include "api/ops/operation.h"

namespace localddb::api {

// also: more writer work in the same transaction (e.g. building or dropping the TTL index).
void SubmitSchemaChange(Context& ctx, Respond respond, TableSchemaPtr current, std::shared_ptr<TableSchema> next,
                        std::function<std::string()> output,
                        std::function<void(storage::WriteTxn&, const TableSchema& next)> also = {});

// The table named by a table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>). A string
// that is no table ARN is a ValidationException ("Invalid TableArn: ..."); a table that does not
// exist is DynamoDB's ResourceNotFoundException, or, when denied_action is given (the IAM action,
// e.g. "ListTagsOfResource"), the AccessDeniedException DynamoDB answers that operation with.
TableSchemaPtr RequireTableByArn(Context& ctx, std::string_view arn, std::string_view denied_action = {});

}  // namespace localddb::api
