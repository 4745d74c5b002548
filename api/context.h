// What every operation and the write engine run against: the database, the table catalog, the
// settings from flags and the clock. Below the operations (api/ops) and the write engine
// (api/write), above storage.
#pragma once

#include <functional>
#include <string>

#include "api/catalog/catalog.h"
#include "storage/database.h"

namespace localddb::api {

// Settings the operations read (from flags).
struct Settings {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  // The directory standing in for S3 in table exports and imports (bucket B is its subdirectory
  // B); empty: none, and exports and imports are refused.
  std::string s3_dir;
};

// Wall clock in seconds since the epoch, injectable so tests are deterministic.
using Clock = std::function<double()>;
double SystemClock();

struct Context {
  storage::Database& db;
  Catalog& catalog;
  Settings settings;
  Clock now = SystemClock;
};

}  // namespace localddb::api
