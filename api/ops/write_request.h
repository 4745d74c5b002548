// The request members every single-item write shares (PutItem, UpdateItem, DeleteItem):
// TableName, the Item or Key map, the Return* options and the write condition, read and checked
// in DynamoDB's order (member constraints first, then the condition expression).
#pragma once

#include <memory>

#include "api/ops/expression_input.h"
#include "api/ops/return_options.h"
#include "api/write/conditional_write.h"

namespace localddb::api {

struct ItemWriteRequest {
  std::string_view table_name;
  const json::Value* item_or_key = nullptr;  // the Item (PutItem) or Key member; never null
  ItemRequestOptions options;
  WriteCondition condition;
};

// member: "Item" or "Key"; path: its name in violation messages ("item", "key"). Throws the
// collected ValidationException. expressions keeps the request's substitutions for later parses.
ItemWriteRequest ReadItemWriteRequest(const json::Value& input, const char* member, const char* path,
                                      RequestExpressions& expressions);

// ReturnValuesOnConditionCheckFailure and the condition (ConditionExpression or Expected).
// Throws v's violations (with its own) before it reads the condition.
WriteCondition ReadWriteCondition(RequestExpressions& expressions, const json::Value& input, input::Violations& v);

// A whole new item for table t, from its parsed attributes: its size within DynamoDB's limit, its
// key (into *key) and index key attributes valid (see KeyOfNewItem for batch_wording), its JSON.
ItemImage ImageOfNewItem(const TableSchema& t, value::Item item, storage::EntryKey* key, bool batch_wording = false);
// The same from the request's JSON (PutItem, BatchWriteItem's PutRequest).
ItemImage ParseNewItem(const TableSchema& t, const json::Value& item_json, storage::EntryKey* key,
                       bool batch_wording = false);

// PutItem and DeleteItem accept only ReturnValues NONE and ALL_OLD.
void RequireNoneOrAllOld(const ItemRequestOptions& options);

}  // namespace localddb::api
