// The Return* members item operations share (ReturnValues, ReturnConsumedCapacity,
// ReturnItemCollectionMetrics), and writing the parts of their output those ask for.
#pragma once

#include <optional>
#include <string>

#include "api/input/request.h"
#include "api/ops/operation.h"
#include "api/write/capacity.h"
#include "api/write/item_writer.h"

namespace localddb::api {

enum class ReturnValues { kNone, kAllOld, kUpdatedOld, kAllNew, kUpdatedNew };

struct ItemRequestOptions {
  ReturnValues return_values = ReturnValues::kNone;
  CapacityMode capacity = CapacityMode::kNone;
  bool collection_metrics = false;  // ReturnItemCollectionMetrics=SIZE
};

// Reads ReturnConsumedCapacity (enum [INDEXES, TOTAL, NONE]).
CapacityMode ReadCapacityMode(const json::Value& input, input::Violations& v);

// Reads the three Return* members into options, adding violations.
ItemRequestOptions ReadItemRequestOptions(const json::Value& input, input::Violations& v);
// Just ReturnValues.
void ReadReturnValues(const json::Value& input, input::Violations& v, ItemRequestOptions& o);

// "Attributes", "ConsumedCapacity" and "ItemCollectionMetrics" of a single-item write's output.
struct WriteOutput {
  const value::Item* attributes = nullptr;       // ReturnValues result, if any
  const std::string* attributes_json = nullptr;  // or its stored JSON
  Consumed consumed;
  std::optional<std::string> collection_key_json;  // {"pk":{...}} when metrics apply
};
std::string BuildWriteOutput(const ItemRequestOptions& o, const WriteOutput& out);

// Consumed write capacity of one WriteResult: the larger item size on the table, plus indexes.
Consumed WriteConsumed(const TableSchema& t, const WriteResult& r, size_t new_size);

}  // namespace localddb::api
