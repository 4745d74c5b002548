#include "api/value/wire_types.h"

#include <string>

namespace localddb::value {
namespace {

// How Coral names the JSON token it found.
std::string TokenName(const json::Value& v) {
  if (v.IsString()) return "STRING_VALUE";
  if (v.IsNumber()) return "NUMBER_VALUE";
  if (v.IsTrue()) return "TRUE_VALUE";
  if (v.IsFalse()) return "FALSE_VALUE";
  return "NULL_VALUE";
}

}  // namespace

bool HasWireType(const json::Value& v, WireType expected) {
  switch (expected) {
    case WireType::kString:
    case WireType::kBlob:
      return v.IsString();
    case WireType::kBoolean:
      return v.IsBool();
    case WireType::kInteger:
    case WireType::kLong:
      return v.IsInt64() || v.IsUint64();
    case WireType::kStructure:
    case WireType::kMap:
      return v.IsObject();
    case WireType::kList:
      return v.IsArray();
  }
  return false;
}

api::ApiError WrongWireType(const json::Value& v, WireType expected) {
  if (v.IsObject() && expected != WireType::kStructure && expected != WireType::kMap)
    return api::ApiError::Serialization("Start of structure or map found where not expected.");
  if (v.IsArray() && expected != WireType::kList)
    return api::ApiError::Serialization("Start of list found where not expected");
  switch (expected) {
    case WireType::kString:
    case WireType::kBlob:
      return api::ApiError::Serialization(TokenName(v) + " cannot be converted to String");
    case WireType::kBoolean:
      return api::ApiError::Serialization(TokenName(v) + " can not be converted to a Boolean");
    case WireType::kInteger:
      if (v.IsNumber())  // a fractional or huge number
        return api::ApiError::Serialization(
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted "
            "to an Integer");
      return api::ApiError::Serialization(TokenName(v) + " can not be converted to an Integer");
    case WireType::kLong:
      if (v.IsNumber())
        return api::ApiError::Serialization(
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted "
            "to an Long");
      return api::ApiError::Serialization(TokenName(v) + " can not be converted to a Long");
    case WireType::kStructure:
    case WireType::kMap:
    case WireType::kList:
      return api::ApiError::Serialization("Unexpected value type in payload");
  }
  return api::ApiError::Serialization("Unexpected value type in payload");
}

}  // namespace localddb::value
