#include "api/ops/return_options.h"

#include "api/value/json_codec.h"

namespace localddb::api {

CapacityMode ReadCapacityMode(const json::Value& input, input::Violations& v) {
  auto mode = input::String(input, "ReturnConsumedCapacity");
  input::CheckEnum(mode, "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"}, v);
  if (mode == "TOTAL") return CapacityMode::kTotal;
  if (mode == "INDEXES") return CapacityMode::kIndexes;
  return CapacityMode::kNone;
}

ItemRequestOptions ReadItemRequestOptions(const json::Value& input, input::Violations& v) {
  ItemRequestOptions o;
  o.capacity = ReadCapacityMode(input, v);
  ReadReturnValues(input, v, o);
  auto metrics = input::String(input, "ReturnItemCollectionMetrics");
  input::CheckEnum(metrics, "returnItemCollectionMetrics", {"SIZE", "NONE"}, v);
  o.collection_metrics = metrics == "SIZE";
  return o;
}

void ReadReturnValues(const json::Value& input, input::Violations& v, ItemRequestOptions& o) {
  auto rv = input::String(input, "ReturnValues");
  // DynamoDB's listing order.
  input::CheckEnum(rv, "returnValues", {"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"}, v);
  if (rv == "ALL_OLD") o.return_values = ReturnValues::kAllOld;
  if (rv == "UPDATED_OLD") o.return_values = ReturnValues::kUpdatedOld;
  if (rv == "ALL_NEW") o.return_values = ReturnValues::kAllNew;
  if (rv == "UPDATED_NEW") o.return_values = ReturnValues::kUpdatedNew;
}

std::string BuildWriteOutput(const ItemRequestOptions& o, const WriteOutput& out) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  if (out.attributes_json) {
    w.Key("Attributes");
    json::WriteRaw(w, buf, *out.attributes_json);
  } else if (out.attributes) {
    w.Key("Attributes");
    value::WriteItem(w, *out.attributes);
  }
  if (o.capacity != CapacityMode::kNone) {
    w.Key("ConsumedCapacity");
    WriteConsumed(w, o.capacity, out.consumed);
  }
  if (out.collection_key_json) {
    w.Key("ItemCollectionMetrics");
    w.StartObject();
    w.Key("ItemCollectionKey");
    json::WriteRaw(w, buf, *out.collection_key_json);
    w.Key("SizeEstimateRangeGB");
    w.StartArray();
    w.Double(0.0);
    w.Double(1.0);
    w.EndArray();
    w.EndObject();
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

Consumed WriteConsumed(const TableSchema& t, const WriteResult& r, size_t new_size) {
  Consumed c;
  c.table = t.name;
  size_t bytes = new_size;
  if (r.old_image) bytes = std::max(bytes, r.old_image->size);
  c.table_units = WriteUnits(bytes);
  for (size_t i = 0; i < t.indexes.size() && i < r.index_units.size(); ++i) c.AddIndex(t.indexes[i], r.index_units[i]);
  return c;
}

}  // namespace localddb::api
