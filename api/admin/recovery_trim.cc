#include "api/admin/recovery_trim.h"

namespace localddb::api {

void TrimRecoveryHistory(Context& ctx) {
  const double before = ctx.now() - kMaxRecoverySeconds;
  ctx.db.Write([before](storage::WriteTxn& txn) { txn.TrimPitr(before); });
}

}  // namespace localddb::api
