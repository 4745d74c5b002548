#include "api/ops/paged_read.h"

#include "api/error.h"
#include "api/expr/expression.h"
#include "api/ops/return_options.h"
#include "api/value/json_codec.h"
#include "api/value/key_codec.h"
#include "api/write/item_key.h"
#include "api/write/item_writer.h"

namespace localddb::api {
namespace {

// DynamoDB stops a page once it has read 1 MB of items (before any filter).
constexpr size_t kPageBytes = 1024 * 1024;

const KeySchema& ReadKey(const PagedRead& r) { return r.index ? r.index->key : r.table->key; }

bool Projects(const SecondaryIndex& index, const TableSchema& t, const std::string& attribute) {
  if (index.projection.type == ProjectionType::kAll) return true;
  if (t.key.Has(attribute) || index.key.Has(attribute)) return true;
  for (const auto& a : index.projection.non_key_attributes)
    if (a == attribute) return true;
  return false;
}

// An LSI can answer with attributes it does not project by reading the base item.
bool NeedsBaseItem(const PagedRead& r) {
  if (!r.index || r.index->global || r.index->projection.type == ProjectionType::kAll) return false;
  if (r.select == Select::kAllAttributes) return true;
  if (r.select != Select::kSpecific || !r.projection) return false;
  for (const auto& p : *r.projection)
    if (!Projects(*r.index, *r.table, p[0].name)) return true;
  return false;
}

void WriteKeyValue(json::Writer& w, const KeyAttribute& k, const value::AttributeValue& v) {
  w.Key(k.name.c_str(), static_cast<rapidjson::SizeType>(k.name.size()));
  value::WriteAttributeValue(w, v);
}

// Each attribute of a key part (HashParts or RangeParts) from its stored bytes.
void WriteKeyPart(json::Writer& w, const KeyParts& parts, std::string_view encoded) {
  const std::vector<value::AttributeValue> values = DecodeKeyPart(parts, encoded);
  for (size_t i = 0; i < values.size(); ++i) WriteKeyValue(w, *parts[i], values[i]);
}

void WriteLastEvaluatedKey(json::Writer& w, const PagedRead& r, const storage::EntryKey& key) {
  w.StartObject();
  const KeySchema& k = ReadKey(r);
  WriteKeyPart(w, k.HashParts(), key.hk);
  if (k.range) WriteKeyPart(w, k.RangeParts(), key.rk);
  if (r.index) {
    auto [thk, trk] = DecodeTableKey(key.tk);
    if (!k.Has(r.table->key.hash.name))
      WriteKeyValue(w, r.table->key.hash, value::DecodeKey(r.table->key.hash.type, thk));
    if (r.table->key.range && !k.Has(r.table->key.range->name))
      WriteKeyValue(w, *r.table->key.range, value::DecodeKey(r.table->key.range->type, trk));
  }
  w.EndObject();
}

}  // namespace

void ReadPagedRequest(Context& ctx, const json::Value& input, RequestExpressions& expressions,
                      const char* legacy_filter, PagedRead& read, input::Violations& v,
                      const std::function<void()>& before_lookup) {
  auto table_name = input::String(input, "TableName");
  input::CheckTableNameOrArn(table_name, "tableName", v);
  auto index_name = input::String(input, "IndexName");
  input::CheckTableName(index_name, "indexName", v, false);
  auto select = input::String(input, "Select");
  input::CheckEnum(select, "select", {"SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"}, v);
  read.limit = input::Integer(input, "Limit");
  if (read.limit && *read.limit < 1)
    // Query and Scan name the member 'Limit' (DynamoDB's newer validation wording).
    v.Add("Limit", "", "Member must have value greater than or equal to 1");
  read.consistent = input::Bool(input, "ConsistentRead").value_or(false);
  read.capacity = ReadCapacityMode(input, v);
  v.ThrowIfAny();

  read.projection = expressions.Projection();
  read.filter = expressions.Filter(legacy_filter);
  const bool attributes_to_get = input.HasMember("AttributesToGet") && !input["AttributesToGet"].IsNull();

  if (before_lookup) before_lookup();
  read.table = ctx.catalog.Require(*table_name);
  if (index_name) {
    read.index = read.table->FindIndex(*index_name);
    if (!read.index)
      throw ApiError::Validation("The table does not have the specified index: " + std::string(*index_name));
    if (read.index->global && read.consistent)
      throw ApiError::Validation("Consistent reads are not supported on global secondary indexes");
  }

  if (!select) {
    read.select = read.projection ? Select::kSpecific : read.index ? Select::kAllProjected : Select::kAllAttributes;
  } else if (*select == "COUNT") {
    read.select = Select::kCount;
  } else if (*select == "SPECIFIC_ATTRIBUTES") {
    read.select = Select::kSpecific;
  } else if (*select == "ALL_PROJECTED_ATTRIBUTES") {
    read.select = Select::kAllProjected;
  } else {
    read.select = Select::kAllAttributes;
  }
  const char* projection_param = attributes_to_get ? "AttributesToGet" : "ProjectionExpression";
  if (read.select == Select::kSpecific && !read.projection)
    throw ApiError::Validation(
        "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
  if (read.select == Select::kCount && read.projection)
    // DynamoDB's own wording for COUNT, inside the validation envelope on Query only.
    throw ApiError::Validation(
        std::string(std::string_view(legacy_filter) == "QueryFilter" ? "1 validation error detected: " : "") +
        "Cannot specify the " + projection_param + " when choosing to get only the Count");
  if (read.select != Select::kSpecific && read.projection)
    throw ApiError::Validation(std::string("Cannot specify the ") + projection_param + " when choosing to get " +
                               std::string(*select));
  if (read.select == Select::kAllProjected && !read.index)
    throw ApiError::Validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
  if (read.select == Select::kAllAttributes && read.index && read.index->global &&
      read.index->projection.type != ProjectionType::kAll)
    throw ApiError::Validation(
        "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary "
        "index " +
        read.index->name + " because its projection type is not ALL");
  read.range.space = read.index ? read.index->space : read.table->space;
}

void ApplyExclusiveStartKey(const json::Value& input, PagedRead& read) {
  const json::Value* esk = input::Object(input, "ExclusiveStartKey");
  if (!esk) return;
  value::Item start = value::ParseItem(*esk);
  auto invalid = [] {
    return ApiError::Validation(
        "The provided starting key is invalid: The provided key element does not match the schema");
  };
  const TableSchema& t = *read.table;
  // The attributes the key must hold: the table's key, plus the index's.
  std::vector<const KeyAttribute*> expected = {&t.key.hash};
  if (t.key.range) expected.push_back(&*t.key.range);
  if (read.index) {
    for (const KeyAttribute* k : read.index->key.All()) {
      bool dup = false;
      for (auto* e : expected) dup |= e->name == k->name;
      if (!dup) expected.push_back(k);
    }
  }
  if (start.size() != expected.size()) throw invalid();
  for (const KeyAttribute* k : expected) {
    auto it = start.find(k->name);
    if (it == start.end() || it->second.type() != k->type) throw invalid();
  }
  storage::EntryKey table_key;
  try {
    table_key = KeyFromKeyMap(t, KeyAttributes(t.key, start));
  } catch (const ApiError&) {
    throw invalid();
  }
  if (!read.index) {
    read.range.after = std::move(table_key);
    return;
  }
  auto index_key = IndexEntryKey(*read.index, start, table_key);
  if (!index_key) throw invalid();
  read.range.after = std::move(*index_key);
}

std::string RunPagedRead(Context& ctx, const PagedRead& read) {
  storage::Reader& reader = ctx.db.reader();
  const bool need_item = read.filter || read.projection;
  const bool base_item = NeedsBaseItem(read);
  // Room for a typical page up front: grown from RapidJSON's 256 bytes, a 20-item answer was
  // reallocated and copied ten times (9% of a Query's instructions).
  rapidjson::StringBuffer buf(nullptr, read.select == Select::kCount ? 256 : 32 * 1024);
  json::Writer w(buf);
  w.StartObject();
  if (read.select != Select::kCount) {
    w.Key("Items");
    w.StartArray();
  }
  int64_t count = 0, scanned = 0;
  size_t bytes = 0;
  std::optional<storage::EntryKey> last;
  reader.Scan(read.range, [&](const storage::EntryView& e) {
    ++scanned;
    bytes += e.size;
    std::string base_json;
    std::string_view json = e.item;
    // An index entry that references its base item hands over the whole item: the index's
    // projection is applied here (it is the identity for ALL).
    const bool whole = read.index && e.ref != 0;
    const bool must_project = whole && !base_item && read.index->projection.type != ProjectionType::kAll;
    if (base_item && !whole) {
      auto [thk, trk] = DecodeTableKey(e.tk);
      if (auto full =
              reader.Get(read.table->space, {value::PartitionHash(thk), std::string(thk), std::string(trk), {}}))
        base_json = std::move(*full);
      json = base_json;
    }
    bool matched = true;
    if (need_item || must_project) {
      value::Item item = value::ItemFromJson(json);
      if (must_project) item = ProjectedAttributes(*read.table, *read.index, item);
      if (read.filter) matched = expr::Evaluate(*read.filter, item);
      if (matched && read.select != Select::kCount) {
        if (read.projection)
          value::WriteItem(w, expr::Project(item, *read.projection));
        else if (must_project)
          value::WriteItem(w, item);
        else
          json::WriteRaw(w, buf, json);
      }
    } else if (read.select != Select::kCount) {
      json::WriteRaw(w, buf, json);
    }
    if (matched) ++count;
    if ((read.limit && scanned >= *read.limit) || bytes >= kPageBytes) {
      last = storage::EntryKey{e.h, std::string(e.hk), std::string(e.rk), std::string(e.tk)};
      return false;
    }
    return true;
  });
  if (read.select != Select::kCount) w.EndArray();
  read.table->usage->AddRead(ReadUnits(bytes, read.consistent));
  w.Key("Count");
  w.Int64(count);
  w.Key("ScannedCount");
  w.Int64(scanned);
  if (last) {
    w.Key("LastEvaluatedKey");
    WriteLastEvaluatedKey(w, read, *last);
  }
  if (read.capacity != CapacityMode::kNone) {
    Consumed c;
    c.table = read.table->name;
    const double units = ReadUnits(bytes, read.consistent);
    if (read.index)
      c.AddIndex(*read.index, units);
    else
      c.table_units = units;
    w.Key("ConsumedCapacity");
    WriteConsumed(w, read.capacity, c);
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace localddb::api
