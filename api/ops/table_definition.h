// Reading the table-definition parts of CreateTable and UpdateTable requests (KeySchema,
// AttributeDefinitions, index definitions, throughput, streams) with DynamoDB's validation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/catalog/table_schema.h"
#include "api/context.h"
#include "api/input/request.h"
#include "api/json.h"

namespace localddb::api {

// A CreateTable request read and validated into the table it defines (no ids yet). Throws
// DynamoDB's errors, as CreateTable answers them.
std::shared_ptr<TableSchema> ReadTableDefinition(const Context& ctx, const json::Value& input);
// On the writer thread: gives the table its storage ids, writes its catalog row and publishes it
// (ResourceInUseException if a table of that name exists). Undo on failure: catalog.Remove(name).
void CreateTableInTxn(Context& ctx, storage::WriteTxn& txn, const std::shared_ptr<TableSchema>& schema);

// A KeySchema array as sent: (name, "HASH"/"RANGE") pairs, checked for shape and constraints.
struct RawKeyElement {
  std::string name;
  std::string key_type;
};
// A GSI's KeySchema may hold up to 4 HASH and 4 RANGE elements (multi-attribute keys); a table's
// or an LSI's at most one of each.
constexpr size_t kMaxKeyElements = 2, kMaxGlobalIndexKeyElements = 8, kMaxKeyPartAttributes = 4;
std::vector<RawKeyElement> ReadKeySchema(const json::Value* arr, const std::string& path, input::Violations& v,
                                         bool required = true, size_t max_elements = kMaxKeyElements);

// Turns raw elements into a KeySchema, typing each attribute from the definitions. Throws
// DynamoDB's messages for a missing HASH first, a second element that isn't RANGE, and
// attributes missing from AttributeDefinitions. index_name is empty for the table's own key.
// multi_attribute (GSIs): several HASH elements, then several RANGE elements, 4 of each at most.
KeySchema ResolveKeySchema(const std::vector<RawKeyElement>& raw, const std::vector<KeyAttribute>& definitions,
                           const std::string& index_name, bool multi_attribute = false);

std::vector<KeyAttribute> ReadAttributeDefinitions(const json::Value* arr, const std::string& path,
                                                   input::Violations& v);

// A Projection object; throws for NonKeyAttributes rules.
Projection ReadProjection(const json::Value* obj, const std::string& path, input::Violations& v);

// ProvisionedThroughput {ReadCapacityUnits, WriteCapacityUnits}; nullopt if absent.
std::optional<Throughput> ReadThroughput(const json::Value* obj, const std::string& path, input::Violations& v);

// WarmThroughput {ReadUnitsPerSecond, WriteUnitsPerSecond}, each at least 1; nullopt if absent.
std::optional<WarmThroughput> ReadWarmThroughput(const json::Value* obj, const std::string& path, input::Violations& v);
// Warm throughput only grows: the larger of what a table or index has and what is asked for.
WarmThroughput Raised(const WarmThroughput& current, const WarmThroughput& asked);

// StreamSpecification; nullopt if absent.
struct StreamRequest {
  bool enabled = false;
  std::optional<std::string> view_type;
};
std::optional<StreamRequest> ReadStreamSpecification(const json::Value* obj, const std::string& path,
                                                     input::Violations& v);

// OnDemandThroughput {MaxReadRequestUnits, MaxWriteRequestUnits} into the schema, if present.
void ReadOnDemandThroughput(const json::Value& input, TableSchema& t);

// A new stream label: the current UTC time with milliseconds, e.g. "2026-11-25T04:30:00.123".
std::string NewStreamLabel(double now);
// A random version-4 UUID, for TableId.
std::string NewUuid();

}  // namespace localddb::api
