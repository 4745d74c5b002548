// The page loop shared by Query and Scan: walk a storage range in order, count what is read toward
// the 1 MB page limit and Limit (before the filter, as DynamoDB does), filter, project, and build
// the response with Count, ScannedCount, LastEvaluatedKey and ConsumedCapacity.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/catalog/table_schema.h"
#include "api/expr/ast.h"
#include "api/input/request.h"
#include "api/ops/expression_input.h"
#include "api/ops/operation.h"
#include "api/write/capacity.h"
#include "storage/database.h"

namespace localddb::api {

enum class Select { kAllAttributes, kAllProjected, kSpecific, kCount };

struct PagedRead {
  TableSchemaPtr table;
  const SecondaryIndex* index = nullptr;  // reading an index rather than the table
  storage::Range range;
  std::optional<expr::Node> filter;
  std::optional<std::vector<expr::Path>> projection;
  Select select = Select::kAllAttributes;
  std::optional<int64_t> limit;
  bool consistent = false;
  CapacityMode capacity = CapacityMode::kNone;
};

// Reads Select, Limit, ConsistentRead, ReturnConsumedCapacity, IndexName, ProjectionExpression /
// AttributesToGet and FilterExpression / <legacy_filter>, and checks their combinations. Sets
// read.table, read.index and read.range.space; throws DynamoDB's errors.
// before_lookup runs after the request's own checks and before the table is looked up: Query
// parses its key condition there, because DynamoDB reports key-condition errors ahead of a
// missing table.
void ReadPagedRequest(Context& ctx, const json::Value& input, RequestExpressions& expressions,
                      const char* legacy_filter, PagedRead& read, input::Violations& v,
                      const std::function<void()>& before_lookup = {});

// Decodes ExclusiveStartKey into read.range.after (validated against the table/index key schema).
void ApplyExclusiveStartKey(const json::Value& input, PagedRead& read);

// Runs the read and returns the response body.
std::string RunPagedRead(Context& ctx, const PagedRead& read);

}  // namespace localddb::api
