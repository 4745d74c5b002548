// Key encoding: the bytes that storage keeps and orders with memcmp for each key attribute.
//
// It lives beside the value model rather than in storage/ because the order is DynamoDB's (numbers
// by value, strings by UTF-8 bytes, binary by unsigned bytes): storage only compares bytes.
//
// On disk: do not change the encoding without a schema migration.
//   S, B  -> the raw bytes (a key attribute has one declared type, so no tag is needed)
//   N     -> an order-preserving byte string for the decimal (see key_codec.cc for the grammar)
// EncodeKey and DecodeKey are exact inverses for their type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/value/attribute_value.h"

namespace localddb::value {

// REQUIRES: v's type is S, N or B.
std::string EncodeKey(const AttributeValue& v);
// REQUIRES: type is kS, kN or kB and bytes came from EncodeKey of that type.
AttributeValue DecodeKey(Type type, std::string_view bytes);

// A stable 32-bit hash of an encoded hash key: items are stored in (hash, key) order, so a Scan
// walks partitions in a pseudo-random order as DynamoDB does, and parallel-scan segments are
// contiguous hash ranges.
uint32_t PartitionHash(std::string_view encoded_hash_key);

}  // namespace localddb::value
