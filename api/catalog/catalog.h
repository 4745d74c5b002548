// Catalog: the in-memory cache of every table's schema, loaded from storage at start-up and
// updated by the table operations after their change commits.
//
// Thread safety: all methods may be called from any thread. Readers get a shared_ptr to an
// immutable TableSchema, so a request keeps a consistent view even if the table changes meanwhile.
#pragma once

#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "api/catalog/table_schema.h"
#include "storage/database.h"

namespace localddb::api {

class Catalog {
 public:
  void Load(storage::Reader& reader);

  // nullptr if no such table.
  TableSchemaPtr Find(std::string_view name) const;
  // Like Find, but throws DynamoDB's ResourceNotFoundException
  // ("Requested resource not found") when the table does not exist.
  // name may be the table's ARN, as the data-plane operations allow; an ARN of anything but a
  // table (an index's, say) is a ValidationException.
  TableSchemaPtr Require(std::string_view name) const;
  // The table's schema now, for a write read against `seen`: throws ResourceNotFoundException
  // if the table has been deleted (or deleted and created again) since. On the writer thread this
  // is the schema every write must be applied in (see api/write/item_change.h).
  TableSchemaPtr RequireCurrent(const TableSchema& seen) const;
  // Every table, ordered by name.
  std::vector<TableSchemaPtr> List() const;

  void Put(TableSchemaPtr schema);
  void Remove(std::string_view name);

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, TableSchemaPtr, std::less<>> tables_;
};

}  // namespace localddb::api
