// PutItem: validate the item, then replace it in one writer transaction (with its index entries).
#include "api/ops/item_write_request.h"
#include "api/ops/handlers.h"
#include "api/write/item_key.h"
#include "api/ops/item_request.h"
#include "api/ops/table_lookup.h"
#include "api/write/write_support.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"

namespace localddb::api {

// Parses and validates a whole item for writing into t: values, size limit, key attributes.
// Shared by PutItem and BatchWriteItem's PutRequest (batch_wording: see KeyOfNewItem).
ItemImage ParseNewItem(const TableSchema& t, const json::Value& item_json, storage::EntryKey* key,
                       bool batch_wording) {
  ItemImage image;
  image.item = value::ParseItem(item_json);
  image.size = value::ItemSize(image.item);
  if (image.size > value::kMaxItemSize)
    throw ApiError::Validation("Item size has exceeded the maximum allowed size");
  *key = KeyOfNewItem(t, image.item, batch_wording);
  image.json = value::ItemToJson(image.item);
  return image;
}

LOCALDDB_HANDLER(PutItem) {
  input::RequireObject(input);
  RequestExpressions expressions(input);
  ItemWriteRequest request = ReadItemWriteRequest(input, "Item", "item", expressions);
  expressions.Finish();
  RequireNoneOrAllOld(request.options);
  const ItemRequestOptions options = request.options;
  auto condition = request.condition;

  TableSchemaPtr t = ctx.catalog.Require(request.table_name);
  auto key = std::make_shared<storage::EntryKey>();
  auto image = std::make_shared<ItemImage>(ParseNewItem(*t, *request.item_or_key, key.get(), false));
  auto result = std::make_shared<WriteResult>();

  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, t, key, image, result, options, condition](storage::WriteTxn& txn) {
        ItemWriter writer(txn, *t, ctx);
        std::optional<ItemImage> old;
        if (writer.NeedsOldImage() || options.return_values == ReturnValues::kAllOld ||
            options.capacity != CapacityMode::kNone || condition->condition)
          old = writer.Read(*key);
        condition->Check(old);
        *result = writer.Put(*key, std::move(old), *image);
      },
      [t, image, result, options]() {
        WriteOutput out;
        if (options.return_values == ReturnValues::kAllOld && result->old_image)
          out.attributes_json = &result->old_image->json;
        out.consumed = WriteConsumed(*t, *result, image->size);
        if (options.collection_metrics && t->HasLocalIndexes())
          out.collection_key_json = value::ItemToJson(KeyAttributes({t->key.hash, std::nullopt}, image->item));
        return BuildWriteOutput(options, out);
      });
}

}  // namespace localddb::api
