#include "api/expr/legacy.h"

#include <array>
#include <set>

#include "api/error.h"
#include "api/value/json_codec.h"
#include "api/value/wire_types.h"

namespace localddb::expr {
namespace {

using api::ApiError;
constexpr std::string_view kInvalid = "One or more parameter values were invalid: ";

Node PathNode(const std::string& name) {
  Node n = Node::Of(NodeKind::kPath);
  n.path.push_back({name, -1});
  return n;
}

Node ValueNode(const value::AttributeValue& v) {
  Node n = Node::Of(NodeKind::kValue);
  n.value = v;
  return n;
}

Node Binary(NodeKind kind, Node a, Node b, std::string name = {}) {
  Node n = Node::Of(kind);
  n.name = std::move(name);
  n.children.push_back(std::move(a));
  n.children.push_back(std::move(b));
  return n;
}

Node Function(const char* name, std::vector<Node> args) {
  Node n = Node::Of(NodeKind::kFunction);
  n.name = name;
  n.children = std::move(args);
  return n;
}

struct OperatorRule {
  std::string_view name;
  int min_args, max_args;  // -1: any
};
constexpr std::array kOperators = {
    OperatorRule{"EQ", 1, 1},           OperatorRule{"NE", 1, 1},          OperatorRule{"LE", 1, 1},
    OperatorRule{"LT", 1, 1},           OperatorRule{"GE", 1, 1},          OperatorRule{"GT", 1, 1},
    OperatorRule{"NOT_NULL", 0, 0},     OperatorRule{"NULL", 0, 0},        OperatorRule{"CONTAINS", 1, 1},
    OperatorRule{"NOT_CONTAINS", 1, 1}, OperatorRule{"BEGINS_WITH", 1, 1}, OperatorRule{"IN", 1, -1},
    OperatorRule{"BETWEEN", 2, 2},
};

Node Comparison(const std::string& attr, std::string_view op, const std::vector<value::AttributeValue>& args) {
  const OperatorRule* rule = nullptr;
  for (const auto& r : kOperators)
    if (r.name == op) rule = &r;
  if (!rule)
    throw ApiError::Validation(
        "1 validation error detected: Value '" + std::string(op) +
        "' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: "
        "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
  const int n = static_cast<int>(args.size());
  if (n < rule->min_args || (rule->max_args >= 0 && n > rule->max_args))
    throw ApiError::Validation(std::string(kInvalid) + "Invalid number of argument(s) for the " + std::string(op) +
                               " ComparisonOperator");
  if (op == "NOT_NULL") return Function("attribute_exists", {PathNode(attr)});
  if (op == "NULL") return Function("attribute_not_exists", {PathNode(attr)});
  if (op == "CONTAINS") return Function("contains", {PathNode(attr), ValueNode(args[0])});
  if (op == "NOT_CONTAINS") {
    // Legacy NOT_CONTAINS is false for a missing attribute.
    Node n = Node::Of(NodeKind::kNot);
    n.children.push_back(Function("contains", {PathNode(attr), ValueNode(args[0])}));
    return Binary(NodeKind::kAnd, Function("attribute_exists", {PathNode(attr)}), std::move(n));
  }
  if (op == "BEGINS_WITH") return Function("begins_with", {PathNode(attr), ValueNode(args[0])});
  if (op == "IN") {
    Node n = Node::Of(NodeKind::kIn);
    n.children.push_back(PathNode(attr));
    for (const auto& a : args) n.children.push_back(ValueNode(a));
    return n;
  }
  if (op == "BETWEEN") {
    Node n = Node::Of(NodeKind::kBetween);
    n.children = {PathNode(attr), ValueNode(args[0]), ValueNode(args[1])};
    return n;
  }
  static constexpr std::pair<std::string_view, const char*> kSymbols[] = {{"EQ", "="}, {"NE", "<>"}, {"LE", "<="},
                                                                          {"LT", "<"}, {"GE", ">="}, {"GT", ">"}};
  for (auto [name, symbol] : kSymbols)
    if (name == op) return Binary(NodeKind::kCompare, PathNode(attr), ValueNode(args[0]), symbol);
  throw ApiError::Internal();
}

std::vector<value::AttributeValue> ValueList(const json::Value& cond) {
  std::vector<value::AttributeValue> out;
  auto it = cond.FindMember("AttributeValueList");
  if (it == cond.MemberEnd() || it->value.IsNull()) return out;
  value::RequireWireType(it->value, value::WireType::kList);
  for (const auto& v : it->value.GetArray()) out.push_back(value::ParseExpressionValue(v));
  return out;
}

std::optional<Node> Combine(std::vector<Node> parts, const json::Value* conditional_operator) {
  bool use_or = false;
  if (conditional_operator && !conditional_operator->IsNull() && parts.size() < 2)
    throw ApiError::Validation("ConditionalOperator can only be used when Filter or Expected has two or more elements");
  if (parts.empty()) return std::nullopt;
  if (conditional_operator && !conditional_operator->IsNull()) {
    value::RequireWireType(*conditional_operator, value::WireType::kString);
    std::string_view op = json::View(*conditional_operator);
    if (op != "AND" && op != "OR")
      // DynamoDB's exact text, bare and with its odd enum listing.
      throw ApiError::Validation("Failed to satisfy constraint: Member must satisfy enum value set: [ALL, OR]");
    use_or = op == "OR";
  }
  Node acc = std::move(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i)
    acc = Binary(use_or ? NodeKind::kOr : NodeKind::kAnd, std::move(acc), std::move(parts[i]));
  return acc;
}

}  // namespace

std::vector<Path> PathsFromAttributesToGet(const json::Value& names) {
  if (names.Empty())
    throw ApiError::Validation(
        "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have "
        "length greater than or equal to 1");
  std::vector<Path> out;
  std::set<std::string> seen;
  for (const auto& n : names.GetArray()) {
    value::RequireWireType(n, value::WireType::kString);
    std::string name(json::View(n));
    if (!seen.insert(name).second)
      throw ApiError::Validation(std::string(kInvalid) + "Duplicate value in attribute name: " + name);
    out.push_back({PathElement{name, -1}});
  }
  return out;
}

std::optional<Node> ConditionFromExpected(const json::Value& expected, const json::Value* conditional_operator) {
  value::RequireWireType(expected, value::WireType::kMap);
  std::vector<Node> parts;
  for (auto it = expected.MemberBegin(); it != expected.MemberEnd(); ++it) {
    std::string attr(json::View(it->name));
    const json::Value& cond = it->value;
    value::RequireWireType(cond, value::WireType::kStructure);
    auto op_it = cond.FindMember("ComparisonOperator");
    auto value_it = cond.FindMember("Value");
    auto exists_it = cond.FindMember("Exists");
    const bool has_value = value_it != cond.MemberEnd() && !value_it->value.IsNull();
    const bool has_exists = exists_it != cond.MemberEnd() && !exists_it->value.IsNull();
    if (op_it != cond.MemberEnd() && !op_it->value.IsNull()) {
      value::RequireWireType(op_it->value, value::WireType::kString);
      auto list_it = cond.FindMember("AttributeValueList");
      const bool has_list = list_it != cond.MemberEnd() && !list_it->value.IsNull();
      if (has_value && has_list)
        throw ApiError::Validation(std::string(kInvalid) +
                                   "Value and AttributeValueList cannot be used together for Attribute: " + attr);
      const std::string_view op = json::View(op_it->value);
      std::vector<value::AttributeValue> args = ValueList(cond);
      if (has_value) args.push_back(value::ParseExpressionValue(value_it->value));
      if (!has_value && !has_list && op != "NULL" && op != "NOT_NULL")
        throw ApiError::Validation(std::string(kInvalid) +
                                   "Value or AttributeValueList must be used with ComparisonOperator: " +
                                   std::string(op) + " for Attribute: " + attr);
      parts.push_back(Comparison(attr, op, args));
      continue;
    }
    bool exists = true;
    if (has_exists) {
      value::RequireWireType(exists_it->value, value::WireType::kBoolean);
      exists = exists_it->value.GetBool();
    }
    if (!exists) {
      if (has_value)
        throw ApiError::Validation(std::string(kInvalid) +
                                   "Value cannot be used when Exists is false for Attribute: " + attr);
      parts.push_back(Function("attribute_not_exists", {PathNode(attr)}));
    } else {
      if (!has_value)
        throw ApiError::Validation(std::string(kInvalid) + "Value must be provided when Exists is " +
                                   (has_exists ? "true" : "null") + " for Attribute: " + attr);
      parts.push_back(
          Binary(NodeKind::kCompare, PathNode(attr), ValueNode(value::ParseExpressionValue(value_it->value)), "="));
    }
  }
  return Combine(std::move(parts), conditional_operator);
}

std::optional<Node> ConditionFromFilter(const json::Value& conditions, const json::Value* conditional_operator) {
  value::RequireWireType(conditions, value::WireType::kMap);
  std::vector<Node> parts;
  for (auto it = conditions.MemberBegin(); it != conditions.MemberEnd(); ++it) {
    const json::Value& cond = it->value;
    value::RequireWireType(cond, value::WireType::kStructure);
    auto op_it = cond.FindMember("ComparisonOperator");
    if (op_it == cond.MemberEnd() || op_it->value.IsNull())
      throw ApiError::Validation(
          "1 validation error detected: Value null at 'comparisonOperator' failed to satisfy constraint: Member must "
          "not be null");
    value::RequireWireType(op_it->value, value::WireType::kString);
    parts.push_back(Comparison(std::string(json::View(it->name)), json::View(op_it->value), ValueList(cond)));
  }
  return Combine(std::move(parts), conditional_operator);
}

std::vector<UpdateAction> ActionsFromAttributeUpdates(const json::Value& updates) {
  value::RequireWireType(updates, value::WireType::kMap);
  std::vector<UpdateAction> out;
  for (auto it = updates.MemberBegin(); it != updates.MemberEnd(); ++it) {
    std::string attr(json::View(it->name));
    const json::Value& u = it->value;
    value::RequireWireType(u, value::WireType::kStructure);
    std::string action = "PUT";
    if (auto a = u.FindMember("Action"); a != u.MemberEnd() && !a->value.IsNull()) {
      value::RequireWireType(a->value, value::WireType::kString);
      action = std::string(json::View(a->value));
    }
    auto v = u.FindMember("Value");
    const bool has_value = v != u.MemberEnd() && !v->value.IsNull();
    Path path{PathElement{attr, -1}};
    if (action == "PUT") {
      if (!has_value)
        throw ApiError::Validation(std::string(kInvalid) +
                                   "Only DELETE action is allowed when no attribute value is specified");
      out.push_back({UpdateKind::kSet, path, ValueNode(value::ParseAttributeValue(v->value))});
    } else if (action == "DELETE") {
      if (has_value)
        out.push_back({UpdateKind::kDelete, path, ValueNode(value::ParseAttributeValue(v->value)), true});
      else
        out.push_back({UpdateKind::kRemove, path, {}, true});
    } else if (action == "ADD") {
      if (!has_value)
        throw ApiError::Validation(std::string(kInvalid) +
                                   "Only DELETE action is allowed when no attribute value is specified");
      out.push_back({UpdateKind::kAdd, path, ValueNode(value::ParseAttributeValue(v->value)), true});
    } else {
      throw ApiError::Validation(
          "1 validation error detected: Value '" + action + "' at 'attributeUpdates." + attr +
          ".member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]");
    }
  }
  return out;
}

}  // namespace localddb::expr
