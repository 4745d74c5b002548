// The expression language: the public interface the operations use.
//
// A request's expressions share one Substitutions (its ExpressionAttributeNames/Values): each
// Parse* call resolves #names and :values through it and records which ones were used, and
// CheckAllUsed() then reports unused ones as DynamoDB does (across all of the request's
// expressions). Errors are api::ApiError ValidationExceptions with DynamoDB's wording, prefixed
// "Invalid <Kind>Expression: " where DynamoDB does so.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/expr/ast.h"
#include "api/json.h"

namespace localddb::expr {

enum class Kind { kCondition, kFilter, kKeyCondition, kProjection, kUpdate };

// "ConditionExpression", "FilterExpression", ...
std::string_view KindName(Kind k);

class Substitutions {
 public:
  // names / values: the request's ExpressionAttributeNames / ExpressionAttributeValues members
  // (nullptr when absent). Validates them (empty maps, invalid values).
  Substitutions(const json::Value* names, const json::Value* values);
  Substitutions() = default;

  bool has_names() const { return has_names_; }
  bool has_values() const { return has_values_; }

  // Throws for an undefined #name / :value (the message names the expression kind).
  const std::string& Name(const std::string& ref, Kind kind);
  const value::AttributeValue& Value(const std::string& ref, Kind kind);

  // Throws DynamoDB's "unused in expressions" error if any name or value went unused. If the
  // request had no expression at all, throws "... can only be specified when using expressions".
  void CheckAllUsed(bool any_expression) const;

 private:
  bool has_names_ = false, has_values_ = false;
  std::vector<std::pair<std::string, std::string>> names_;
  std::vector<std::pair<std::string, value::AttributeValue>> values_;
  std::set<std::string> used_names_, used_values_;
};

// ConditionExpression / FilterExpression / KeyConditionExpression.
Node ParseCondition(std::string_view text, Kind kind, Substitutions& subs);
// ProjectionExpression: the paths, checked for overlaps and conflicts.
std::vector<Path> ParseProjection(std::string_view text, Substitutions& subs);
// UpdateExpression: its actions, checked for overlapping paths.
std::vector<UpdateAction> ParseUpdate(std::string_view text, Substitutions& subs);

// Evaluates a condition against an item (an absent item is an empty one).
bool Evaluate(const Node& condition, const value::Item& item);

// The item reduced to the projected paths (DynamoDB keeps list elements in their order).
value::Item Project(const value::Item& item, const std::vector<Path>& paths);

// The key condition of a Query, split per key: the partition equalities and an optional sort-key
// condition. A multi-attribute GSI key has several partition attributes (each needs an equality)
// and several sort attributes, conditioned left to right: equalities on a leading run, then at
// most one other condition on the next attribute, skipping none.
struct KeyCondition {
  value::AttributeValue hash_value;                 // the (first) partition attribute's
  std::vector<value::AttributeValue> hash_values;   // every partition attribute's, in key order
  std::vector<value::AttributeValue> range_prefix;  // equalities on the sort attributes before range_op's
  // op: "=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"; values: 1, or 2 for BETWEEN.
  std::optional<std::string> range_op;
  std::vector<value::AttributeValue> range_values;
};
struct KeyPartName {
  std::string name;
  value::Type type;
};
KeyCondition AnalyzeKeyCondition(const Node& condition, const std::vector<KeyPartName>& hash,
                                 const std::vector<KeyPartName>& range);
// The single-attribute form (a table, an LSI, a GSI with one partition and at most one sort attribute).
KeyCondition AnalyzeKeyCondition(const Node& condition, const std::string& hash_name, value::Type hash_type,
                                 const std::optional<std::string>& range_name, value::Type range_type);

// Applies update actions to an item (the current one, or a new one holding just the key).
// key_names: the table's key attributes, which cannot be updated. Returns the document paths the
// update touched (for ReturnValues UPDATED_OLD / UPDATED_NEW, which DynamoDB answers with just
// those fragments: project the old or new item on them).
std::vector<Path> ApplyUpdate(const std::vector<UpdateAction>& actions, value::Item& item,
                              const std::vector<std::string>& key_names);

}  // namespace localddb::expr
