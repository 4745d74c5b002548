// Declarative request reading and validation, shared by every operation.
//
// DynamoDB validates a request in two stages, and so do we:
//  1. Shape: a member of the wrong JSON type is a SerializationException (Coral's wording), thrown
//     at once by the typed accessors below.
//  2. Constraints: each violated field constraint is collected into Violations, then reported as
//     one ValidationException in DynamoDB's form:
//       "1 validation error detected: Value null at 'tableName' failed to satisfy constraint:
//        Member must not be null"
//       "2 validation errors detected: Value ... ; Value ..."
//     Paths use DynamoDB's lower-camel member names ('tableName', 'key', 'returnValues').
// Cross-field rules (one message each, in DynamoDB's priority order) follow in each operation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/error.h"
#include "api/json.h"

namespace localddb::api::input {

class Violations {
 public:
  // value_repr is how DynamoDB prints the offending value: "null" for a missing member, otherwise
  // the value quoted as DynamoDB quotes it ('abc' with the quotes added here for strings); empty
  // for the newer wording that names no value ("Value at 'RequestItems' ...").
  void Add(std::string path, std::string value_repr, std::string constraint);
  // Convenience for the most common case: a required member that is absent.
  void Missing(std::string path);
  bool empty() const { return items_.empty(); }
  // Throws ValidationException with all collected violations, if any.
  void ThrowIfAny() const;

 private:
  std::vector<std::string> items_;
};

// Typed accessors: return nullopt / nullptr when the member is absent or JSON null; throw
// SerializationException when it is present with the wrong JSON type.
std::optional<std::string_view> String(const json::Value& obj, std::string_view name);
std::optional<int64_t> Integer(const json::Value& obj, std::string_view name);
std::optional<bool> Bool(const json::Value& obj, std::string_view name);
const json::Value* Object(const json::Value& obj, std::string_view name);
const json::Value* Array(const json::Value& obj, std::string_view name);

// The request body must be a JSON object; throws SerializationException otherwise.
void RequireObject(const json::Value& body);

// Common field rules, adding to v.
// TableName / IndexName: required (if required), length 3..255, pattern [a-zA-Z0-9_.-]+.
// min_length: 3 for table operations; data-plane operations (items, Query, Scan) accept table
// ARNs there, so DynamoDB checks only a length of at least 1.
void CheckTableName(std::optional<std::string_view> name, const std::string& path, Violations& v, bool required = true,
                    size_t min_length = 3);
// TableName where DynamoDB takes a table's ARN as well (items, Query, Scan, batches, transactions,
// backups, table settings): an ARN ("arn:...") needs only a length of 1..1024; a plain name follows
// CheckTableName with a length of at least 1.
void CheckTableNameOrArn(std::optional<std::string_view> name, const std::string& path, Violations& v);

// A required top-level parameter that is absent (or null), as DynamoDB's table operations
// (CreateTable, DescribeTable, UpdateTable, DeleteTable, the TimeToLive pair) report it before any
// other constraint: "The parameter 'TableName' is required but was not present in the request".
// Item operations report the same absence as a violation ("Value null at 'tableName' ...").
ApiError RequiredParameterMissing(std::string_view name);

// An enum member: "Member must satisfy enum value set: [A, B, C]" (DynamoDB's listing order).
void CheckEnum(std::optional<std::string_view> value, const std::string& path,
               const std::vector<std::string_view>& allowed, Violations& v);

// Model bounds, each violated bound one violation with the value quoted as Coral prints it:
// "Value 'ab' at 'backupArn' failed to satisfy constraint: Member must have length greater than or
// equal to 37", "Value '0' at 'limit' ... Member must have value greater than or equal to 1".
// An absent member (nullopt / nullptr) passes; required members are checked with Missing.
void CheckLength(std::optional<std::string_view> s, const std::string& path, size_t min, size_t max, Violations& v);
void CheckRange(std::optional<int64_t> n, const std::string& path, int64_t min, int64_t max, Violations& v);
// A list member's length; an empty list prints as '[]', a long one names no value.
void CheckListLength(const json::Value* list, const std::string& path, size_t min, size_t max, Violations& v);

// How DynamoDB quotes a string value in a violation: 'abc'.
std::string Quote(std::string_view s);

}  // namespace localddb::api::input
