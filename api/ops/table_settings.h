// Settings DynamoDB keeps per table that localddb stores and describes without acting on them:
// resource policies (table and stream ARNs), Contributor Insights (per table and index) and
// Kinesis streaming destinations. They live in TableSchema::settings_json and change through
// SubmitSchemaChange like any schema change, so they persist and go with DeleteTable.
#pragma once

#include <functional>
#include <string>

#include "api/input/request.h"
#include "api/ops/operation.h"

namespace localddb::api {

// Runs edit on a copy of the table's settings document; if it returns true, the new document is
// written (as a schema change) and respond gets output(); otherwise output() is answered at once.
void ChangeTableSettings(Context& ctx, Respond respond, TableSchemaPtr table,
                         const std::function<bool(json::Document&)>& edit, std::function<std::string()> output);

// The table's settings document, parsed (an object, possibly empty).
void ReadTableSettings(const TableSchema& table, json::Document& doc);

// The member of doc named key, made an object or array if it is not one yet.
json::Value& SettingsObject(json::Document& doc, const char* key);
json::Value& SettingsArray(json::Document& doc, const char* key);

// The table a table or stream ARN names; ResourceNotFoundException as DynamoDB words it otherwise.
TableSchemaPtr RequireTableOfArn(Context& ctx, std::string_view arn);

// Reads TableName (a name or table ARN) and finds the table: ResourceNotFoundException otherwise.
// more adds the operation's other model constraints, reported with the name's and before the
// lookup, as DynamoDB validates a request before it looks at any table.
TableSchemaPtr RequireNamedTable(Context& ctx, const json::Value& input,
                                 const std::function<void(input::Violations&)>& more = {});

}  // namespace localddb::api
