// Conversion between DynamoDB's wire JSON ({"S": "x"}, {"M": {...}}, ...) and AttributeValue.
//
// Parsing validates as DynamoDB does and throws api::ApiError (ValidationException or
// SerializationException) with DynamoDB's exact message: unknown or multiple type keys, empty sets,
// duplicate set members, invalid numbers, bad base64, nesting deeper than 32 levels, NULL/BOOL
// values of the wrong JSON type. Writing produces canonical JSON: numbers in DynamoDB's canonical
// form, B as base64.
#pragma once

#include <string>
#include <string_view>

#include "api/error.h"
#include "api/json.h"
#include "api/value/attribute_value.h"

namespace localddb::value {

// DynamoDB checks attribute values in one of two layers, and the operation decides which, and so
// the wording of a bad number or a duplicate set member (captured from DynamoDB, 2026):
//   kEnveloped  PutItem, UpdateItem, DeleteItem: current wording inside
//               "1 validation error detected: "
//   kBare       GetItem, BatchGetItem, Query and the rest: current wording, no envelope
//   kOlder      BatchWriteItem, Scan: the older wording, and expression values wrapped in
//               "ExpressionAttributeValues contains invalid value: ... for key :v"
enum class ValueLayer { kEnveloped, kBare, kOlder };
// The layer for this thread's current request; kBare unless an operation says otherwise.
ValueLayer CurrentValueLayer();
class ScopedValueLayer {
 public:
  explicit ScopedValueLayer(ValueLayer layer);
  ~ScopedValueLayer();
  ScopedValueLayer(const ScopedValueLayer&) = delete;
  ScopedValueLayer& operator=(const ScopedValueLayer&) = delete;

 private:
  ValueLayer saved_;
};

// DynamoDB's error for attribute values nested beyond 32 levels, in the current layer's wording.
api::ApiError NestingLimitExceeded();

// v is one AttributeValue object, e.g. {"S": "x"}.
AttributeValue ParseAttributeValue(const json::Value& v);
// An ExpressionAttributeValues value. DynamoDB limits nesting only in what it stores (a SET that
// stores it is checked on the item it makes), so a deep value may serve in a condition.
AttributeValue ParseExpressionValue(const json::Value& v);
// v is an attribute map, e.g. an Item or ExpressionAttributeValues: {"a": {"S": "x"}, ...}.
Item ParseItem(const json::Value& v);

void WriteAttributeValue(json::Writer& w, const AttributeValue& v);
void WriteItem(json::Writer& w, const Item& item);
// The item as compact wire JSON: {"a":{"S":"x"},...}. This is also the form items are stored in.
std::string ItemToJson(const Item& item);
std::string AttributeValueToJson(const AttributeValue& v);
// Parses stored (already valid) item JSON back into an Item.
Item ItemFromJson(std::string_view text);

// DynamoDB keeps (and returns) set members in its own order: strings and binaries bytewise,
// numbers by value. Sets are sorted when they are parsed or changed.
void SortSetMembers(std::vector<std::string>& members);
void SortSetMembers(std::vector<Decimal>& members);

// Base64 as DynamoDB uses it for B values (standard alphabet, padded).
std::string Base64Encode(std::string_view bytes);
// Returns false for text that is not valid base64.
bool Base64Decode(std::string_view text, std::string* out);

}  // namespace localddb::value
