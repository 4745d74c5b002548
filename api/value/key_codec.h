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
#include <vector>

#include "api/value/attribute_value.h"

namespace localddb::value {

// REQUIRES: v's type is S, N or B.
std::string EncodeKey(const AttributeValue& v);
// REQUIRES: type is kS, kN or kB and bytes came from EncodeKey of that type.
AttributeValue DecodeKey(Type type, std::string_view bytes);

// Tuple encoding, for a multi-attribute GSI key part (several partition or several sort
// attributes): each attribute's EncodeKey bytes with 0x00 escaped as 00 FF, then the terminator
// 00 01. memcmp then orders tuples attribute by attribute (a shorter component first), and the
// items whose leading components equal given values are one contiguous range starting at the
// encoding of those values.
// On disk: do not change without a schema migration.
void AppendTupleComponent(std::string& out, std::string_view encoded);
// The escaped bytes of a component without its terminator: the prefix that every component
// beginning with `encoded` shares (begins_with on the last attribute of a tuple range).
void AppendTupleComponentPrefix(std::string& out, std::string_view encoded);
constexpr std::string_view kTupleTerminator{"\x00\x01", 2};
// The smallest bytes greater than every tuple that starts with a given complete component:
// append this instead of kTupleTerminator.
constexpr std::string_view kTupleAfterComponent{"\x00\x02", 2};
// Splits a tuple back into its components' EncodeKey bytes; empty if the bytes are no tuple.
std::vector<std::string> SplitTuple(std::string_view tuple);

// A stable 32-bit hash of an encoded hash key: items are stored in (hash, key) order, so a Scan
// walks partitions in a pseudo-random order as DynamoDB does, and parallel-scan segments are
// contiguous hash ranges.
uint32_t PartitionHash(std::string_view encoded_hash_key);

}  // namespace localddb::value
