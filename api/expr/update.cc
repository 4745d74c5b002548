// UpdateExpression actions: SET, REMOVE, ADD, DELETE applied to an item. Every operand is
// evaluated against the item as it was before the update, as DynamoDB does.
#include <algorithm>

#include "api/error.h"
#include "api/expr/evaluate.h"
#include "api/expr/expression.h"
#include "api/value/json_codec.h"

namespace localddb::expr {
namespace {

using api::ApiError;
using value::AttributeValue;
using value::Type;

ApiError IncorrectType() {
  return ApiError::Validation("An operand in the update expression has an incorrect data type");
}
ApiError InvalidPath() {
  return ApiError::Validation("The document path provided in the update expression is invalid for update");
}

// The long type names DynamoDB uses in ADD / DELETE operand messages.
std::string LongTypeName(Type t) {
  switch (t) {
    case Type::kS:
      return "STRING";
    case Type::kN:
      return "NUMBER";
    case Type::kB:
      return "BINARY";
    case Type::kBOOL:
      return "BOOLEAN";
    case Type::kNULL:
      return "NULL";
    case Type::kM:
      return "MAP";
    case Type::kL:
      return "LIST";
    case Type::kSS:
      return "STRING_SET";
    case Type::kNS:
      return "NUMBER_SET";
    case Type::kBS:
      return "BINARY_SET";
  }
  return "UNKNOWN";
}

bool IsSet(const AttributeValue& v) { return v.is(Type::kSS) || v.is(Type::kNS) || v.is(Type::kBS); }

AttributeValue Compute(const Node& n, const value::Item& old) {
  switch (n.kind) {
    case NodeKind::kValue:
      return n.value;
    case NodeKind::kPath: {
      const AttributeValue* v = Resolve(n.path, old);
      if (!v)
        throw ApiError::Validation("The provided expression refers to an attribute that does not exist in the item");
      return *v;
    }
    case NodeKind::kFunction:
      if (n.name == "if_not_exists") {
        if (const AttributeValue* v = Resolve(n.children[0].path, old)) return *v;
        return Compute(n.children[1], old);
      } else {  // list_append
        AttributeValue a = Compute(n.children[0], old), b = Compute(n.children[1], old);
        if (!a.is(Type::kL) || !b.is(Type::kL)) throw IncorrectType();
        for (auto& e : b.l()) a.l().push_back(std::move(e));
        return a;
      }
    case NodeKind::kPlus:
    case NodeKind::kMinus: {
      AttributeValue a = Compute(n.children[0], old), b = Compute(n.children[1], old);
      if (!a.is(Type::kN) || !b.is(Type::kN)) throw IncorrectType();
      std::string error;
      auto r = n.kind == NodeKind::kPlus ? value::Decimal::Add(a.n(), b.n(), &error)
                                         : value::Decimal::Subtract(a.n(), b.n(), &error);
      if (!r) throw ApiError::Validation(error);
      return AttributeValue::N(*r);
    }
    default:
      throw ApiError::Internal();
  }
}

// The container that holds the last step of path; nullptr if it is absent or of the wrong kind.
AttributeValue* Parent(const Path& path, value::Item& item) { return ResolvePrefix(path, path.size() - 1, item); }

void SetAt(const Path& path, value::Item& item, AttributeValue v) {
  if (path.size() == 1) {
    item.insert_or_assign(path[0].name, std::move(v));
    return;
  }
  AttributeValue* parent = Parent(path, item);
  const PathElement& last = path.back();
  if (!parent) throw InvalidPath();
  if (last.is_index()) {
    if (!parent->is(Type::kL)) throw InvalidPath();
    auto& list = parent->l();
    if (static_cast<size_t>(last.index) >= list.size())
      list.push_back(std::move(v));  // beyond the end appends
    else
      list[last.index] = std::move(v);
  } else {
    if (!parent->is(Type::kM)) throw InvalidPath();
    parent->m().insert_or_assign(last.name, std::move(v));
  }
}

void RemoveAt(const Path& path, value::Item& item) {
  if (path.size() == 1) {
    item.erase(path[0].name);
    return;
  }
  AttributeValue* parent = Parent(path, item);
  if (!parent) return;
  const PathElement& last = path.back();
  if (last.is_index()) {
    if (!parent->is(Type::kL)) throw InvalidPath();
    auto& list = parent->l();
    if (static_cast<size_t>(last.index) < list.size()) list.erase(list.begin() + last.index);
  } else {
    if (!parent->is(Type::kM)) throw InvalidPath();
    parent->m().erase(last.name);
  }
}

// AttributeUpdates' ADD or DELETE on an attribute of another type (DynamoDB's wording differs
// from an UpdateExpression's).
ApiError LegacyTypeMismatch() { return ApiError::Validation("Type mismatch for attribute to update"); }

AttributeValue AddTo(const AttributeValue* current, const AttributeValue& operand) {
  if (!current) return operand;
  if (current->is(Type::kN) && operand.is(Type::kN)) {
    std::string error;
    auto r = value::Decimal::Add(current->n(), operand.n(), &error);
    if (!r) throw ApiError::Validation(error);
    return AttributeValue::N(*r);
  }
  if (current->type() != operand.type()) throw IncorrectType();
  AttributeValue out = *current;
  if (out.is(Type::kNS)) {
    for (const auto& m : operand.numbers())
      if (std::find(out.numbers().begin(), out.numbers().end(), m) == out.numbers().end()) out.numbers().push_back(m);
    value::SortSetMembers(out.numbers());
  } else {
    for (const auto& m : operand.strings())
      if (std::find(out.strings().begin(), out.strings().end(), m) == out.strings().end()) out.strings().push_back(m);
    value::SortSetMembers(out.strings());
  }
  return out;
}

// nullopt: the set became empty (the attribute goes away).
std::optional<AttributeValue> DeleteFrom(const AttributeValue& current, const AttributeValue& operand) {
  if (current.type() != operand.type()) throw IncorrectType();
  AttributeValue out = current;
  if (out.is(Type::kNS)) {
    auto& v = out.numbers();
    for (const auto& m : operand.numbers()) v.erase(std::remove(v.begin(), v.end(), m), v.end());
    if (v.empty()) return std::nullopt;
  } else {
    auto& v = out.strings();
    for (const auto& m : operand.strings()) v.erase(std::remove(v.begin(), v.end(), m), v.end());
    if (v.empty()) return std::nullopt;
  }
  return out;
}

}  // namespace

std::vector<Path> ApplyUpdate(const std::vector<UpdateAction>& actions, value::Item& item,
                              const std::vector<std::string>& key_names) {
  std::vector<Path> touched;
  for (const auto& a : actions) {
    const std::string& top = a.path[0].name;
    if (std::find(key_names.begin(), key_names.end(), top) != key_names.end())
      throw ApiError::Validation("One or more parameter values were invalid: Cannot update attribute " + top +
                                 ". This attribute is part of the key");
    if (a.kind == UpdateKind::kAdd) {
      const AttributeValue& v = a.operand.value;
      if (a.operand.kind != NodeKind::kValue || !(v.is(Type::kN) || IsSet(v)))
        throw ApiError::Validation(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: " +
            LongTypeName(v.type()));
    }
    if (a.kind == UpdateKind::kDelete) {
      const AttributeValue& v = a.operand.value;
      if (a.operand.kind != NodeKind::kValue || !IsSet(v))
        throw ApiError::Validation(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand "
            "type: " +
            LongTypeName(v.type()));
    }
  }
  // Evaluate every SET value against the item before any change.
  const value::Item old = item;
  std::vector<AttributeValue> computed(actions.size());
  for (size_t i = 0; i < actions.size(); ++i)
    if (actions[i].kind == UpdateKind::kSet) computed[i] = Compute(actions[i].operand, old);

  // REMOVEs of list elements go highest index first, so earlier removals don't shift later ones.
  std::vector<size_t> order(actions.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const auto &a = actions[x], &b = actions[y];
    if (a.kind != UpdateKind::kRemove || b.kind != UpdateKind::kRemove) return false;
    if (!a.path.back().is_index() || !b.path.back().is_index()) return false;
    return a.path.back().index > b.path.back().index;
  });

  for (size_t i : order) {
    const UpdateAction& a = actions[i];
    switch (a.kind) {
      case UpdateKind::kSet:
        SetAt(a.path, item, std::move(computed[i]));
        break;
      case UpdateKind::kRemove:
        RemoveAt(a.path, item);
        break;
      case UpdateKind::kAdd: {
        const AttributeValue* current = Resolve(a.path, item);
        if (!current && a.path.size() > 1 && !Parent(a.path, item)) throw InvalidPath();
        if (a.legacy && current && current->type() != a.operand.value.type()) throw LegacyTypeMismatch();
        SetAt(a.path, item, AddTo(current, a.operand.value));
        break;
      }
      case UpdateKind::kDelete: {
        const AttributeValue* current = Resolve(a.path, item);
        if (!current) break;
        if (a.legacy && current->type() != a.operand.value.type()) throw LegacyTypeMismatch();
        auto remaining = DeleteFrom(*current, a.operand.value);
        if (remaining)
          SetAt(a.path, item, std::move(*remaining));
        else
          RemoveAt(a.path, item);
        break;
      }
    }
    touched.push_back(a.path);
  }
  return touched;
}

}  // namespace localddb::expr
