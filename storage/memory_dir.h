// The directory behind --in-memory: SQLite's file, WAL and shared memory on tmpfs.
#pragma once

#include <filesystem>

namespace localddb::storage {

// A private directory on tmpfs, named after this process so that leftovers of dead processes can
// be recognised (and are removed here).
std::filesystem::path MakeMemoryDir();

}  // namespace localddb::storage
