// Internal: document-path resolution shared by evaluation and update actions.
#pragma once

#include "api/expr/ast.h"

namespace localddb::expr {

// The value at the first `steps` elements of path in item, or nullptr if any of those steps is
// missing or of the wrong kind. REQUIRES: 1 <= steps <= path.size().
value::AttributeValue* ResolvePrefix(const Path& path, size_t steps, value::Item& item);

// The value at path in item, or nullptr.
inline const value::AttributeValue* Resolve(const Path& path, const value::Item& item) {
  // ResolvePrefix only reads through the reference.
  return ResolvePrefix(path, path.size(), const_cast<value::Item&>(item));
}

}  // namespace localddb::expr
