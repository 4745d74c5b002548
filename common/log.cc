#include "common/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

namespace localddb {
namespace {
LogLevel g_level = LogLevel::kInfo;
std::mutex g_mu;
constexpr const char* kNames[] = {"ERROR", "WARN", "INFO", "DEBUG"};
}  // namespace

void SetLogLevel(LogLevel level) { g_level = level; }
bool LogEnabled(LogLevel level) { return level <= g_level; }

void Log(LogLevel level, std::string_view message) {
  if (!LogEnabled(level)) return;
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t t = system_clock::to_time_t(now);
  int ms = static_cast<int>(duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::lock_guard lock(g_mu);
  std::fprintf(stderr, "%s.%03dZ %s %.*s\n", stamp, ms, kNames[static_cast<int>(level)],
               static_cast<int>(message.size()), message.data());
}

}  // namespace localddb
