// DeleteTable: drop the table's and its indexes' entries and its catalog row in one transaction
// (keeping a system backup first when point-in-time recovery is on, as DynamoDB does).
#include "api/catalog/describe.h"
#include "api/ops/backup_store.h"
#include "api/ops/handlers.h"
#include "api/ops/table_lookup.h"
#include "api/write/submit_write.h"

namespace localddb::api {

void DeleteTable(Context& ctx, const json::Value& input, Respond respond) {
  TableSchemaPtr t = RequireTableForTableOp(ctx, RequireTableName(input));
  if (t->deletion_protection)
    throw ApiError::Validation(
        "Resource cannot be deleted as it is currently protected against deletion. "
        "Disable deletion protection first.");
  // The description is taken before the entries go, so it reports the last counts.
  auto body = std::make_shared<std::string>();
  {
    rapidjson::StringBuffer buf;
    json::Writer w(buf);
    w.StartObject();
    w.Key("TableDescription");
    WriteTableDescription(w, ctx, *t, "DELETING");
    w.EndObject();
    body->assign(buf.GetString(), buf.GetSize());
  }
  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, t](storage::WriteTxn& txn) {
        if (ctx.catalog.Find(t->name) != t)
          throw ApiError::ResourceNotFound("Requested resource not found: Table: " + t->name + " not found");
        if (t->pitr_since > 0) {
          // Point-in-time recovery was on: DynamoDB keeps the table as it was, as a system backup.
          Backup b;
          b.name = t->name + std::string(kDeletedTableBackupSuffix);
          b.type = "SYSTEM";
          b.table_name = t->name;
          b.table_id = t->table_id;
          b.table_arn = TableArn(ctx.settings, t->name);
          b.table_created = t->creation_time;
          b.created = ctx.now();
          b.arn = NewBackupArn(b.table_arn, b.created);
          CopyIntoBackup(txn, *t, b);
        }
        txn.DropSpace(t->space);
        for (const auto& i : t->indexes) txn.DropSpace(i.space);
        txn.DeleteTable(t->space);
        ctx.catalog.Remove(t->name);
      },
      [body] { return *body; }, [&ctx, t] { ctx.catalog.Put(t); });
}

}  // namespace localddb::api
