#include "api/ops/write_request.h"

#include "api/error.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"
#include "api/write/item_key.h"

namespace localddb::api {

ItemWriteRequest ReadItemWriteRequest(const json::Value& input, const char* member, const char* path,
                                      RequestExpressions& expressions) {
  // DynamoDB lists violations member by member: returnConsumedCapacity, tableName,
  // returnValues, then the item or key.
  input::Violations v;
  ItemWriteRequest r;
  r.options.capacity = ReadCapacityMode(input, v);
  auto table_name = input::String(input, "TableName");
  input::CheckTableNameOrArn(table_name, "tableName", v);
  ReadReturnValues(input, v, r.options);
  r.item_or_key = input::Object(input, member);
  if (!r.item_or_key) v.Missing(path);
  auto metrics = input::String(input, "ReturnItemCollectionMetrics");
  input::CheckEnum(metrics, "returnItemCollectionMetrics", {"SIZE", "NONE"}, v);
  r.options.collection_metrics = metrics == "SIZE";
  r.condition = ReadWriteCondition(expressions, input, v);
  r.table_name = *table_name;
  return r;
}

ItemImage ImageOfNewItem(const TableSchema& t, value::Item item, storage::EntryKey* key, bool batch_wording) {
  ItemImage image;
  image.size = value::ItemSize(item);
  if (image.size > value::kMaxItemSize) throw ApiError::Validation("Item size has exceeded the maximum allowed size");
  *key = KeyOfNewItem(t, item, batch_wording);
  image.json = value::ItemToJson(item);
  image.item = std::move(item);
  return image;
}

ItemImage ParseNewItem(const TableSchema& t, const json::Value& item_json, storage::EntryKey* key, bool batch_wording) {
  return ImageOfNewItem(t, value::ParseItem(item_json), key, batch_wording);
}

void RequireNoneOrAllOld(const ItemRequestOptions& options) {
  if (options.return_values != ReturnValues::kNone && options.return_values != ReturnValues::kAllOld)
    throw ApiError::Validation("1 validation error detected: ReturnValues can only be ALL_OLD or NONE");
}

WriteCondition ReadWriteCondition(RequestExpressions& expressions, const json::Value& input, input::Violations& v) {
  WriteCondition c;
  auto rv = input::String(input, "ReturnValuesOnConditionCheckFailure");
  input::CheckEnum(rv, "returnValuesOnConditionCheckFailure", {"ALL_OLD", "NONE"}, v);
  c.return_old_on_failure = rv == "ALL_OLD";
  v.ThrowIfAny();  // the members' violations come before any problem with the condition
  c.condition = expressions.WriteCondition();
  return c;
}

}  // namespace localddb::api
