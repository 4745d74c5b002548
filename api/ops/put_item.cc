// PutItem: validate the item, then replace it in one writer transaction (with its index entries
// and stream record) if the condition holds.
#include "api/ops/handlers.h"
#include "api/ops/return_options.h"
#include "api/ops/write_request.h"
#include "api/value/json_codec.h"
#include "api/write/item_change.h"
#include "api/write/item_key.h"

namespace localddb::api {

void PutItem(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  RequestExpressions expressions(input);
  ItemWriteRequest request = ReadItemWriteRequest(input, "Item", "item", expressions);
  expressions.Finish();
  RequireNoneOrAllOld(request.options);
  const ItemRequestOptions options = request.options;

  TableSchemaPtr t = ctx.catalog.Require(request.table_name);
  storage::EntryKey key;
  ItemImage image = ParseNewItem(*t, *request.item_or_key, &key, false);
  // The old item is read only when something needs it (indexes and streams always do).
  const bool needs_old = options.return_values == ReturnValues::kAllOld || options.capacity != CapacityMode::kNone;
  auto change =
      std::make_shared<PutChange>(t, std::move(key), std::move(request.condition), std::move(image), needs_old);
  SubmitItemChange(ctx, std::move(respond), change, [change, options](const AppliedChange& applied) {
    const ItemImage& image = change->image();
    WriteOutput out;
    if (options.return_values == ReturnValues::kAllOld && applied.result.old_image)
      out.attributes_json = &applied.result.old_image->json;
    out.consumed = WriteConsumed(*applied.table, applied.result, image.size);
    if (options.collection_metrics && applied.table->HasLocalIndexes())
      out.collection_key_json =
          value::ItemToJson(KeyAttributes({applied.table->key.hash, std::nullopt, {}, {}}, image.item));
    return BuildWriteOutput(options, out);
  });
}

}  // namespace localddb::api
