// DeleteItem: remove the item (and its index entries) in one writer transaction.
#include "api/ops/conditional_write.h"
#include "api/ops/handlers.h"
#include "api/ops/item_key.h"
#include "api/ops/item_request.h"
#include "api/ops/unsupported.h"
#include "api/ops/write_support.h"
#include "api/value/json_codec.h"

namespace localddb::api {

LOCALDDB_HANDLER(DeleteItem) {
  input::RequireObject(input);
  RejectUnsupported(input);
  input::Violations v;
  auto table_name = input::String(input, "TableName");
  input::CheckTableName(table_name, "tableName", v);
  const json::Value* key_json = input::Object(input, "Key");
  if (!key_json) v.Missing("key");
  ItemRequestOptions options = ReadItemRequestOptions(input, v);
  RequestExpressions expressions(input);
  auto condition = std::make_shared<WriteCondition>(ReadWriteCondition(expressions, input, v));
  v.ThrowIfAny();
  expressions.Finish();
  if (options.return_values != ReturnValues::kNone && options.return_values != ReturnValues::kAllOld)
    throw ApiError::Validation("ReturnValues can only be ALL_OLD or NONE");

  value::Item key_item = value::ParseItem(*key_json);
  TableSchemaPtr t = ctx.catalog.Require(*table_name);
  auto key = std::make_shared<storage::EntryKey>(KeyFromKeyMap(*t, key_item));
  auto result = std::make_shared<WriteResult>();

  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, t, key, result, condition](storage::WriteTxn& txn) {
        ItemWriter writer(txn, *t, ctx);
        std::optional<ItemImage> old = writer.Read(*key);
        condition->Check(old);
        *result = writer.Delete(*key, std::move(old));
      },
      [t, result, options, key_item = std::move(key_item)]() {
        WriteOutput out;
        if (options.return_values == ReturnValues::kAllOld && result->old_image)
          out.attributes_json = &result->old_image->json;
        out.consumed = WriteConsumed(*t, *result, 0);
        if (options.collection_metrics && t->HasLocalIndexes())
          out.collection_key_json = value::ItemToJson(KeyAttributes({t->key.hash, std::nullopt}, key_item));
        return BuildWriteOutput(options, out);
      });
}

}  // namespace localddb::api
