// DeleteItem: remove the item (and its index entries) in one writer transaction.
#include "api/ops/item_write_request.h"
#include "api/ops/handlers.h"
#include "api/write/item_key.h"
#include "api/ops/item_request.h"
#include "api/write/write_support.h"
#include "api/value/json_codec.h"

namespace localddb::api {

LOCALDDB_HANDLER(DeleteItem) {
  input::RequireObject(input);
  RequestExpressions expressions(input);
  ItemWriteRequest request = ReadItemWriteRequest(input, "Key", "key", expressions);
  expressions.Finish();
  RequireNoneOrAllOld(request.options);
  const ItemRequestOptions options = request.options;
  auto condition = request.condition;

  value::Item key_item = value::ParseItem(*request.item_or_key);
  TableSchemaPtr t = ctx.catalog.Require(request.table_name);
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
