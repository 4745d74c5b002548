// Evaluation of conditions and projections over an item, and Query key-condition analysis.
#include "api/expr/evaluate.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include "api/error.h"
#include "api/expr/expression.h"
#include "api/expr/functions.h"

namespace localddb::expr {

using value::AttributeValue;
using value::Type;

AttributeValue* ResolvePrefix(const Path& path, size_t steps, value::Item& item) {
  auto it = item.find(path[0].name);
  if (it == item.end()) return nullptr;
  AttributeValue* v = &it->second;
  for (size_t i = 1; i < steps; ++i) {
    const PathElement& e = path[i];
    if (e.is_index()) {
      if (!v->is(Type::kL) || static_cast<size_t>(e.index) >= v->l().size()) return nullptr;
      v = &v->l()[e.index];
    } else {
      if (!v->is(Type::kM)) return nullptr;
      auto m = v->m().find(e.name);
      if (m == v->m().end()) return nullptr;
      v = &m->second;
    }
  }
  return v;
}

namespace {

// An operand's value: borrowed from the item or the expression, or computed (size()).
struct Val {
  const AttributeValue* ptr = nullptr;
  AttributeValue owned;
  bool defined() const { return ptr != nullptr; }
  const AttributeValue& get() const { return *ptr; }
};

// DynamoDB's size() of a string counts UTF-16 code units: one per character, two for characters
// outside the Basic Multilingual Plane (4-byte UTF-8 sequences).
size_t Utf16Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
    if (c >= 0xF0) ++n;
  }
  return n;
}

void Evaluate(const Node& n, const value::Item& item, Val& out) {
  switch (n.kind) {
    case NodeKind::kValue:
      out.ptr = &n.value;
      return;
    case NodeKind::kPath:
      out.ptr = Resolve(n.path, item);
      return;
    case NodeKind::kFunction: {  // size(path): the only operand function in conditions
      const AttributeValue* v = Resolve(n.children[0].path, item);
      if (!v) return;
      size_t size;
      switch (v->type()) {
        case Type::kS:
          size = Utf16Length(v->s());
          break;
        case Type::kB:
          size = v->s().size();
          break;
        case Type::kSS:
        case Type::kBS:
          size = v->strings().size();
          break;
        case Type::kNS:
          size = v->numbers().size();
          break;
        case Type::kL:
          size = v->l().size();
          break;
        case Type::kM:
          size = v->m().size();
          break;
        default:
          return;  // size of a number, BOOL or NULL is not defined
      }
      out.owned = AttributeValue::N(value::Decimal::FromInt(static_cast<int64_t>(size)));
      out.ptr = &out.owned;
      return;
    }
    default:
      return;
  }
}

bool Orderable(const AttributeValue& a, const AttributeValue& b) {
  return a.type() == b.type() && (a.is(Type::kS) || a.is(Type::kN) || a.is(Type::kB));
}

bool Contains(const AttributeValue& hay, const AttributeValue& needle) {
  switch (hay.type()) {
    case Type::kS:
      return needle.is(Type::kS) && hay.s().find(needle.s()) != std::string::npos;
    case Type::kB:
      return needle.is(Type::kB) && hay.s().find(needle.s()) != std::string::npos;
    case Type::kSS:
    case Type::kBS:
      return needle.is(hay.is(Type::kSS) ? Type::kS : Type::kB) &&
             std::find(hay.strings().begin(), hay.strings().end(), needle.s()) != hay.strings().end();
    case Type::kNS:
      return needle.is(Type::kN) &&
             std::find(hay.numbers().begin(), hay.numbers().end(), needle.n()) != hay.numbers().end();
    case Type::kL:
      return std::find(hay.l().begin(), hay.l().end(), needle) != hay.l().end();
    default:
      return false;
  }
}

bool EvaluateFunction(const Node& n, const value::Item& item) {
  Val a, b;
  Evaluate(n.children[0], item, a);
  if (n.name == "attribute_exists") return a.defined();
  if (n.name == "attribute_not_exists") return !a.defined();
  Evaluate(n.children[1], item, b);
  if (!a.defined() || !b.defined()) return false;
  if (n.name == "attribute_type") return b.get().is(Type::kS) && value::TypeName(a.get().type()) == b.get().s();
  if (n.name == "begins_with") {
    const AttributeValue &x = a.get(), &y = b.get();
    if (x.type() != y.type() || !(x.is(Type::kS) || x.is(Type::kB))) return false;
    return x.s().compare(0, y.s().size(), y.s()) == 0 && x.s().size() >= y.s().size();
  }
  if (n.name == "contains") return Contains(a.get(), b.get());
  return false;
}

}  // namespace

bool Evaluate(const Node& n, const value::Item& item) {
  switch (n.kind) {
    case NodeKind::kAnd:
      return Evaluate(n.children[0], item) && Evaluate(n.children[1], item);
    case NodeKind::kOr:
      return Evaluate(n.children[0], item) || Evaluate(n.children[1], item);
    case NodeKind::kNot:
      return !Evaluate(n.children[0], item);
    case NodeKind::kFunction:
      return EvaluateFunction(n, item);
    case NodeKind::kCompare: {
      Val a, b;
      Evaluate(n.children[0], item, a);
      Evaluate(n.children[1], item, b);
      const bool both = a.defined() && b.defined();
      if (n.name == "=") return both && a.get() == b.get();
      if (n.name == "<>") return !(both && a.get() == b.get());
      if (!both || !Orderable(a.get(), b.get())) return false;
      int c = CompareValues(a.get(), b.get());
      if (n.name == "<") return c < 0;
      if (n.name == "<=") return c <= 0;
      if (n.name == ">") return c > 0;
      return c >= 0;
    }
    case NodeKind::kBetween: {
      Val v, lo, hi;
      Evaluate(n.children[0], item, v);
      Evaluate(n.children[1], item, lo);
      Evaluate(n.children[2], item, hi);
      if (!v.defined() || !lo.defined() || !hi.defined()) return false;
      if (!Orderable(v.get(), lo.get()) || !Orderable(v.get(), hi.get())) return false;
      return CompareValues(lo.get(), v.get()) <= 0 && CompareValues(v.get(), hi.get()) <= 0;
    }
    case NodeKind::kIn: {
      Val v;
      Evaluate(n.children[0], item, v);
      if (!v.defined()) return false;
      for (size_t i = 1; i < n.children.size(); ++i) {
        Val c;
        Evaluate(n.children[i], item, c);
        if (c.defined() && c.get() == v.get()) return true;
      }
      return false;
    }
    default:
      return false;
  }
}

namespace {

// src projected on the given paths, each read from element `depth` on. Paths that meet in the same
// map key or list index are merged into one value; list elements come out compacted, in index
// order, whatever the order of the paths (as DynamoDB returns them).
std::optional<AttributeValue> ProjectValue(const AttributeValue& src, const std::vector<const Path*>& paths,
                                           size_t depth) {
  for (const Path* p : paths)
    if (p->size() == depth) return src;  // the whole value is asked for
  if (src.is(Type::kM)) {
    std::map<std::string, std::vector<const Path*>> groups;
    for (const Path* p : paths)
      if (!(*p)[depth].is_index()) groups[(*p)[depth].name].push_back(p);
    value::Item out;
    for (const auto& [name, group] : groups) {
      auto it = src.m().find(name);
      if (it == src.m().end()) continue;
      if (auto v = ProjectValue(it->second, group, depth + 1)) out.emplace(name, std::move(*v));
    }
    if (out.empty()) return std::nullopt;
    return AttributeValue::M(std::move(out));
  }
  if (src.is(Type::kL)) {
    std::map<int, std::vector<const Path*>> groups;
    for (const Path* p : paths)
      if ((*p)[depth].is_index()) groups[(*p)[depth].index].push_back(p);
    value::List out;
    for (const auto& [index, group] : groups) {
      if (static_cast<size_t>(index) >= src.l().size()) continue;
      if (auto v = ProjectValue(src.l()[index], group, depth + 1)) out.push_back(std::move(*v));
    }
    if (out.empty()) return std::nullopt;
    return AttributeValue::L(std::move(out));
  }
  return std::nullopt;
}

}  // namespace

value::Item Project(const value::Item& item, const std::vector<Path>& paths) {
  std::map<std::string, std::vector<const Path*>> groups;
  for (const auto& p : paths) groups[p[0].name].push_back(&p);
  value::Item out;
  for (const auto& [name, group] : groups) {
    auto it = item.find(name);
    if (it == item.end()) continue;
    if (auto v = ProjectValue(it->second, group, 1)) out.emplace(name, std::move(*v));
  }
  return out;
}

KeyCondition AnalyzeKeyCondition(const Node& condition, const std::string& hash_name, value::Type hash_type,
                                 const std::optional<std::string>& range_name, value::Type range_type) {
  std::vector<KeyPartName> range;
  if (range_name) range.push_back({*range_name, range_type});
  return AnalyzeKeyCondition(condition, {{hash_name, hash_type}}, range);
}

KeyCondition AnalyzeKeyCondition(const Node& condition, const std::vector<KeyPartName>& hash,
                                 const std::vector<KeyPartName>& range) {
  auto unsupported = [] { return api::ApiError::Validation("Query key condition not supported"); };
  std::vector<const Node*> parts;
  std::vector<const Node*> stack{&condition};
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    if (n->kind == NodeKind::kAnd) {
      stack.push_back(&n->children[1]);
      stack.push_back(&n->children[0]);
    } else {
      parts.push_back(n);
    }
  }
  // A key is a top-level attribute: a document path (a.b, a[0]) anywhere in the condition is refused.
  const std::function<bool(const Node&)> nested = [&](const Node& n) {
    if (n.kind == NodeKind::kPath && n.path.size() > 1) return true;
    for (const Node& c : n.children)
      if (nested(c)) return true;
    return false;
  };
  for (const Node* p : parts)
    if (nested(*p))
      throw api::ApiError::Validation(
          "Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes");
  // Two conditions on one attribute are refused before the conditions are counted.
  const std::function<const Node*(const Node&)> first_path = [&](const Node& n) -> const Node* {
    if (n.kind == NodeKind::kPath) return &n;
    for (const Node& c : n.children)
      if (const Node* found = first_path(c)) return found;
    return nullptr;
  };
  std::vector<std::string_view> conditioned;
  for (const Node* p : parts)
    if (const Node* path = first_path(*p)) {
      if (std::find(conditioned.begin(), conditioned.end(), path->path[0].name) != conditioned.end())
        throw api::ApiError::Validation(
            "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key");
      conditioned.push_back(path->path[0].name);
    }
  const size_t key_attributes = hash.size() + range.size();
  if (parts.size() > key_attributes)
    throw api::ApiError::Validation("The number of query conditions (" + std::to_string(parts.size()) +
                                    ") exceeds the number of key attributes defined in the schema (" +
                                    std::to_string(key_attributes) + ")");
  const auto one_per_key = [] {
    return api::ApiError::Validation(
        "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key");
  };
  const auto missed = [](const std::string& element) {
    return api::ApiError::Validation("Query condition missed key schema element: " + element);
  };
  const auto type_mismatch = [] {
    return api::ApiError::Validation(
        "One or more parameter values were invalid: Condition parameter type does not match schema type");
  };
  const auto position = [](const std::vector<KeyPartName>& names, const std::string& name) -> int {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i].name == name) return static_cast<int>(i);
    return -1;
  };
  // Whether any condition names an attribute (the key element a stray condition "missed").
  const auto named = [&](const std::string& name) {
    for (const Node* q : parts)
      for (const Node& c : q->children)
        if (c.kind == NodeKind::kPath && c.path.size() == 1 && c.path[0].name == name) return true;
    return false;
  };
  std::vector<const value::AttributeValue*> hash_values(hash.size(), nullptr);
  struct RangeCondition {
    std::string op;
    std::vector<const Node*> values;
  };
  std::vector<std::optional<RangeCondition>> range_conditions(range.size());
  for (const Node* p : parts) {
    const Node* path = nullptr;
    std::string op;
    std::vector<const Node*> values;
    if (p->kind == NodeKind::kCompare) {
      op = p->name;
      if (p->children[0].kind == NodeKind::kPath && p->children[1].kind == NodeKind::kValue) {
        path = &p->children[0];
        values.push_back(&p->children[1]);
      } else if (p->children[1].kind == NodeKind::kPath && p->children[0].kind == NodeKind::kValue) {
        // ":v < sk" means "sk > :v".
        path = &p->children[1];
        values.push_back(&p->children[0]);
        if (op == "<")
          op = ">";
        else if (op == ">")
          op = "<";
        else if (op == "<=")
          op = ">=";
        else if (op == ">=")
          op = "<=";
      }
    } else if (p->kind == NodeKind::kBetween && p->children[0].kind == NodeKind::kPath &&
               p->children[1].kind == NodeKind::kValue && p->children[2].kind == NodeKind::kValue) {
      op = "BETWEEN";
      path = &p->children[0];
      values = {&p->children[1], &p->children[2]};
    } else if (p->kind == NodeKind::kFunction && p->name == "begins_with" && p->children[0].kind == NodeKind::kPath &&
               p->children[1].kind == NodeKind::kValue) {
      op = "begins_with";
      path = &p->children[0];
      values.push_back(&p->children[1]);
    }
    if (!path || path->path.size() != 1) throw unsupported();
    const std::string& name = path->path[0].name;
    if (const int h = position(hash, name); h >= 0) {
      if (hash_values[h]) throw one_per_key();
      if (op != "=") throw unsupported();
      if (values[0]->value.type() != hash[h].type) throw type_mismatch();
      hash_values[h] = &values[0]->value;
    } else if (const int r = position(range, name); r >= 0) {
      if (range_conditions[r]) throw one_per_key();
      for (const Node* v : values)
        if (v->value.type() != range[r].type) throw type_mismatch();
      if (op == "begins_with" && range[r].type == Type::kN)
        throw api::ApiError::Validation(
            "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: "
            "begins_with, operand type: N");
      range_conditions[r] = RangeCondition{op, values};
    } else {
      // A condition on an attribute that is not a key of the table or index: DynamoDB names the
      // key element the condition lacks, the (first unnamed) hash key, else the range key.
      for (const auto& k : hash)
        if (!named(k.name)) throw missed(k.name);
      for (const auto& k : range)
        if (!named(k.name)) throw missed(k.name);
      throw missed(hash[0].name);
    }
  }
  KeyCondition out;
  for (size_t i = 0; i < hash.size(); ++i) {
    if (!hash_values[i]) throw missed(hash[i].name);
    out.hash_values.push_back(*hash_values[i]);
  }
  out.hash_value = out.hash_values.front();
  // Sort attributes left to right: equalities up to the last one conditioned, skipping none.
  int last = -1;
  for (size_t i = 0; i < range.size(); ++i)
    if (range_conditions[i]) last = static_cast<int>(i);
  std::string lacking;  // the earlier sort attributes without an equality, as DynamoDB lists them
  for (int i = 0; i < last; ++i)
    if (!range_conditions[i] || range_conditions[i]->op != "=")
      lacking += (lacking.empty() ? "" : ", ") + range[i].name;
  if (!lacking.empty())
    throw api::ApiError::Validation("RANGE key attributes " + lacking +
                                    " must have equality conditions specified in the query because a condition is "
                                    "present on key attribute " +
                                    range[last].name);
  for (int i = 0; i < last; ++i) out.range_prefix.push_back(range_conditions[i]->values[0]->value);
  if (last >= 0) {
    out.range_op = range_conditions[last]->op;
    for (const Node* v : range_conditions[last]->values) out.range_values.push_back(v->value);
  }
  return out;
}

}  // namespace localddb::expr
