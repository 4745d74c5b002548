// ItemChange: the one skeleton of a conditional single-item write. PutItem, UpdateItem,
// DeleteItem, every action of TransactWriteItems and every request of BatchWriteItem (and, later,
// PartiQL's INSERT / UPDATE / DELETE) are an ItemChange.
//
// A request is read and validated completely on the request thread, into an ItemChange: the table
// as it was then, the item's key, and a pure decision
//     Apply(current table, old item) -> put this item | delete it | leave it (or throw ApiError)
// On the writer thread, inside the group's transaction, a change is
//   1. resolved against the table as it is now (Catalog::RequireCurrent): a table deleted (or
//      deleted and created again) since the request was read answers ResourceNotFoundException,
//      and a GSI created or deleted meanwhile is maintained as the current schema says, so a
//      write racing a backfill is indexed by the backfill or by itself, never by neither or twice;
//   2. staged: the old item read (when anything needs it) and Apply called;
//   3. written through ItemWriter: base entry, index entries and stream record together.
// Transactions resolve and stage every change before writing any.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "api/catalog/table_schema.h"
#include "api/context.h"
#include "api/expr/ast.h"
#include "api/outcome.h"
#include "api/write/conditional_write.h"
#include "api/write/item_writer.h"

namespace localddb::api {

// What a change decided for its item.
struct Mutation {
  enum class Effect { kPut, kDelete, kNone };
  Effect effect = Effect::kNone;
  // kPut: the item's new state. An UpdateItem that changes nothing (kNone) keeps the key-only item
  // it would have created, for its capacity.
  std::shared_ptr<const ItemImage> now;
  std::vector<expr::Path> touched;  // UpdateItem: the paths its actions touched
};

class ItemChange {
 public:
  ItemChange(TableSchemaPtr table, storage::EntryKey key, WriteCondition condition, bool needs_old)
      : table_(std::move(table)), key_(std::move(key)), condition_(std::move(condition)), needs_old_(needs_old) {}
  virtual ~ItemChange() = default;

  // The table as the request was read against (resolved again on the writer thread).
  const TableSchemaPtr& table() const { return table_; }
  const storage::EntryKey& key() const { return key_; }
  // Whether the old item must be read even when no index or stream needs it (a condition,
  // ReturnValues, capacity, a delete or an update).
  bool needs_old() const { return needs_old_ || condition_.condition.has_value(); }

  // Pure: decides from the item as it is (nullopt: there is none), in the table's current
  // schema. Throws ConditionalCheckFailedException or a ValidationException of the result.
  virtual Mutation Apply(const TableSchema& current, const std::optional<ItemImage>& old) const = 0;

 protected:
  TableSchemaPtr table_;
  storage::EntryKey key_;
  WriteCondition condition_;
  bool needs_old_;
};

// PutItem, a transaction's Put, BatchWriteItem's PutRequest: replace the item with this one.
class PutChange final : public ItemChange {
 public:
  PutChange(TableSchemaPtr table, storage::EntryKey key, WriteCondition condition, ItemImage image, bool needs_old)
      : ItemChange(std::move(table), std::move(key), std::move(condition), needs_old),
        image_(std::make_shared<const ItemImage>(std::move(image))) {}
  const ItemImage& image() const { return *image_; }
  Mutation Apply(const TableSchema& current, const std::optional<ItemImage>& old) const override;

 private:
  std::shared_ptr<const ItemImage> image_;
};

// DeleteItem, a transaction's Delete, BatchWriteItem's DeleteRequest.
class DeleteChange final : public ItemChange {
 public:
  DeleteChange(TableSchemaPtr table, storage::EntryKey key, WriteCondition condition)
      : ItemChange(std::move(table), std::move(key), std::move(condition), /*needs_old=*/true) {}
  Mutation Apply(const TableSchema& current, const std::optional<ItemImage>& old) const override;
};

// UpdateItem and a transaction's Update: the actions applied to the item, or to a new item
// holding just the key (an upsert).
class UpdateChange final : public ItemChange {
 public:
  UpdateChange(TableSchemaPtr table, storage::EntryKey key, WriteCondition condition, value::Item key_item,
               std::vector<expr::UpdateAction> actions)
      : ItemChange(std::move(table), std::move(key), std::move(condition), /*needs_old=*/true),
        key_item_(std::move(key_item)),
        actions_(std::move(actions)) {}
  Mutation Apply(const TableSchema& current, const std::optional<ItemImage>& old) const override;

 private:
  value::Item key_item_;
  std::vector<expr::UpdateAction> actions_;
};

// A transaction's ConditionCheck: the condition, and nothing written.
class CheckChange final : public ItemChange {
 public:
  CheckChange(TableSchemaPtr table, storage::EntryKey key, WriteCondition condition)
      : ItemChange(std::move(table), std::move(key), std::move(condition), /*needs_old=*/true) {}
  Mutation Apply(const TableSchema& current, const std::optional<ItemImage>& old) const override;
};

// A change staged on the writer thread: read and decided, not yet written.
struct StagedChange {
  TableSchemaPtr table;  // the table's schema current on the writer thread
  const ItemChange* change = nullptr;
  std::optional<ItemImage> old;
  Mutation mutation;
};

// REQUIRES: the writer thread, inside a transaction; current = ctx.catalog.RequireCurrent(...).
// Reads the old item if needed and applies the change (throws what Apply throws).
StagedChange Stage(const Context& ctx, storage::WriteTxn& txn, const ItemChange& change, TableSchemaPtr current);
// Writes a staged change through ItemWriter (a kNone mutation writes nothing).
WriteResult WriteStaged(const Context& ctx, storage::WriteTxn& txn, StagedChange& staged);

// What a single-item write did, for its output.
struct AppliedChange {
  TableSchemaPtr table;  // the schema it was applied in
  WriteResult result;
  Mutation mutation;
};

// Resolves, stages and writes one change on the writer thread; once committed, output builds the
// response body (on the writer thread) and respond gets it. Errors answer through respond.
void SubmitItemChange(Context& ctx, Respond respond, std::shared_ptr<const ItemChange> change,
                      std::function<std::string(const AppliedChange&)> output);

}  // namespace localddb::api
