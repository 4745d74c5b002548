// DeleteItem: remove the item (and its index entries) in one writer transaction if the condition
// holds.
#include "api/ops/handlers.h"
#include "api/ops/return_options.h"
#include "api/ops/write_request.h"
#include "api/value/json_codec.h"
#include "api/write/item_change.h"
#include "api/write/item_key.h"

namespace localddb::api {

void DeleteItem(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  RequestExpressions expressions(input);
  ItemWriteRequest request = ReadItemWriteRequest(input, "Key", "key", expressions);
  expressions.Finish();
  RequireNoneOrAllOld(request.options);
  const ItemRequestOptions options = request.options;

  value::Item key_item = value::ParseItem(*request.item_or_key);
  TableSchemaPtr t = ctx.catalog.Require(request.table_name);
  storage::EntryKey key = KeyFromKeyMap(*t, key_item);
  auto change = std::make_shared<DeleteChange>(t, std::move(key), std::move(request.condition));
  SubmitItemChange(ctx, std::move(respond), change,
                   [options, key_item = std::move(key_item)](const AppliedChange& applied) {
                     WriteOutput out;
                     if (options.return_values == ReturnValues::kAllOld && applied.result.old_image)
                       out.attributes_json = &applied.result.old_image->json;
                     out.consumed = WriteConsumed(*applied.table, applied.result, 0);
                     if (options.collection_metrics && applied.table->HasLocalIndexes())
                       out.collection_key_json =
                           value::ItemToJson(KeyAttributes({applied.table->key.hash, std::nullopt, {}, {}}, key_item));
                     return BuildWriteOutput(options, out);
                   });
}

}  // namespace localddb::api
