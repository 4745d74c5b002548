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
  expr::KeyCondition kc =
      expr::AnalyzeKeyCondition(*key_condition, key.hash.name, key.hash.type,
                                key.range ? std::optional<std::string>(key.range->name) : std::nullopt,
                                key.range ? key.range->type : value::Type::kS);
  std::string hk = value::EncodeKey(kc.hash_value);
  read.range.partition = storage::Range::Partition{value::PartitionHash(hk), std::move(hk)};
  read.range.forward = forward;
  ApplyRangeCondition(kc, read.range);
  ApplyExclusiveStartKey(input, read);
  if (read.range.after && read.range.after->hk != read.range.partition->hk)
    throw ApiError::Validation("The provided starting key is outside query boundaries based on provided conditions");
  respond(Outcome::Ok(RunPagedRead(ctx, read)));
}

}  // namespace localddb::api
