#include "api/write/conditional_write.h"

#include "api/error.h"
#include "api/expr/expression.h"

namespace localddb::api {

void WriteCondition::Check(const std::optional<ItemImage>& old) const {
  if (!condition) return;
  static const value::Item kEmpty;
  if (expr::Evaluate(*condition, old ? old->item : kEmpty)) return;
  throw ApiError::ConditionalCheckFailed(return_old_on_failure && old ? old->json : std::string());
}

}  // namespace localddb::api
