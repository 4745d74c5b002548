// The syntax tree shared by all five expression kinds (condition, filter, key condition,
// projection, update). Plain structs; nothing is evaluated while parsing.
#pragma once

#include <string>
#include <vector>

#include "api/value/attribute_value.h"

namespace localddb::expr {

// One step of a document path: an attribute/map-key name, or a list index.
struct PathElement {
  std::string name;
  int index = -1;  // >= 0: a list index
  bool is_index() const { return index >= 0; }
  bool operator==(const PathElement&) const = default;
};
using Path = std::vector<PathElement>;

// How DynamoDB prints a path in its messages: [a, b, [2]].
std::string DescribePath(const Path& p);

enum class NodeKind {
  kPath,      // path
  kValue,     // value (an ExpressionAttributeValues entry or a legacy literal)
  kFunction,  // name(children...)
  kPlus,      // children[0] + children[1]        (update SET only)
  kMinus,     // children[0] - children[1]        (update SET only)
  kCompare,   // children[0] <op> children[1], op in name: = <> < <= > >=
  kBetween,   // children[0] BETWEEN children[1] AND children[2]
  kIn,        // children[0] IN (children[1..])
  kAnd,
  kOr,
  kNot,
};

struct Node {
  NodeKind kind = NodeKind::kValue;
  Path path;
  value::AttributeValue value;
  std::string name;  // function name or comparison operator
  std::vector<Node> children;

  // An empty node of this kind, its parts to be filled in.
  static Node Of(NodeKind kind) {
    Node n;
    n.kind = kind;
    return n;
  }
};

enum class UpdateKind { kSet, kRemove, kAdd, kDelete };

struct UpdateAction {
  UpdateKind kind;
  Path path;
  Node operand;  // SET: the value expression; ADD/DELETE: the value; REMOVE: unused
  // From legacy AttributeUpdates rather than an UpdateExpression (they differ in wording and in
  // what a DELETE does to an item that does not exist).
  bool legacy = false;
};

}  // namespace localddb::expr
