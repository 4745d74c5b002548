#include "api/write/item_change.h"

#include <algorithm>

#include "api/expr/expression.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"
#include "api/write/item_key.h"
#include "api/write/submit_write.h"

namespace localddb::api {

Mutation PutChange::Apply(const TableSchema&, const std::optional<ItemImage>& old) const {
  condition_.Check(old);
  return {Mutation::Effect::kPut, image_, {}};
}

Mutation DeleteChange::Apply(const TableSchema&, const std::optional<ItemImage>& old) const {
  condition_.Check(old);
  return {Mutation::Effect::kDelete, nullptr, {}};
}

Mutation UpdateChange::Apply(const TableSchema& current, const std::optional<ItemImage>& old) const {
  condition_.Check(old);
  // Only removals on an item that does not exist: DynamoDB creates nothing (and so writes no stream
  // record), where any other update creates the item.
  const bool removals_only =
      !old && !actions_.empty() && std::all_of(actions_.begin(), actions_.end(), [](const expr::UpdateAction& a) {
        return a.kind == expr::UpdateKind::kRemove || (a.kind == expr::UpdateKind::kDelete && a.legacy);
      });
  value::Item item = old ? old->item : key_item_;
  std::vector<std::string> key_names{current.key.hash.name};
  if (current.key.range) key_names.push_back(current.key.range->name);
  Mutation m{Mutation::Effect::kPut, nullptr, expr::ApplyUpdate(actions_, item, key_names)};
  auto now = std::make_shared<ItemImage>();
  now->size = value::ItemSize(item);
  if (now->size > value::kMaxItemSize)
    throw ApiError::Validation("Item size to update has exceeded the maximum allowed size");
  // A value within the limit may be set inside a map that takes the item past it.
  if (value::NestingDepth(item) > value::kMaxNestingDepth) throw value::NestingLimitExceeded();
  KeyOfNewItem(current, item);  // index key attributes must keep their declared types
  now->json = value::ItemToJson(item);
  now->item = std::move(item);
  m.now = std::move(now);
  if (removals_only) m.effect = Mutation::Effect::kNone;  // `now` stays: the item as it would be, for capacity
  return m;
}

Mutation CheckChange::Apply(const TableSchema&, const std::optional<ItemImage>& old) const {
  condition_.Check(old);
  return {};
}

StagedChange Stage(const Context& ctx, storage::WriteTxn& txn, const ItemChange& change, TableSchemaPtr current) {
  StagedChange s{std::move(current), &change, std::nullopt, {}};
  ItemWriter writer(txn, *s.table, ctx);
  if (change.needs_old() || writer.NeedsOldImage()) s.old = writer.Read(change.key());
  s.mutation = change.Apply(*s.table, s.old);
  // A new item was validated against the schema of its request; an index created since then may
  // declare one of its attributes with another type.
  if (s.table != change.table() && s.mutation.now) KeyOfNewItem(*s.table, s.mutation.now->item);
  return s;
}

WriteResult WriteStaged(const Context& ctx, storage::WriteTxn& txn, StagedChange& s) {
  ItemWriter writer(txn, *s.table, ctx);
  switch (s.mutation.effect) {
    case Mutation::Effect::kPut:
      return writer.Put(s.change->key(), std::move(s.old), *s.mutation.now);
    case Mutation::Effect::kDelete:
      return writer.Delete(s.change->key(), std::move(s.old));
    case Mutation::Effect::kNone:
      break;
  }
  WriteResult r;
  r.old_image = std::move(s.old);
  r.index_units.assign(s.table->indexes.size(), 0);
  return r;
}

void SubmitItemChange(Context& ctx, Respond respond, std::shared_ptr<const ItemChange> change,
                      std::function<std::string(const AppliedChange&)> output) {
  auto applied = std::make_shared<AppliedChange>();
  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, change, applied](storage::WriteTxn& txn) {
        StagedChange staged = Stage(ctx, txn, *change, ctx.catalog.RequireCurrent(*change->table()));
        applied->table = staged.table;
        applied->mutation = staged.mutation;
        applied->result = WriteStaged(ctx, txn, staged);
      },
      [applied, output = std::move(output)]() { return output(*applied); });
}

}  // namespace localddb::api
