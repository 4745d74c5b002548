#pragma once

#include <string_view>

namespace localddb::expr {

// True if word (in any letter case) is one of DynamoDB's reserved words.
bool IsReservedWord(std::string_view word);

}  // namespace localddb::expr
