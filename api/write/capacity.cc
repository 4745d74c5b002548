#include "api/write/capacity.h"

#include <algorithm>
#include <cmath>

#include "api/value/item_size.h"
#include "api/value/json_codec.h"

namespace localddb::api {

double ReadUnits(size_t bytes, bool consistent) {
  double units = std::max(1.0, std::ceil(static_cast<double>(bytes) / 4096.0));
  return consistent ? units : units / 2;
}

size_t SizeForReadUnits(std::string_view stored_json) {
  if (stored_json.size() <= 4096) return stored_json.size();
  return value::ItemSize(value::ItemFromJson(stored_json));
}

double WriteUnits(size_t bytes) { return std::max(1.0, std::ceil(static_cast<double>(bytes) / 1024.0)); }

double Consumed::Total() const {
  double total = table_units;
  for (const auto& [n, u] : global_indexes) total += u;
  for (const auto& [n, u] : local_indexes) total += u;
  return total;
}

void Consumed::AddIndex(const SecondaryIndex& index, double units) {
  if (units <= 0) return;
  (index.global ? global_indexes : local_indexes)[index.name] += units;
}

void ConsumedByTable::Add(const Consumed& c, double factor) {
  Consumed& total = tables_[c.table];
  total.table = c.table;
  total.table_units += factor * c.table_units;
  for (const auto& [name, units] : c.global_indexes) total.global_indexes[name] += factor * units;
  for (const auto& [name, units] : c.local_indexes) total.local_indexes[name] += factor * units;
}

void ConsumedByTable::Write(json::Writer& w, CapacityMode mode) const {
  w.Key("ConsumedCapacity");
  w.StartArray();
  for (const auto& [name, c] : tables_) WriteConsumed(w, mode, c, kind_);
  w.EndArray();
}

namespace {
// "CapacityUnits": units, and the same figure under the kind's own name if it has one.
void UnitMembers(json::Writer& w, double units, UnitKind kind) {
  w.Key("CapacityUnits");
  w.Double(units);
  if (kind == UnitKind::kUnnamed) return;
  w.Key(kind == UnitKind::kRead ? "ReadCapacityUnits" : "WriteCapacityUnits");
  w.Double(units);
}

void Units(json::Writer& w, double units, UnitKind kind) {
  w.StartObject();
  UnitMembers(w, units, kind);
  w.EndObject();
}
}  // namespace

void WriteConsumed(json::Writer& w, CapacityMode mode, const Consumed& c, UnitKind kind) {
  w.StartObject();
  w.Key("TableName");
  w.String(c.table);
  UnitMembers(w, c.Total(), kind);
  if (mode == CapacityMode::kIndexes) {
    w.Key("Table");
    Units(w, c.table_units, kind);
    if (!c.global_indexes.empty()) {
      w.Key("GlobalSecondaryIndexes");
      w.StartObject();
      for (const auto& [name, units] : c.global_indexes) {
        w.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
        Units(w, units, kind);
      }
      w.EndObject();
    }
    if (!c.local_indexes.empty()) {
      w.Key("LocalSecondaryIndexes");
      w.StartObject();
      for (const auto& [name, units] : c.local_indexes) {
        w.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
        Units(w, units, kind);
      }
      w.EndObject();
    }
  }
  w.EndObject();
}

}  // namespace localddb::api
