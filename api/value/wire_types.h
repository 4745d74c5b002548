// The wording DynamoDB's JSON front end (Coral) uses when a request member has the wrong JSON
// type. Such a request never reaches validation: it is a SerializationException at once.
#pragma once

#include "api/error.h"
#include "api/json.h"

namespace localddb::value {

// The JSON shape a member is declared with in DynamoDB's API model.
enum class WireType { kString, kBoolean, kInteger, kLong, kStructure, kMap, kList, kBlob };

// True if v has the JSON type that `expected` is carried in.
bool HasWireType(const json::Value& v, WireType expected);

// The SerializationException DynamoDB answers when v is not of the expected type.
api::ApiError WrongWireType(const json::Value& v, WireType expected);

// Throws WrongWireType unless v has the expected type.
inline void RequireWireType(const json::Value& v, WireType expected) {
  if (!HasWireType(v, expected)) throw WrongWireType(v, expected);
}

}  // namespace localddb::value
