// Leveled logging to stderr, one line per message, for every thread (request workers, the storage
// writer, the checkpointer, hook delivery). Lines never interleave.
#pragma once

#include <string_view>

namespace localddb {

enum class LogLevel { kError, kWarn, kInfo, kDebug };

void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
void Log(LogLevel level, std::string_view message);

}  // namespace localddb
