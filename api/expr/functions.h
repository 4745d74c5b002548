// The expression functions as a table, and the value comparisons they share.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "api/error.h"
#include "api/expr/ast.h"

namespace localddb::expr {

struct FunctionInfo {
  std::string_view name;
  int arity;
  bool returns_bool;  // a condition on its own (attribute_exists, ...) rather than an operand
  bool update_only;   // only in UpdateExpression SET (if_not_exists, list_append)
};

// nullptr for an unknown function name (names are case-sensitive, as in DynamoDB).
const FunctionInfo* FindFunction(std::string_view name);

// Checks what can be checked while parsing (paths where paths are required, literal operand
// types); invalid(message) builds the error with the expression kind's prefix.
void CheckFunctionOperands(const FunctionInfo& f, const Node& call,
                           const std::function<api::ApiError(const std::string&)>& invalid);

// Ordering of two values of the same scalar type (S, N or B): <0, 0, >0.
// REQUIRES: a.type() == b.type() and the type is S, N or B.
int CompareValues(const value::AttributeValue& a, const value::AttributeValue& b);

// How DynamoDB prints a value inside messages: "AttributeValue: {N:5}".
std::string DescribeValue(const value::AttributeValue& v);

// The wire name of a value's type in operand-type messages: S, N, B, BOOL, NULL, L, M, SS, NS, BS.
std::string_view OperandTypeName(const value::AttributeValue& v);

}  // namespace localddb::expr
