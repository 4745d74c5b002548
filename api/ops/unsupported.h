// Request parameters localddb does not implement yet are rejected, never silently ignored.
// This is the one place that list lives; each entry goes once its feature lands.
#pragma once

#include "api/json.h"

namespace localddb::api {

// Throws ValidationException naming the first present parameter from the not-yet-supported list.
void RejectUnsupported(const json::Value& input);

}  // namespace localddb::api
