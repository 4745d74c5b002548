// Internal: document-path resolution shared by evaluation and update actions.
#pragma once

#include "api/expr/ast.h"

namespace localddb::expr {

// The value at path in item, or nullptr if any step is missing or of the wrong kind.
const value::AttributeValue* Resolve(const Path& path, const value::Item& item);

}  // namespace localddb::expr
