// The legacy (pre-expression) request parameters, translated into the same syntax tree so there
// is one evaluator: AttributesToGet, Expected, KeyConditions, QueryFilter, ScanFilter (with
// ConditionalOperator) and AttributeUpdates.
#pragma once

#include <optional>
#include <vector>

#include "api/expr/ast.h"
#include "api/json.h"

namespace localddb::expr {

std::vector<Path> PathsFromAttributesToGet(const json::Value& names);

// Expected (+ ConditionalOperator), for conditional writes. nullopt if empty.
std::optional<Node> ConditionFromExpected(const json::Value& expected, const json::Value* conditional_operator);

// QueryFilter / ScanFilter / KeyConditions: {attr: {ComparisonOperator, AttributeValueList}}.
std::optional<Node> ConditionFromFilter(const json::Value& conditions, const json::Value* conditional_operator);

// AttributeUpdates: {attr: {Action: PUT|ADD|DELETE, Value}}.
std::vector<UpdateAction> ActionsFromAttributeUpdates(const json::Value& updates);

}  // namespace localddb::expr
