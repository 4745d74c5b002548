// Primary keys: finding, validating and encoding a table's (or an index's) key in an item or in a
// request's Key map, with DynamoDB's messages.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/catalog/table_schema.h"
#include "api/error.h"
#include "storage/database.h"

namespace localddb::api {

// The storage key of the base-table entry of an item. For PutItem-style full items:
// "Missing the key pk in the item", "Type mismatch for key ...", empty key values, key size limits.
// Also checks the item's index key attributes have their declared types.
// BatchWriteItem words a missing or mistyped key attribute as a schema mismatch instead
// ("The provided key element does not match the schema"): batch_wording selects that.
storage::EntryKey KeyOfNewItem(const TableSchema& t, const value::Item& item, bool batch_wording = false);

// Whether e is one of the refusals above of an empty string or binary key value (which
// transactions report for the whole request rather than as one action's reason).
bool IsEmptyKeyValueError(const ApiError& e);

// For a request's Key map (GetItem, DeleteItem, UpdateItem, BatchGet, DeleteRequest): exactly the
// table's key attributes with the declared types, else
// "The provided key element does not match the schema".
storage::EntryKey KeyFromKeyMap(const TableSchema& t, const value::Item& key);

// The entry key an item has in an index, or nullopt if the item lacks (or mistypes) an index key
// attribute (indexes are sparse). table_key is the item's base-table entry key.
std::optional<storage::EntryKey> IndexEntryKey(const SecondaryIndex& index, const value::Item& item,
                                               const storage::EntryKey& table_key);

// The values of a key part (HashParts or RangeParts) from its stored bytes (hk or rk), in key order.
std::vector<value::AttributeValue> DecodeKeyPart(const KeyParts& parts, std::string_view bytes);

// Encodes a table key (hk, rk) into one byte string that sorts as the pair: the tk of index entries.
std::string EncodeTableKey(std::string_view hk, std::string_view rk);
// Splits it again.
std::pair<std::string_view, std::string_view> DecodeTableKey(std::string_view tk);

}  // namespace localddb::api
