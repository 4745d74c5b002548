#include "common/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

namespace localddb {
namespace {
LogLevel g_level = LogLevel::kInfo;
LogFormat g_format = LogFormat::kText;
std::mutex g_mu;
constexpr const char* kNames[] = {"ERROR", "WARN", "INFO", "DEBUG"};
}  // namespace

void SetLogLevel(LogLevel level) { g_level = level; }
void SetLogFormat(LogFormat format) { g_format = format; }

namespace {
// The message as a JSON string's contents (quotes, backslashes and control characters escaped).
std::string JsonEscaped(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}
}  // namespace
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
  if (g_format == LogFormat::kJson) {
    const std::string escaped = JsonEscaped(message);
    std::lock_guard lock(g_mu);
    std::fprintf(stderr, "{\"time\":\"%s.%03dZ\",\"level\":\"%s\",\"message\":\"%s\"}\n", stamp, ms,
                 kNames[static_cast<int>(level)], escaped.c_str());
    return;
  }
  std::lock_guard lock(g_mu);
  std::fprintf(stderr, "%s.%03dZ %s %.*s\n", stamp, ms, kNames[static_cast<int>(level)],
               static_cast<int>(message.size()), message.data());
}

}  // namespace localddb
