// UpdateItem: apply an UpdateExpression (or legacy AttributeUpdates) to the current item, or to a
// new item holding just the key (upsert), under an optional condition, in one writer transaction.
#include "api/expr/expression.h"
#include "api/ops/item_write_request.h"
#include "api/ops/handlers.h"
#include "api/write/item_key.h"
#include "api/ops/item_request.h"
#include "api/write/write_support.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"

namespace localddb::api {
namespace {

// UPDATED_OLD / UPDATED_NEW: just the fragments of the item at the paths the update touched.
value::Item OnlyUpdated(const value::Item& item, const std::vector<expr::Path>& paths) {
  return expr::Project(item, paths);
}

}  // namespace

LOCALDDB_HANDLER(UpdateItem) {
  input::RequireObject(input);
  RequestExpressions expressions(input);
  ItemWriteRequest request = ReadItemWriteRequest(input, "Key", "key", expressions);
  auto actions = std::make_shared<std::vector<expr::UpdateAction>>(expressions.Update().value_or(std::vector<expr::UpdateAction>{}));
  expressions.Finish();
  const ItemRequestOptions options = request.options;
  auto condition = request.condition;

  value::Item key_item = value::ParseItem(*request.item_or_key);
  TableSchemaPtr t = ctx.catalog.Require(request.table_name);
  auto key = std::make_shared<storage::EntryKey>(KeyFromKeyMap(*t, key_item));
  std::vector<std::string> key_names{t->key.hash.name};
  if (t->key.range) key_names.push_back(t->key.range->name);

  struct UpdateState {
    WriteResult result;
    ItemImage now;
    std::vector<expr::Path> touched;
  };
  auto out = std::make_shared<UpdateState>();
  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, t, key, key_item, actions, condition, key_names, out](storage::WriteTxn& txn) {
        ItemWriter writer(txn, *t, ctx);
        std::optional<ItemImage> old = writer.Read(*key);
        condition->Check(old);
        value::Item item = old ? old->item : key_item;
        out->touched = expr::ApplyUpdate(*actions, item, key_names);
        out->now.size = value::ItemSize(item);
        if (out->now.size > value::kMaxItemSize)
          throw ApiError::Validation("Item size to update has exceeded the maximum allowed size");
        KeyOfNewItem(*t, item);  // index key attributes must keep their declared types
        out->now.json = value::ItemToJson(item);
        out->now.item = std::move(item);
        out->result = writer.Put(*key, std::move(old), out->now);
      },
      [t, out, options]() {
        WriteOutput w;
        value::Item attributes;
        const auto& old = out->result.old_image;
        switch (options.return_values) {
          case ReturnValues::kNone:
            break;
          case ReturnValues::kAllOld:
            if (old) w.attributes_json = &old->json;
            break;
          case ReturnValues::kAllNew:
            w.attributes_json = &out->now.json;
            break;
          case ReturnValues::kUpdatedOld:
            if (old) attributes = OnlyUpdated(old->item, out->touched);
            if (!attributes.empty()) w.attributes = &attributes;
            break;
          case ReturnValues::kUpdatedNew:
            attributes = OnlyUpdated(out->now.item, out->touched);
            if (!attributes.empty()) w.attributes = &attributes;
            break;
        }
        w.consumed = WriteConsumed(*t, out->result, out->now.size);
        if (options.collection_metrics && t->HasLocalIndexes())
          w.collection_key_json = value::ItemToJson(KeyAttributes({t->key.hash, std::nullopt}, out->now.item));
        return BuildWriteOutput(options, w);
      });
}

}  // namespace localddb::api
