// Declarations of every operation handler (one definition per file in api/ops/ and streams/).
#pragma once

#include "api/ops/operation.h"

namespace localddb::api {

#define LOCALDDB_HANDLER(Name) void Name(Context& ctx, const json::Value& input, Respond respond)

// Tables (api/ops/<snake_name>.cc)
// Items
// Queries
// Streams (streams/)

#undef LOCALDDB_HANDLER

}  // namespace localddb::api
