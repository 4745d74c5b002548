// Leveled logging to stderr, one line per message.
#pragma once

#include <string_view>

#include "server/config.h"

namespace localddb::server {

void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
void Log(LogLevel level, std::string_view message);

}  // namespace localddb::server
