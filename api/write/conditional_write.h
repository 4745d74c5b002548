// A write's condition (ConditionExpression or legacy Expected) as a pure decision on the old item:
// the writer thread calls Check inside the write's transaction, so two racing conditional writes
// cannot both pass.
#pragma once

#include <optional>

#include "api/expr/ast.h"
#include "api/write/item_writer.h"

namespace localddb::api {

struct WriteCondition {
  std::optional<expr::Node> condition;
  bool return_old_on_failure = false;  // ReturnValuesOnConditionCheckFailure=ALL_OLD

  // Throws ConditionalCheckFailedException (with the old item if asked) unless the condition
  // holds on old (an absent item is an empty one).
  void Check(const std::optional<ItemImage>& old) const;
};

}  // namespace localddb::api
