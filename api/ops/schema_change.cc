#include "api/ops/schema_change.h"

#include "api/catalog/describe.h"
#include "api/write/submit_write.h"

namespace localddb::api {

void SubmitSchemaChange(Context& ctx, Respond respond, TableSchemaPtr current, std::shared_ptr<TableSchema> next,
                        std::function<std::string()> output,
                        std::function<void(storage::WriteTxn&, const TableSchema& next)> also) {
  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, current, next, also = std::move(also)](storage::WriteTxn& txn) {
        if (ctx.catalog.Find(current->name) != current)
          throw ApiError::ResourceInUse("Attempt to change a resource which is still in use: Table is being updated: " +
                                        current->name);
        if (also) also(txn, *next);
        txn.PutTable({next->space, next->name, next->ToJson()});
        ctx.catalog.Put(next);
      },
      std::move(output), [&ctx, current]() { ctx.catalog.Put(current); });
}

TableSchemaPtr RequireTableByArn(Context& ctx, std::string_view arn, std::string_view denied_action) {
  if (!IsTableArn(arn))
    throw ApiError::Validation("Invalid TableArn: Invalid ResourceArn provided as input " + std::string(arn));
  const std::string prefix = TableArn(ctx.settings, "");
  if (arn.starts_with(prefix)) {
    if (auto t = ctx.catalog.Find(arn.substr(prefix.size()))) return t;
  }
  // ListTagsOfResource does not say whether a table exists: it refuses as IAM would.
  if (!denied_action.empty())
    throw ApiError(ErrorKind::kAccessDenied, "User: arn:aws:iam::" + ctx.settings.account_id +
                                                 ":root is not authorized to perform: dynamodb:" +
                                                 std::string(denied_action) + " on resource: " + std::string(arn));
  // DynamoDB's own spelling ("ResourcArn").
  throw ApiError::ResourceNotFound("Requested resource not found: ResourcArn: " + std::string(arn) + " not found");
}

}  // namespace localddb::api
