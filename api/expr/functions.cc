#include "api/expr/functions.h"

#include <array>

#include "api/value/json_codec.h"

namespace localddb::expr {
namespace {

constexpr std::array kFunctions = {
    FunctionInfo{"attribute_exists", 1, true, false}, FunctionInfo{"attribute_not_exists", 1, true, false},
    FunctionInfo{"attribute_type", 2, true, false},   FunctionInfo{"begins_with", 2, true, false},
    FunctionInfo{"contains", 2, true, false},         FunctionInfo{"size", 1, false, false},
    FunctionInfo{"if_not_exists", 2, false, true},    FunctionInfo{"list_append", 2, false, true},
};

constexpr std::array<std::string_view, 10> kTypeNames = {"B", "NULL", "SS", "BOOL", "L", "BS", "N", "NS", "S", "M"};

}  // namespace

const FunctionInfo* FindFunction(std::string_view name) {
  for (const auto& f : kFunctions)
    if (f.name == name) return &f;
  return nullptr;
}

std::string_view OperandTypeName(const value::AttributeValue& v) { return value::TypeName(v.type()); }

void CheckFunctionOperands(const FunctionInfo& f, const Node& call,
                           const std::function<api::ApiError(const std::string&)>& invalid) {
  auto require_path = [&](size_t i) {
    if (call.children[i].kind != NodeKind::kPath)
      throw invalid("Operator or function requires a document path; operator or function: " + std::string(f.name));
  };
  auto literal_type = [&](size_t i, std::initializer_list<value::Type> allowed) {
    const Node& n = call.children[i];
    if (n.kind != NodeKind::kValue) return;
    for (auto t : allowed)
      if (n.value.is(t)) return;
    throw invalid("Incorrect operand type for operator or function; operator or function: " + std::string(f.name) +
                  ", operand type: " + std::string(OperandTypeName(n.value)));
  };
  if (f.name == "attribute_exists" || f.name == "attribute_not_exists" || f.name == "size") require_path(0);
  if (f.name == "attribute_type") {
    require_path(0);
    literal_type(1, {value::Type::kS});
    const Node& t = call.children[1];
    if (t.kind == NodeKind::kValue) {
      bool valid = false;
      for (auto name : kTypeNames) valid |= t.value.s() == name;
      if (!valid)
        throw invalid("Invalid attribute type name found; type: " + t.value.s() +
                      ", valid types: { B, NULL, SS, BOOL, L, BS, N, NS, S, M }");
    }
  }
  if (f.name == "begins_with") {
    literal_type(0, {value::Type::kS, value::Type::kB});
    literal_type(1, {value::Type::kS, value::Type::kB});
  }
  if (f.name == "contains") require_path(0);
  if (f.name == "if_not_exists") require_path(0);
  if (f.name == "list_append") {
    literal_type(0, {value::Type::kL});
    literal_type(1, {value::Type::kL});
  }
}

int CompareValues(const value::AttributeValue& a, const value::AttributeValue& b) {
  if (a.is(value::Type::kN)) {
    auto c = a.n() <=> b.n();
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  // S by UTF-8 bytes, B by unsigned bytes: both are unsigned byte order.
  const std::string &x = a.s(), &y = b.s();
  size_t n = std::min(x.size(), y.size());
  for (size_t i = 0; i < n; ++i) {
    auto cx = static_cast<unsigned char>(x[i]), cy = static_cast<unsigned char>(y[i]);
    if (cx != cy) return cx < cy ? -1 : 1;
  }
  return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
}

std::string DescribeValue(const value::AttributeValue& v) {
  std::string inner;
  switch (v.type()) {
    case value::Type::kS:
      inner = v.s();
      break;
    case value::Type::kN:
      inner = v.n().ToString();
      break;
    case value::Type::kB:
      inner = value::Base64Encode(v.s());
      break;
    default:
      inner = value::AttributeValueToJson(v);
      break;
  }
  return "AttributeValue: {" + std::string(OperandTypeName(v)) + ":" + inner + "}";
}

}  // namespace localddb::expr
