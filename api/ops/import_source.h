// Reading the items of ImportTable's source objects: DynamoDB JSON ({"Item": {...}} per line;
// values may also follow each other on one line, as DynamoDB reads them) and CSV (a header line,
// or InputFormatOptions.Csv.HeaderList; key attributes of the table and its indexes take their
// defined types, every other column is a String, as DynamoDB imports CSV).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "api/catalog/table_schema.h"
#include "api/value/attribute_value.h"

namespace localddb::api {

struct ImportFormat {
  bool csv = false;
  bool gzip = false;
  char delimiter = ',';
  std::vector<std::string> header;  // CSV: empty: the first line of each object
};

// ImportTableDescription's counts, and the first error met (localddb has no CloudWatch log, so
// the FailureMessage names it).
struct ImportCounts {
  int64_t processed_items = 0;
  int64_t processed_bytes = 0;
  int64_t imported = 0;
  int64_t errors = 0;
  std::string first_error;

  void Error(const std::string& where, const std::string& what);
};

// Reads one object (key: for messages), handing each item to put; a line that cannot be read, or
// an item put refuses (it throws ApiError), counts as an error and the import goes on. Throws
// BucketError when the object cannot be read at all (or is not gzip when gzip is expected).
void ReadImportObject(const std::filesystem::path& path, const std::string& key, const ImportFormat& format,
                      const TableSchema& table, ImportCounts& counts, const std::function<void(value::Item&)>& put);

}  // namespace localddb::api
