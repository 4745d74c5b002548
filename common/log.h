// Leveled logging to stderr, one line per message, for every thread (request workers, the storage
// writer, the checkpointer, hook delivery). Lines never interleave.
#pragma once

#include <string_view>

namespace localddb {

enum class LogLevel { kError, kWarn, kInfo, kDebug };

enum class LogFormat { kText, kJson };

void SetLogLevel(LogLevel level);
// text: "2026-11-30T10:00:00.123Z INFO message"; json: {"time","level","message"} per line.
void SetLogFormat(LogFormat format);
bool LogEnabled(LogLevel level);
void Log(LogLevel level, std::string_view message);

}  // namespace localddb
