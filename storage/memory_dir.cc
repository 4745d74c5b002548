#include "storage/memory_dir.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <random>
#include <string>

namespace localddb::storage {

namespace fs = std::filesystem;

fs::path MakeMemoryDir() {
  fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(base, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("localddb-", 0) != 0) continue;
    pid_t pid = static_cast<pid_t>(std::atoll(name.c_str() + 9));
    if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ec);
  }
  std::random_device rd;
  fs::path dir = base / ("localddb-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(dir);
  return dir;
}

}  // namespace localddb::storage
