// TableSchema: everything localddb knows about one table, immutable once built.
//
// Persisted as JSON (ToJson / FromJson) in storage's catalog; cached in memory by Catalog; turned
// into DynamoDB's TableDescription by Describe (describe.h). A change (UpdateTable) builds a new
// TableSchema and swaps it in.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/value/attribute_value.h"

namespace localddb::api {

struct KeyAttribute {
  std::string name;
  value::Type type;  // kS, kN or kB
};

// Some of a key's attributes, in key order: at most 4 partition and 4 sort attributes, held
// inline so that listing them on the write path allocates nothing.
class KeyParts {
 public:
  static constexpr size_t kCapacity = 8;
  void push_back(const KeyAttribute* k) { items_[size_++] = k; }  // REQUIRES: size() < kCapacity
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const KeyAttribute* operator[](size_t i) const { return items_[i]; }
  const KeyAttribute* const* begin() const { return items_.data(); }
  const KeyAttribute* const* end() const { return items_.data() + size_; }

 private:
  std::array<const KeyAttribute*, kCapacity> items_{};
  size_t size_ = 0;
};

struct KeySchema {
  KeyAttribute hash;
  std::optional<KeyAttribute> range;
  // A GSI's multi-attribute key (DynamoDB's 2025 feature: up to 4 partition and 4 sort attributes):
  // the partition attributes after `hash` and the sort attributes after `range`, in key order.
  // Empty for tables, LSIs and single-attribute GSIs, whose storage encoding they leave unchanged.
  std::vector<KeyAttribute> more_hash, more_range;

  // Whether a part has several attributes, and so is stored as an encoded tuple (key_codec.h).
  bool MultiHash() const { return !more_hash.empty(); }
  bool MultiRange() const { return !more_range.empty(); }
  // The partition attributes, then the sort attributes, in key order.
  KeyParts HashParts() const;
  KeyParts RangeParts() const;
  KeyParts All() const;
  bool Has(std::string_view attribute) const;
};

// Just the key attributes of an item (for KEYS_ONLY images and LastEvaluatedKey).
value::Item KeyAttributes(const KeySchema& k, const value::Item& item);

enum class ProjectionType { kAll, kKeysOnly, kInclude };

struct Projection {
  ProjectionType type = ProjectionType::kAll;
  std::vector<std::string> non_key_attributes;  // kInclude only
};

struct Throughput {
  int64_t read = 0;
  int64_t write = 0;
  bool operator==(const Throughput&) const = default;
};

// Warm throughput (WarmThroughput in CreateTable / UpdateTable): the read and write units per
// second asked for; 0 where none was. DescribeTable reports the larger of it and DynamoDB's
// starting values (describe.cc). localddb throttles nothing, so this is state only.
struct WarmThroughput {
  int64_t read = 0, write = 0;
};

struct SecondaryIndex {
  std::string name;
  bool global = true;  // GSI; false for an LSI
  int64_t space = 0;   // storage space of its entries
  KeySchema key;
  Projection projection;
  Throughput throughput;  // GSIs under PROVISIONED billing
  WarmThroughput warm;    // GSIs
  std::string status = "ACTIVE";
};

struct StreamSettings {
  bool enabled = false;
  std::string view_type;  // KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES
  std::string label;      // LatestStreamLabel, e.g. "2026-11-25T03:40:00.123"; empty if never
  int64_t space = 0;      // storage id of the current stream's records (0 until allocated)
  double created = 0;     // when the current stream was enabled
  double disabled = 0;    // when it was disabled (0 while enabled, or if never)
};

// How long a replaced stream stays listed and readable, as DynamoDB keeps its records.
constexpr double kPastStreamSeconds = 24 * 3600;

// Capacity a table has consumed since the server started (for the metrics endpoint), in
// thousandths of a unit. Shared by every version of the table's schema (UpdateTable copies the
// pointer); updated with relaxed atomic adds, no lock.
struct TableUsage {
  std::atomic<uint64_t> read_milli{0}, write_milli{0};
  void AddRead(double units) { read_milli.fetch_add(Milli(units), std::memory_order_relaxed); }
  void AddWrite(double units) { write_milli.fetch_add(Milli(units), std::memory_order_relaxed); }

 private:
  static uint64_t Milli(double units) { return static_cast<uint64_t>(units * 1000 + 0.5); }
};

struct TableSchema {
  std::string name;
  int64_t space = 0;         // storage space (also the catalog row id)
  std::string table_id;      // TableId (a UUID)
  double creation_time = 0;  // CreationDateTime, seconds since the epoch
  KeySchema key;
  std::vector<KeyAttribute> attribute_definitions;
  std::vector<SecondaryIndex> indexes;       // GSIs and LSIs
  std::string billing_mode = "PROVISIONED";  // or PAY_PER_REQUEST
  Throughput throughput;
  StreamSettings stream;
  // Streams this table had before the current one (disabled, then replaced by a newer one), oldest
  // first: DynamoDB keeps them listed and describable (DISABLED) for 24 hours.
  std::vector<StreamSettings> past_streams;
  bool deletion_protection = false;
  std::string table_class = "STANDARD";
  bool sse_enabled = false;
  std::string sse_type;  // e.g. "KMS" when SSE is enabled
  std::string sse_kms_key_id;
  std::vector<std::pair<std::string, std::string>> tags;
  std::string ttl_attribute;  // TimeToLiveSpecification.AttributeName when enabled
  // OnDemandThroughput (MaxReadRequestUnits / MaxWriteRequestUnits); 0: not set.
  int64_t on_demand_max_read = 0, on_demand_max_write = 0;
  WarmThroughput warm;
  // RestoreSummary of a table made by a restore (restore_time 0: not restored); the backup's ARN is
  // empty for a point-in-time restore.
  std::string restore_source_backup, restore_source_table;
  double restore_time = 0;
  double billing_mode_changed = 0;  // LastUpdateToPayPerRequestDateTime source; 0 if never
  // Point-in-time recovery: when it was (last) enabled, 0 when off; and its recovery period.
  double pitr_since = 0;
  int64_t pitr_days = 35;
  // Control-plane settings DynamoDB keeps but localddb only stores and describes: resource
  // policies, Contributor Insights, Kinesis streaming destinations (api/ops/table_settings.h owns
  // the JSON: {"policies": {...}, "insights": {...}, "kinesis": [...]}).
  std::string settings_json = "{}";
  std::shared_ptr<TableUsage> usage = std::make_shared<TableUsage>();

  // Every index of one kind, in creation order.
  bool HasLocalIndexes() const {
    for (const auto& i : indexes)
      if (!i.global) return true;
    return false;
  }

  const SecondaryIndex* FindIndex(std::string_view index_name) const;
  // The type declared for an attribute in AttributeDefinitions, if any.
  std::optional<value::Type> DefinedType(std::string_view attribute) const;

  std::string ToJson() const;
  static TableSchema FromJson(std::string_view text);
};

using TableSchemaPtr = std::shared_ptr<const TableSchema>;

}  // namespace localddb::api
