#include "api/ops/conditional_write.h"

#include "api/error.h"
#include "api/expr/expression.h"

namespace localddb::api {

void WriteCondition::Check(const std::optional<ItemImage>& old) const {
  if (!condition) return;
  static const value::Item kEmpty;
  if (expr::Evaluate(*condition, old ? old->item : kEmpty)) return;
  throw ApiError::ConditionalCheckFailed(return_old_on_failure && old ? old->json : std::string());
}

WriteCondition ReadWriteCondition(RequestExpressions& expressions, const json::Value& input, input::Violations& v) {
  WriteCondition c;
  auto rv = input::String(input, "ReturnValuesOnConditionCheckFailure");
  input::CheckEnum(rv, "returnValuesOnConditionCheckFailure", {"ALL_OLD", "NONE"}, v);
  c.return_old_on_failure = rv == "ALL_OLD";
  c.condition = expressions.WriteCondition();
  return c;
}

}  // namespace localddb::api
