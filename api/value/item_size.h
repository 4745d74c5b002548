// Item and attribute sizes by DynamoDB's rules (the basis of the 400 KB item limit, the key size
// limits and the capacity-unit arithmetic).
//
// Per the Developer Guide: an attribute costs the UTF-8 length of its name plus its value; S is its
// UTF-8 length, B its raw byte length, N about (significant digits / 2) + 1 bytes, BOOL and NULL 1
// byte, M and L 3 bytes plus their elements (plus 1 per element), sets the sum of their members.
#pragma once

#include <cstddef>
#include <string_view>

#include "api/value/attribute_value.h"

namespace localddb::value {

size_t ValueSize(const AttributeValue& v);
size_t AttributeSize(std::string_view name, const AttributeValue& v);
size_t ItemSize(const Item& item);
// How deep an item nests: 1 for scalars and sets, one more per map or list level (the measure of
// DynamoDB's 32-level limit, as attribute values are counted when they are parsed).
int NestingDepth(const Item& item);

// DynamoDB's limits.
constexpr size_t kMaxItemSize = 400 * 1024;
constexpr size_t kMaxHashKeySize = 2048;
constexpr size_t kMaxRangeKeySize = 1024;
constexpr int kMaxNestingDepth = 32;

}  // namespace localddb::value
