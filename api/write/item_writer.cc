#include "api/write/item_writer.h"

#include <cmath>

#include "api/value/item_size.h"
#include "api/value/json_codec.h"
#include "api/write/item_key.h"
#include "streams/stream_record.h"

namespace localddb::api {
namespace {

double WriteUnits(size_t bytes) { return std::max(1.0, std::ceil(static_cast<double>(bytes) / 1024.0)); }

}  // namespace

value::Item ProjectedAttributes(const TableSchema& table, const SecondaryIndex& index, const value::Item& item) {
  if (index.projection.type == ProjectionType::kAll) return item;
  value::Item projected = KeyAttributes(table.key, item);
  for (const auto& [name, v] : KeyAttributes(index.key, item)) projected.emplace(name, v);
  for (const auto& name : index.projection.non_key_attributes)
    if (auto it = item.find(name); it != item.end()) projected.emplace(name, it->second);
  return projected;
}

ItemImage ProjectForIndex(const TableSchema& table, const SecondaryIndex& index, const ItemImage& image) {
  if (index.projection.type == ProjectionType::kAll) return image;
  ItemImage out;
  out.item = ProjectedAttributes(table, index, image.item);
  out.size = value::ItemSize(out.item);
  out.json = value::ItemToJson(out.item);
  return out;
}

std::optional<int64_t> ExpiryOf(const TableSchema& table, const value::Item& item) {
  if (table.ttl_attribute.empty()) return std::nullopt;
  auto it = item.find(table.ttl_attribute);
  if (it == item.end() || it->second.type() != value::Type::kN) return std::nullopt;
  const value::Decimal& n = it->second.n();
  // 0.d1d2...dn * 10^exponent: the whole part is the first `exponent` digits, zero-padded.
  if (n.negative() || n.exponent() > 18) return std::nullopt;
  int64_t whole = 0;
  for (int i = 0; i < n.exponent(); ++i)
    whole = whole * 10 + (i < static_cast<int>(n.digits().size()) ? n.digits()[i] - '0' : 0);
  return whole;
}

bool ItemWriter::NeedsOldImage() const {
  return !table_.indexes.empty() || table_.stream.enabled || !table_.ttl_attribute.empty() || table_.pitr_since > 0;
}

void ItemWriter::RecordForRecovery(const storage::EntryKey& key, const ItemImage* old) {
  if (table_.pitr_since <= 0) return;
  storage::PitrChange change;
  change.time = ctx_.now();
  change.key = key;
  if (old) {
    change.old_item = old->json;
    change.old_size = static_cast<uint32_t>(old->size);
  }
  txn_.AppendPitr(table_.space, change);
}

std::optional<ItemImage> ItemWriter::Read(const storage::EntryKey& key) {
  auto json = txn_.Get(table_.space, key);
  if (!json) return std::nullopt;
  ItemImage image;
  image.item = value::ItemFromJson(*json);
  image.size = value::ItemSize(image.item);
  image.json = std::move(*json);
  return image;
}

WriteResult ItemWriter::Put(const storage::EntryKey& key, std::optional<ItemImage> old, const ItemImage& now) {
  WriteResult result;
  const int64_t ref = txn_.Put(table_.space, key, now.json, static_cast<uint32_t>(now.size));
  UpdateIndexes(key, old ? &*old : nullptr, &now, ref, result);
  UpdateExpiry(key, old ? &*old : nullptr, &now);
  RecordChange(key, old ? &*old : nullptr, &now);
  RecordForRecovery(key, old ? &*old : nullptr);
  CountUsage(result, std::max(now.size, old ? old->size : 0));
  result.old_image = std::move(old);
  return result;
}

// The write units the metrics endpoint reports for the table: the item's, and its indexes'.
void ItemWriter::CountUsage(const WriteResult& result, size_t item_size) {
  double units = WriteUnits(item_size);
  for (double u : result.index_units) units += u;
  table_.usage->AddWrite(units);
}

WriteResult ItemWriter::Delete(const storage::EntryKey& key, std::optional<ItemImage> old, bool by_service) {
  WriteResult result;
  result.index_units.assign(table_.indexes.size(), 0);
  if (!old) return result;
  txn_.Delete(table_.space, key);
  UpdateIndexes(key, &*old, nullptr, 0, result);
  UpdateExpiry(key, &*old, nullptr);
  RecordChange(key, &*old, nullptr, by_service);
  RecordForRecovery(key, &*old);
  CountUsage(result, old->size);
  result.old_image = std::move(old);
  return result;
}

void ItemWriter::UpdateIndexes(const storage::EntryKey& key, const ItemImage* old, const ItemImage* now, int64_t ref,
                               WriteResult& result) {
  result.index_units.assign(table_.indexes.size(), 0);
  for (size_t i = 0; i < table_.indexes.size(); ++i) {
    const SecondaryIndex& index = table_.indexes[i];
    std::optional<storage::EntryKey> old_key, new_key;
    if (old) old_key = IndexEntryKey(index, old->item, key);
    if (now) new_key = IndexEntryKey(index, now->item, key);
    double units = 0;
    // Sparse: only items carrying the index key attributes have an entry. DynamoDB charges (and
    // we write) nothing for an index whose entry does not change: a delete when the key goes away,
    // a put when the projected item changes, both when the key moves. An entry only references
    // the base item, which was just rewritten in place, so an unchanged entry needs no write.
    const bool same_key = old_key && new_key && old_key->hk == new_key->hk && old_key->rk == new_key->rk;
    // Each image's projection is built at most once (ALL projects the image itself).
    const bool all = index.projection.type == ProjectionType::kAll;
    std::optional<value::Item> old_projected, now_projected;
    auto projected = [&](const ItemImage& image, std::optional<value::Item>& cache) -> const value::Item& {
      if (all) return image.item;
      if (!cache) cache = ProjectedAttributes(table_, index, image.item);
      return *cache;
    };
    auto projected_size = [&](const ItemImage& image, std::optional<value::Item>& cache) {
      return all ? image.size : value::ItemSize(projected(image, cache));
    };
    if (old_key && !same_key) {
      txn_.Delete(index.space, *old_key);
      units += WriteUnits(projected_size(*old, old_projected));
    }
    if (new_key && (!same_key || projected(*old, old_projected) != projected(*now, now_projected))) {
      const size_t size = projected_size(*now, now_projected);
      txn_.PutIndex(index.space, *new_key, static_cast<uint32_t>(size), ref);
      units += WriteUnits(size);
    }
    result.index_units[i] = units;
  }
}

void ItemWriter::UpdateExpiry(const storage::EntryKey& key, const ItemImage* old, const ItemImage* now) {
  if (table_.ttl_attribute.empty()) return;
  const std::optional<int64_t> before = old ? ExpiryOf(table_, old->item) : std::nullopt;
  const std::optional<int64_t> after = now ? ExpiryOf(table_, now->item) : std::nullopt;
  if (before == after) return;
  storage::EntryKey base{key.h, key.hk, key.rk, {}};
  if (before) txn_.DeleteExpiry(table_.space, *before, base);
  if (after) txn_.PutExpiry(table_.space, *after, base);
}

void ItemWriter::RecordChange(const storage::EntryKey&, const ItemImage* old, const ItemImage* now, bool by_service) {
  if (!table_.stream.enabled || table_.stream.space == 0) return;
  // A write that leaves the item as it was is no change: DynamoDB emits no record for it.
  if (old && now && old->item == now->item) return;
  const int64_t seq = txn_.NextSequenceNumber();
  const double at = ctx_.now();
  // The images' JSON and sizes are spliced when present (an image built without them is serialised).
  streams::Change change{old ? &old->item : nullptr,
                         now ? &now->item : nullptr,
                         old && !old->json.empty() ? &old->json : nullptr,
                         now && !now->json.empty() ? &now->json : nullptr,
                         old ? old->size : 0,
                         now ? now->size : 0,
                         by_service};
  txn_.AppendStreamRecord(table_.stream.space, seq, at,
                          streams::BuildRecord(table_, ctx_.settings.region, at, seq, change));
}

}  // namespace localddb::api
