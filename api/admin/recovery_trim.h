// Point-in-time recovery keeps, per write, the item's state before it (storage's pitr_log). A
// table can be restored at most 35 days back (its recovery period is 1 to 35 days), so history
// older than that is never read again: this drops it, and deleted tables' system backups once their
// 35 days are over. Run by the background sweeper.
#pragma once

#include "api/context.h"

namespace localddb::api {

// The longest recovery period DynamoDB allows, in seconds.
constexpr double kMaxRecoverySeconds = 35 * 86400.0;

// Drops the namespace's recovery history older than kMaxRecoverySeconds on the server clock.
void TrimRecoveryHistory(Context& ctx);

}  // namespace localddb::api
