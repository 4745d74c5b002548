// PartiQL for DynamoDB: a statement as parsed, before it meets a table.
//
// localddb runs a statement by translating it into the DynamoDB request it stands for (Query,
// Scan, GetItem, PutItem, UpdateItem, DeleteItem, or a transaction's elements: translate.h), so
// PartiQL shares every rule of the expression language, the value model and the write path.
// Values are kept as DynamoDB JSON text ({"S":"x"}), parameters (?) already substituted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json.h"

namespace localddb::api::partiql {

// One step of a document path: an attribute or map key (name), or a list index.
struct PathStep {
  std::string name;
  int64_t index = -1;  // >= 0: a list index
};
using Path = std::vector<PathStep>;

struct Operand {
  enum Kind { kPath, kValue, kSize };
  Kind kind = kValue;
  Path path;          // kPath, kSize
  std::string value;  // kValue: an AttributeValue as JSON text
};

struct Condition {
  enum Kind {
    kAnd,
    kOr,
    kNot,
    kCompare,
    kBetween,
    kIn,
    kFunction,
    kIsMissing,
    kIsNotMissing,
    kIsNull,
    kIsNotNull,
    kIsType  // op: the DynamoDB type code (S, N, B, BOOL, L, M)
  };
  Kind kind = kCompare;
  std::string op;  // kCompare: = <> < <= > >=; kFunction: begins_with, contains, attribute_type
  std::vector<Condition> children;
  std::vector<Operand> args;
};

// One action of an UPDATE: SET path = value, SET path = a + b / a - b, SET path = list_append(a, b),
// SET path = set_add(path, set) / set_delete(path, set), REMOVE path.
struct Action {
  enum Kind { kSet, kPlus, kMinus, kListAppend, kSetAdd, kSetDelete, kRemove };
  Kind kind = kSet;
  Path path;
  std::vector<Operand> args;
};

struct Statement {
  enum Kind { kSelect, kInsert, kUpdate, kDelete, kExists };
  Kind kind = kSelect;
  std::string table;
  std::string index;             // SELECT ... FROM "table"."index"
  std::vector<Path> projection;  // SELECT: empty for *
  std::optional<Condition> where;
  std::string item;              // INSERT: the item, as a JSON object of AttributeValues
  std::vector<Action> actions;   // UPDATE
  std::string returning;         // ReturnValues: ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW
  std::optional<Path> order_by;  // SELECT ... ORDER BY path
  bool descending = false;

  bool IsRead() const { return kind == kSelect; }
};

// Parses one statement. parameters is the request's Parameters array (or null); every ? takes the
// next one. Throws ApiError (ValidationException) in DynamoDB's words for anything malformed.
Statement Parse(std::string_view text, const json::Value* parameters);

// A path as the expression language writes it, for messages.
std::string PathText(const Path& path);

}  // namespace localddb::api::partiql
