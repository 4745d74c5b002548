#include "api/admin/recovery_trim.h"

#include <vector>

#include "api/ops/backup_store.h"

namespace localddb::api {

void TrimRecoveryHistory(Context& ctx) {
  const double before = ctx.now() - kMaxRecoverySeconds;
  // Deleted tables' system backups are kept for the same 35 days.
  std::vector<Backup> expired;
  for (auto& b : LoadBackups(ctx))
    if (b.type == "SYSTEM" && b.created < before) expired.push_back(std::move(b));
  ctx.db.Write([before, &expired](storage::WriteTxn& txn) {
    txn.TrimPitr(before);
    for (const auto& b : expired) {
      txn.DeleteBackup(b.arn);
      txn.DropSpace(b.space);
    }
  });
}

}  // namespace localddb::api
