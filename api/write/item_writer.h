// The one write path. Every change of an item (through ItemChange: PutItem, UpdateItem,
// DeleteItem, BatchWriteItem, TransactWriteItems; and whatever else deletes or writes items) goes
// through ItemWriter on the writer thread, so the base entry, every secondary-index entry and
// (with streams) the stream record change together in one transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/catalog/table_schema.h"
#include "api/context.h"
#include "storage/database.h"

namespace localddb::api {

// One item's state as the writer sees it: parsed, its wire JSON and its DynamoDB size.
struct ItemImage {
  value::Item item;
  std::string json;
  size_t size = 0;
};

// What a write did, for ReturnValues, capacity and item-collection metrics.
struct WriteResult {
  std::optional<ItemImage> old_image;  // the item before, if it existed
  // Write units per index touched, in TableSchema::indexes order (0 if untouched).
  std::vector<double> index_units;
};

class ItemWriter {
 public:
  // ctx supplies the region and clock for stream records.
  ItemWriter(storage::WriteTxn& txn, const TableSchema& table, const Context& ctx)
      : txn_(txn), table_(table), ctx_(ctx) {}

  // Whether the old item must be read before writing (indexes or streams need it).
  bool NeedsOldImage() const;

  // Reads the current item at key, parsed.
  std::optional<ItemImage> Read(const storage::EntryKey& key);

  // Replaces (or creates) the item at key with new_image; old is the current item (from Read) or
  // nullopt when it does not exist or was not read (only allowed when !NeedsOldImage()).
  WriteResult Put(const storage::EntryKey& key, std::optional<ItemImage> old, const ItemImage& new_image);

  // Deletes the item at key; old is the current item (nullopt: nothing to delete). by_service:
  // DynamoDB's own deletion (TTL), so marked in the stream record.
  WriteResult Delete(const storage::EntryKey& key, std::optional<ItemImage> old, bool by_service = false);

 private:
  // ref: the base item's row (from WriteTxn::Put), which new index entries reference.
  void UpdateIndexes(const storage::EntryKey& key, const ItemImage* old, const ItemImage* now, int64_t ref,
                     WriteResult& result);
  // Appends the change record to the table's stream, if it has one enabled (same transaction).
  void RecordChange(const storage::EntryKey& key, const ItemImage* old, const ItemImage* now, bool by_service = false);
  // With point-in-time recovery on, keeps the item's state before this change (see RestoreTable).
  void RecordForRecovery(const storage::EntryKey& key, const ItemImage* old);
  void CountUsage(const WriteResult& result, size_t item_size);
  // Keeps the table's TTL index (when TTL is enabled) in step with the item's expiry.
  void UpdateExpiry(const storage::EntryKey& key, const ItemImage* old, const ItemImage* now);

  storage::WriteTxn& txn_;
  const TableSchema& table_;
  const Context& ctx_;
};

// The attributes of an item an index projects: the table's and the index's key attributes and,
// by the index's projection, the rest or some of them.
value::Item ProjectedAttributes(const TableSchema& table, const SecondaryIndex& index, const value::Item& item);
// The same as an ItemImage: its JSON and size.
ItemImage ProjectForIndex(const TableSchema& table, const SecondaryIndex& index, const ItemImage& image);

// When an item expires under TTL: its TTL attribute, a Number, as whole seconds since the epoch;
// nullopt when it has none (or one that is not a Number, negative, or out of range), as DynamoDB
// leaves such items alone.
std::optional<int64_t> ExpiryOf(const TableSchema& table, const value::Item& item);

}  // namespace localddb::api
