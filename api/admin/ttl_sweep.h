// Time to Live, as DynamoDB does it: an item whose TTL attribute (a Number of epoch seconds) is
// earlier than the server clock is deleted by a sweep, through the normal write path: its index
// entries go, and its table's stream gets a REMOVE record (with the old image its view type
// allows) marked with userIdentity {"type": "Service", "principalId": "dynamodb.amazonaws.com"}.
// Until a sweep reaches it, an expired item is still returned by reads, as on DynamoDB. Items
// whose expiry is more than five years in the past are left alone, as DynamoDB documents.
#pragma once

#include <cstdint>

#include "api/context.h"

namespace localddb::api {

// Deletes up to `limit` expired items of the namespace's tables with TTL enabled, in one writer
// transaction, reading them from the TTL index (never scanning a table). Returns how many.
int64_t SweepExpired(Context& ctx, int64_t limit);

}  // namespace localddb::api
