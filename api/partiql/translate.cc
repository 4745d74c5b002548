#include "api/partiql/translate.h"

#include <algorithm>
#include <map>

#include "api/error.h"

namespace localddb::api::partiql {
namespace {

std::string Str(std::string_view s) {
  json::Value v(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return json::Dump(v);
}

// ExpressionAttributeNames and ExpressionAttributeValues of one request.
class Placeholders {
 public:
  std::string Name(const std::string& name) {
    auto [it, added] = names_.try_emplace(name, "#p" + std::to_string(names_.size()));
    return it->second;
  }
  std::string Value(const std::string& value_json) {
    values_.emplace_back(":p" + std::to_string(values_.size()), value_json);
    return values_.back().first;
  }
  std::string Path(const partiql::Path& path) {
    std::string out;
    for (const auto& step : path) {
      if (step.index >= 0) {
        out += "[" + std::to_string(step.index) + "]";
      } else {
        if (!out.empty()) out += '.';
        out += Name(step.name);
      }
    }
    return out;
  }
  std::string Operand(const partiql::Operand& o) {
    switch (o.kind) {
      case Operand::kPath:
        return Path(o.path);
      case Operand::kSize:
        return "size(" + Path(o.path) + ")";
      case Operand::kValue:
        break;
    }
    return Value(o.value);
  }
  // The members, or "" when there are none.
  std::string Members() const {
    std::string out;
    if (!names_.empty()) {
      out += ",\"ExpressionAttributeNames\":{";
      bool first = true;
      for (const auto& [name, ph] : names_) {
        out += (first ? "" : ",") + Str(ph) + ":" + Str(name);
        first = false;
      }
      out += "}";
    }
    if (!values_.empty()) {
      out += ",\"ExpressionAttributeValues\":{";
      bool first = true;
      for (const auto& [ph, v] : values_) {
        out += (first ? "" : ",") + Str(ph) + ":" + v;
        first = false;
      }
      out += "}";
    }
    return out;
  }

 private:
  std::map<std::string, std::string> names_;
  std::vector<std::pair<std::string, std::string>> values_;
};

std::string Render(const Condition& c, Placeholders& p) {
  switch (c.kind) {
    case Condition::kAnd:
      return "(" + Render(c.children[0], p) + ") AND (" + Render(c.children[1], p) + ")";
    case Condition::kOr:
      return "(" + Render(c.children[0], p) + ") OR (" + Render(c.children[1], p) + ")";
    case Condition::kNot:
      return "NOT (" + Render(c.children[0], p) + ")";
    case Condition::kCompare:
      return p.Operand(c.args[0]) + " " + c.op + " " + p.Operand(c.args[1]);
    case Condition::kBetween:
      return p.Operand(c.args[0]) + " BETWEEN " + p.Operand(c.args[1]) + " AND " + p.Operand(c.args[2]);
    case Condition::kIn: {
      std::string out = p.Operand(c.args[0]) + " IN (";
      for (size_t i = 1; i < c.args.size(); ++i) out += (i > 1 ? ", " : "") + p.Operand(c.args[i]);
      return out + ")";
    }
    case Condition::kFunction:
      return c.op + "(" + p.Operand(c.args[0]) + ", " + p.Operand(c.args[1]) + ")";
    case Condition::kIsMissing:
      return "attribute_not_exists(" + p.Operand(c.args[0]) + ")";
    case Condition::kIsNotMissing:
      return "attribute_exists(" + p.Operand(c.args[0]) + ")";
    case Condition::kIsNull:
      return "attribute_type(" + p.Operand(c.args[0]) + ", " + p.Value("{\"S\":\"NULL\"}") + ")";
    case Condition::kIsNotNull:
      return "NOT attribute_type(" + p.Operand(c.args[0]) + ", " + p.Value("{\"S\":\"NULL\"}") + ")";
    case Condition::kIsType:
      return "attribute_type(" + p.Operand(c.args[0]) + ", " + p.Value("{\"S\":\"" + c.op + "\"}") + ")";
  }
  return {};
}

void Conjuncts(const Condition& c, std::vector<const Condition*>& out) {
  if (c.kind == Condition::kAnd) {
    Conjuncts(c.children[0], out);
    Conjuncts(c.children[1], out);
  } else {
    out.push_back(&c);
  }
}

bool IsAttribute(const Operand& o, const std::string& name) {
  return o.kind == Operand::kPath && o.path.size() == 1 && o.path[0].index < 0 && o.path[0].name == name;
}

// "attribute = value" (either way round): the value.
const std::string* EqualityOn(const Condition& c, const std::string& name) {
  if (c.kind != Condition::kCompare || c.op != "=") return nullptr;
  if (IsAttribute(c.args[0], name) && c.args[1].kind == Operand::kValue) return &c.args[1].value;
  if (IsAttribute(c.args[1], name) && c.args[0].kind == Operand::kValue) return &c.args[0].value;
  return nullptr;
}

// A condition a KeyConditionExpression can hold on the sort key.
bool IsSortKeyCondition(const Condition& c, const std::string& name) {
  auto value = [](const Operand& o) { return o.kind == Operand::kValue; };
  switch (c.kind) {
    case Condition::kCompare:
      return c.op != "<>" &&
             ((IsAttribute(c.args[0], name) && value(c.args[1])) || (IsAttribute(c.args[1], name) && value(c.args[0])));
    case Condition::kBetween:
      return IsAttribute(c.args[0], name) && value(c.args[1]) && value(c.args[2]);
    case Condition::kFunction:
      return c.op == "begins_with" && IsAttribute(c.args[0], name) && value(c.args[1]);
    default:
      return false;
  }
}

std::string JoinAnd(const std::vector<const Condition*>& parts, Placeholders& p) {
  std::string out;
  for (const Condition* c : parts) out += (out.empty() ? "(" : " AND (") + Render(*c, p) + ")";
  return out;
}

struct KeyMatch {
  std::string key_json;                // {"pk": {...}, "sk": {...}}
  std::vector<const Condition*> rest;  // the WHERE's other conjuncts
};

KeyMatch MatchFullKey(const Statement& st, const TableSchema& table) {
  static const char* kMissing = "Where clause does not contain a mandatory equality on all key attributes";
  if (!st.where) throw ApiError::Validation(kMissing);
  std::vector<const Condition*> parts;
  Conjuncts(*st.where, parts);
  const std::string* hash = nullptr;
  const std::string* range = nullptr;
  KeyMatch m;
  for (const Condition* c : parts) {
    if (!hash && (hash = EqualityOn(*c, table.key.hash.name))) continue;
    if (table.key.range && !range && (range = EqualityOn(*c, table.key.range->name))) continue;
    m.rest.push_back(c);
  }
  if (!hash || (table.key.range && !range)) throw ApiError::Validation(kMissing);
  m.key_json = "{" + Str(table.key.hash.name) + ":" + *hash;
  if (range) m.key_json += "," + Str(table.key.range->name) + ":" + *range;
  m.key_json += "}";
  return m;
}

std::string Projection(const Statement& st, Placeholders& p) {
  if (st.projection.empty()) return {};
  std::string out;
  for (const auto& path : st.projection) out += (out.empty() ? "" : ", ") + p.Path(path);
  return ",\"ProjectionExpression\":" + Str(out);
}

std::string UpdateExpression(const Statement& st, Placeholders& p) {
  std::string set, remove, add, del;
  auto append = [](std::string& clause, const std::string& part) { clause += (clause.empty() ? "" : ", ") + part; };
  for (const Action& a : st.actions) {
    const std::string target = p.Path(a.path);
    switch (a.kind) {
      case Action::kSet:
        append(set, target + " = " + p.Operand(a.args[0]));
        break;
      case Action::kPlus:
      case Action::kMinus:
        append(set, target + " = " + p.Operand(a.args[0]) + (a.kind == Action::kPlus ? " + " : " - ") +
                        p.Operand(a.args[1]));
        break;
      case Action::kListAppend:
        append(set, target + " = list_append(" + p.Operand(a.args[0]) + ", " + p.Operand(a.args[1]) + ")");
        break;
      case Action::kSetAdd:
      case Action::kSetDelete:
        if (a.args[1].kind != Operand::kValue)
          throw ApiError::Validation(std::string(a.kind == Action::kSetAdd ? "set_add" : "set_delete") +
                                     " takes the set's path and a set value");
        append(a.kind == Action::kSetAdd ? add : del, p.Path(a.args[0].path) + " " + p.Value(a.args[1].value));
        break;
      case Action::kRemove:
        append(remove, target);
        break;
    }
  }
  std::string out;
  if (!set.empty()) out += "SET " + set;
  if (!remove.empty()) out += (out.empty() ? "" : " ") + std::string("REMOVE ") + remove;
  if (!add.empty()) out += (out.empty() ? "" : " ") + std::string("ADD ") + add;
  if (!del.empty()) out += (out.empty() ? "" : " ") + std::string("DELETE ") + del;
  return out;
}

}  // namespace

Translation Select(const Statement& st, const TableSchema& table, const ReadOptions& options) {
  Placeholders p;
  const KeySchema* key = &table.key;
  if (!st.index.empty()) {
    const SecondaryIndex* index = table.FindIndex(st.index);
    key = index ? &index->key : nullptr;
  }
  std::vector<const Condition*> parts;
  if (st.where) Conjuncts(*st.where, parts);
  // The conditions a Query's key condition takes: an equality on every partition attribute, then
  // on the sort attributes left to right equalities and at most one other condition (a
  // multi-attribute GSI key has several of each; a table's at most one).
  std::vector<const Condition*> key_conditions;
  auto unused = [&](const Condition* c) {
    return std::find(key_conditions.begin(), key_conditions.end(), c) == key_conditions.end();
  };
  auto find = [&](const std::string& name, bool equality) -> const Condition* {
    for (const Condition* c : parts)
      if (unused(c) && (equality ? EqualityOn(*c, name) != nullptr : IsSortKeyCondition(*c, name))) return c;
    return nullptr;
  };
  bool query = key != nullptr;
  if (key) {
    for (const KeyAttribute* k : key->HashParts()) {
      const Condition* c = find(k->name, true);
      if (!c) {
        query = false;
        break;
      }
      key_conditions.push_back(c);
    }
  }
  if (query) {
    for (const KeyAttribute* k : key->RangeParts()) {
      if (const Condition* c = find(k->name, true)) {
        key_conditions.push_back(c);
        continue;
      }
      if (const Condition* c = find(k->name, false)) key_conditions.push_back(c);
      break;
    }
  }
  Translation t;
  std::string& m = t.members;
  m = "\"TableName\":" + Str(st.table);
  if (!st.index.empty()) m += ",\"IndexName\":" + Str(st.index);
  if (query) {
    t.operation = "Query";
    std::vector<const Condition*> rest;
    for (const Condition* c : parts)
      if (unused(c)) rest.push_back(c);
    m += ",\"KeyConditionExpression\":" + Str(JoinAnd(key_conditions, p));
    if (!rest.empty()) m += ",\"FilterExpression\":" + Str(JoinAnd(rest, p));
    if (st.order_by) {
      if (!key->range || st.order_by->size() != 1 || st.order_by->front().name != key->range->name)
        throw ApiError::Validation(
            "ORDER BY is only supported on the sort key of the table or index the statement reads");
      if (st.descending) m += ",\"ScanIndexForward\":false";
    }
  } else {
    t.operation = "Scan";
    if (st.order_by) throw ApiError::Validation("Must have WHERE clause in the statement when using ORDER BY clause.");
    if (st.where) m += ",\"FilterExpression\":" + Str(Render(*st.where, p));
  }
  m += Projection(st, p);
  m += p.Members();
  if (options.limit) m += ",\"Limit\":" + std::to_string(*options.limit);
  if (options.consistent) m += ",\"ConsistentRead\":true";
  if (!options.exclusive_start_key.empty()) m += ",\"ExclusiveStartKey\":" + options.exclusive_start_key;
  return t;
}

Translation Keyed(const Statement& st, const TableSchema& table) {
  KeyMatch key = MatchFullKey(st, table);
  Placeholders p;
  Translation t;
  std::string& m = t.members;
  m = "\"TableName\":" + Str(st.table) + ",\"Key\":" + key.key_json;
  auto exists = [&] { return "attribute_exists(" + p.Name(table.key.hash.name) + ")"; };
  std::string condition;
  switch (st.kind) {
    case Statement::kSelect:
      if (!st.index.empty()) throw ApiError::Validation("A statement that reads one item may not name an index");
      t.operation = "GetItem";
      if (!key.rest.empty())
        throw ApiError::Validation("Where clause of a statement that reads one item may only name its key attributes");
      m += Projection(st, p);
      break;
    case Statement::kExists:
      t.operation = "ConditionCheck";
      condition = key.rest.empty() ? exists() : exists() + " AND " + JoinAnd(key.rest, p);
      break;
    case Statement::kUpdate:
      t.operation = "UpdateItem";
      m += ",\"UpdateExpression\":" + Str(UpdateExpression(st, p));
      condition = key.rest.empty() ? exists() : exists() + " AND " + JoinAnd(key.rest, p);
      break;
    case Statement::kDelete:
      t.operation = "DeleteItem";
      if (!key.rest.empty()) condition = JoinAnd(key.rest, p);
      break;
    case Statement::kInsert:
      break;
  }
  if (!condition.empty()) m += ",\"ConditionExpression\":" + Str(condition);
  if (!st.returning.empty()) m += ",\"ReturnValues\":" + Str(st.returning);
  m += p.Members();
  return t;
}

Translation Insert(const Statement& st, const TableSchema& table) {
  Placeholders p;
  Translation t{"PutItem", "\"TableName\":" + Str(st.table) + ",\"Item\":" + st.item};
  t.members += ",\"ConditionExpression\":" + Str("attribute_not_exists(" + p.Name(table.key.hash.name) + ")");
  t.members += p.Members();
  return t;
}

}  // namespace localddb::api::partiql
