// Query: one partition of the table or of an index, as an ordered range read on the encoded keys.
#include "api/expr/expression.h"
#include "api/ops/handlers.h"
#include "api/ops/paged_read.h"
#include "api/value/key_codec.h"

namespace localddb::api {
namespace {

// The smallest byte string greater than every string starting with prefix; nullopt if none.
std::optional<std::string> PrefixSuccessor(std::string prefix) {
  while (!prefix.empty()) {
    auto last = static_cast<unsigned char>(prefix.back());
    if (last != 0xFF) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return std::nullopt;
}

void ApplyRangeCondition(const expr::KeyCondition& kc, storage::Range& range) {
  if (!kc.range_op) return;
  const std::string& op = *kc.range_op;
  std::string a = value::EncodeKey(kc.range_values[0]);
  if (op == "=") {
    range.rk_low = storage::Bound{a, true};
    range.rk_high = storage::Bound{a, true};
  } else if (op == "<") {
    range.rk_high = storage::Bound{a, false};
  } else if (op == "<=") {
    range.rk_high = storage::Bound{a, true};
  } else if (op == ">") {
    range.rk_low = storage::Bound{a, false};
  } else if (op == ">=") {
    range.rk_low = storage::Bound{a, true};
  } else if (op == "BETWEEN") {
    range.rk_low = storage::Bound{a, true};
    range.rk_high = storage::Bound{value::EncodeKey(kc.range_values[1]), true};
  } else {  // begins_with: [prefix, successor)
    if (auto next = PrefixSuccessor(a)) range.rk_high = storage::Bound{*next, false};
    range.rk_low = storage::Bound{std::move(a), true};
  }
}

// The same on a multi-attribute sort key, stored as a tuple (key_codec.h): the equalities on the
// leading attributes fix a prefix P, and the last condition bounds the next component inside it.
// "Component = v" is every tuple starting with P+c(v) (c: the component and its terminator); the
// tuples whose component is below v all sort before P+c(v), those above it from P+e(v)+00 02 on.
void ApplyTupleRangeCondition(const expr::KeyCondition& kc, storage::Range& range) {
  std::string prefix;
  for (const auto& v : kc.range_prefix) value::AppendTupleComponent(prefix, value::EncodeKey(v));
  // Everything within the prefix, unless the condition narrows it.
  if (!prefix.empty()) {
    range.rk_low = storage::Bound{prefix, true};
    if (auto next = PrefixSuccessor(prefix)) range.rk_high = storage::Bound{*next, false};
  }
  if (!kc.range_op) return;
  const std::string& op = *kc.range_op;
  auto at = [&](const value::AttributeValue& v) {  // P + the component, terminated
    std::string s = prefix;
    value::AppendTupleComponent(s, value::EncodeKey(v));
    return s;
  };
  auto after = [&](const value::AttributeValue& v) {  // just past every tuple P + component v + ...
    std::string s = prefix;
    value::AppendTupleComponentPrefix(s, value::EncodeKey(v));
    s.append(value::kTupleAfterComponent);
    return s;
  };
  const value::AttributeValue& a = kc.range_values[0];
  if (op == "=") {
    range.rk_low = storage::Bound{at(a), true};
    range.rk_high = storage::Bound{after(a), false};
  } else if (op == "<") {
    range.rk_high = storage::Bound{at(a), false};
  } else if (op == "<=") {
    range.rk_high = storage::Bound{after(a), false};
  } else if (op == ">") {
    range.rk_low = storage::Bound{after(a), true};
  } else if (op == ">=") {
    range.rk_low = storage::Bound{at(a), true};
  } else if (op == "BETWEEN") {
    range.rk_low = storage::Bound{at(a), true};
    range.rk_high = storage::Bound{after(kc.range_values[1]), false};
  } else {  // begins_with: the escaped bytes without a terminator are a prefix of every match
    std::string start = prefix;
    value::AppendTupleComponentPrefix(start, value::EncodeKey(a));
    if (auto next = PrefixSuccessor(start)) range.rk_high = storage::Bound{*next, false};
    range.rk_low = storage::Bound{std::move(start), true};
  }
}

std::vector<expr::KeyPartName> Names(const KeyParts& parts) {
  std::vector<expr::KeyPartName> out;
  for (const KeyAttribute* k : parts) out.push_back({k->name, k->type});
  return out;
}

}  // namespace

void Query(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  RequestExpressions expressions(input);
  PagedRead read;
  std::optional<expr::Node> key_condition;
  ReadPagedRequest(ctx, input, expressions, "QueryFilter", read, v, [&] {
    key_condition = expressions.KeyCondition();
    if (!key_condition)
      throw ApiError::Validation(
          "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
  });
  const bool forward = input::Bool(input, "ScanIndexForward").value_or(true);
  expressions.Finish();

  const KeySchema& key = read.index ? read.index->key : read.table->key;
  expr::KeyCondition kc = expr::AnalyzeKeyCondition(*key_condition, Names(key.HashParts()), Names(key.RangeParts()));
  std::string hk;
  if (key.MultiHash())
    for (const auto& v : kc.hash_values) value::AppendTupleComponent(hk, value::EncodeKey(v));
  else
    hk = value::EncodeKey(kc.hash_value);
  read.range.partition = storage::Range::Partition{value::PartitionHash(hk), std::move(hk)};
  read.range.forward = forward;
  if (key.MultiRange())
    ApplyTupleRangeCondition(kc, read.range);
  else
    ApplyRangeCondition(kc, read.range);
  ApplyExclusiveStartKey(input, read);
  if (read.range.after && read.range.after->hk != read.range.partition->hk)
    throw ApiError::Validation("The provided starting key is outside query boundaries based on provided conditions");
  respond(Outcome::Ok(RunPagedRead(ctx, read)));
}

}  // namespace localddb::api
