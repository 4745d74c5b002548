// A PartiQL statement as the DynamoDB request it stands for: SELECT becomes a Query when its
// WHERE fixes the partition key (the sort-key condition narrowing the range, the rest a filter),
// a Scan otherwise; INSERT a PutItem that must not overwrite; UPDATE an UpdateItem on an item
// that must exist; DELETE a DeleteItem; EXISTS a transaction's ConditionCheck. Names and values
// travel as ExpressionAttributeNames/Values (#p0, :p0), so no name is ever a reserved word.
#pragma once

#include <optional>
#include <string>

#include "api/catalog/table_schema.h"
#include "api/partiql/statement.h"

namespace localddb::api::partiql {

// The request members an operation's body is built from, as JSON text, without braces:
// "\"TableName\":\"t\",\"KeyConditionExpression\":\"#p0 = :p0\",..."
struct Translation {
  std::string operation;  // Query, Scan, GetItem, PutItem, UpdateItem, DeleteItem, ConditionCheck
  std::string members;
};

struct ReadOptions {
  std::optional<int64_t> limit;
  bool consistent = false;
  std::string exclusive_start_key;  // JSON, or empty
};

// SELECT as a Query or a Scan.
Translation Select(const Statement& st, const TableSchema& table, const ReadOptions& options);

// A statement naming one item by its full primary key (UPDATE, DELETE, EXISTS, and SELECT inside
// batches and transactions): GetItem, UpdateItem, DeleteItem or ConditionCheck members. Throws
// DynamoDB's ValidationException when the WHERE does not fix every key attribute with '='.
Translation Keyed(const Statement& st, const TableSchema& table);

// INSERT as PutItem members (the condition that the key is new included).
Translation Insert(const Statement& st, const TableSchema& table);

}  // namespace localddb::api::partiql
