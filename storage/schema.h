// The on-disk schema: creation, version check and migrations.
#pragma once

#include <string>

#include "storage/sqlite.h"

namespace localddb::storage {

// The schema version this build writes; the migrations to it are in schema.cc.
constexpr int kSchemaVersion = 7;

// Puts the file in WAL mode, refuses files that are not localddb's (or are corrupt, or come
// from a newer build) with a StorageError a user can act on, and creates or migrates the schema
// to kSchemaVersion.
void OpenSchema(Connection& conn, const std::string& path);

}  // namespace localddb::storage
