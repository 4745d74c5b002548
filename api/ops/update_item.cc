// UpdateItem: apply an UpdateExpression (or legacy AttributeUpdates) to the current item, or to a
// new item holding just the key (upsert), under an optional condition, in one writer transaction.
#include "api/expr/expression.h"
#include "api/ops/handlers.h"
#include "api/ops/return_options.h"
#include "api/ops/write_request.h"
#include "api/value/json_codec.h"
#include "api/write/item_change.h"
#include "api/write/item_key.h"

namespace localddb::api {

void UpdateItem(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  RequestExpressions expressions(input);
  ItemWriteRequest request = ReadItemWriteRequest(input, "Key", "key", expressions);
  std::vector<expr::UpdateAction> actions = expressions.Update().value_or(std::vector<expr::UpdateAction>{});
  expressions.Finish();
  const ItemRequestOptions options = request.options;

  value::Item key_item = value::ParseItem(*request.item_or_key);
  TableSchemaPtr t = ctx.catalog.Require(request.table_name);
  storage::EntryKey key = KeyFromKeyMap(*t, key_item);
  auto change = std::make_shared<UpdateChange>(t, std::move(key), std::move(request.condition), std::move(key_item),
                                               std::move(actions));
  SubmitItemChange(ctx, std::move(respond), change, [options](const AppliedChange& applied) {
    const ItemImage& now = *applied.mutation.now;
    const bool exists = applied.mutation.effect == Mutation::Effect::kPut;  // else no item was created
    const auto& old = applied.result.old_image;
    WriteOutput w;
    value::Item attributes;  // UPDATED_OLD / UPDATED_NEW: just the fragments at the touched paths
    switch (options.return_values) {
      case ReturnValues::kNone:
        break;
      case ReturnValues::kAllOld:
        if (old) w.attributes_json = &old->json;
        break;
      case ReturnValues::kAllNew:
        if (exists) w.attributes_json = &now.json;
        break;
      case ReturnValues::kUpdatedOld:
        if (old) attributes = expr::Project(old->item, applied.mutation.touched);
        if (!attributes.empty()) w.attributes = &attributes;
        break;
      case ReturnValues::kUpdatedNew:
        if (exists) attributes = expr::Project(now.item, applied.mutation.touched);
        if (!attributes.empty()) w.attributes = &attributes;
        break;
    }
    w.consumed = WriteConsumed(*applied.table, applied.result, now.size);
    if (options.collection_metrics && applied.table->HasLocalIndexes())
      w.collection_key_json =
          value::ItemToJson(KeyAttributes({applied.table->key.hash, std::nullopt, {}, {}}, now.item));
    return BuildWriteOutput(options, w);
  });
}

}  // namespace localddb::api
