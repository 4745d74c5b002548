// ConsumedCapacity by DynamoDB's formulas: reads in 4 KB units (half for eventually consistent
// reads), writes in 1 KB units (the larger of the old and new item), index writes counted per index.
#pragma once

#include <map>
#include <string>

#include "api/catalog/table_schema.h"
#include "api/json.h"

namespace localddb::api {

enum class CapacityMode { kNone, kTotal, kIndexes };

double ReadUnits(size_t bytes, bool consistent);
// A size that gives a stored item's read units: its JSON's length while that is at most 4 KB (the
// JSON is never smaller than the item's DynamoDB size, so both make one unit), else the exact size.
size_t SizeForReadUnits(std::string_view stored_json);
double WriteUnits(size_t bytes);

// Capacity consumed on one table by one request.
struct Consumed {
  std::string table;
  double table_units = 0;
  std::map<std::string, double> global_indexes, local_indexes;

  double Total() const;
  void AddIndex(const SecondaryIndex& index, double units);
};

// Transactions also name the kind of units beside each CapacityUnits ("ReadCapacityUnits" for
// TransactGetItems, "WriteCapacityUnits" for TransactWriteItems); other operations do not.
enum class UnitKind { kUnnamed, kRead, kWrite };

// Writes the ConsumedCapacity object for mode (REQUIRES: mode != kNone).
void WriteConsumed(json::Writer& w, CapacityMode mode, const Consumed& c, UnitKind kind = UnitKind::kUnnamed);

// Capacity of a multi-table request (BatchWriteItem, transactions), one entry per table.
class ConsumedByTable {
 public:
  explicit ConsumedByTable(UnitKind kind = UnitKind::kUnnamed) : kind_(kind) {}
  // Adds c to its table's entry, scaled (transactions cost twice a plain read or write).
  void Add(const Consumed& c, double factor = 1);
  void Clear() { tables_.clear(); }
  // Writes "ConsumedCapacity": [...] (REQUIRES: mode != kNone).
  void Write(json::Writer& w, CapacityMode mode) const;

 private:
  UnitKind kind_;
  std::map<std::string, Consumed> tables_;
};

}  // namespace localddb::api
