#include "api/admin/ttl_sweep.h"

#include "api/write/item_writer.h"

namespace localddb::api {
namespace {
constexpr int64_t kFiveYears = 5 * 365 * 24 * 3600;
}  // namespace

int64_t SweepExpired(Context& ctx, int64_t limit) {
  int64_t deleted = 0;
  ctx.db.Write([&](storage::WriteTxn& txn) {
    const int64_t now = static_cast<int64_t>(ctx.now());
    for (const TableSchemaPtr& listed : ctx.catalog.List()) {
      if (deleted >= limit) break;
      // The writer's view of the table (a racing UpdateTimeToLive or DeleteTable has run or not).
      const TableSchemaPtr table = ctx.catalog.Find(listed->name);
      if (!table || table->ttl_attribute.empty()) continue;
      ItemWriter writer(txn, *table, ctx);
      for (const auto& [indexed, key] : txn.Expired(table->space, now - kFiveYears, now, limit - deleted)) {
        std::optional<ItemImage> old = writer.Read(key);
        // The index and the items change together, so they agree; should they not, the item's own
        // attribute decides, and the stale index row goes.
        const auto at = old ? ExpiryOf(*table, old->item) : std::nullopt;
        if (!at || *at != indexed) {
          txn.DeleteExpiry(table->space, indexed, key);
          continue;
        }
        writer.Delete(key, std::move(old), /*by_service=*/true);
        ++deleted;
      }
    }
  });
  return deleted;
}

}  // namespace localddb::api
