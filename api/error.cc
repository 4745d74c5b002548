#include "api/error.h"

#include <array>
#include <string_view>

#include "api/json.h"

namespace localddb::api {
namespace {

// DynamoDB's error families: the "__type" prefix and HTTP status per error name. Errors raised by
// the request-handling frontend (Coral) carry Coral prefixes; DynamoDB's own carry the service's.
struct ErrorKind {
  std::string_view name;
  std::string_view prefix;
  int status;
};

constexpr std::string_view kCoralValidate = "com.amazon.coral.validate#";
constexpr std::string_view kCoralService = "com.amazon.coral.service#";
constexpr std::string_view kDynamo = "com.amazonaws.dynamodb.v20120810#";

constexpr std::array kErrorKinds = {
    ErrorKind{"ValidationException", kCoralValidate, 400},
    ErrorKind{"SerializationException", kCoralService, 400},
    ErrorKind{"UnknownOperationException", kCoralService, 400},
    ErrorKind{"MissingAuthenticationTokenException", kCoralService, 400},
    ErrorKind{"IncompleteSignatureException", kCoralService, 400},
    ErrorKind{"InvalidSignatureException", kCoralService, 400},
    ErrorKind{"UnrecognizedClientException", kCoralService, 400},
    ErrorKind{"AccessDeniedException", kCoralService, 400},
    ErrorKind{"RequestEntityTooLarge", kCoralService, 413},
    ErrorKind{"RequestHeaderFieldsTooLarge", kCoralService, 431},
    ErrorKind{"InternalFailure", kCoralService, 500},
    ErrorKind{"ServiceUnavailableException", kCoralService, 503},
    ErrorKind{"InternalServerError", kDynamo, 500},
    // Everything else (ResourceNotFoundException, ConditionalCheckFailedException, ...) is
    // DynamoDB's own, with status 400: see the fallback in Find().
};

ErrorKind Find(std::string_view name) {
  for (const auto& k : kErrorKinds)
    if (k.name == name) return k;
  return {name, kDynamo, 400};
}

}  // namespace

ApiError::ApiError(std::string name, std::string message)
    : name_(std::move(name)), message_(std::move(message)) {}

ApiError ApiError::Validation(std::string m) { return {"ValidationException", std::move(m)}; }
ApiError ApiError::Serialization(std::string m) { return {"SerializationException", std::move(m)}; }
ApiError ApiError::ResourceNotFound(std::string m) {
  return {"ResourceNotFoundException", std::move(m)};
}
ApiError ApiError::ResourceInUse(std::string m) { return {"ResourceInUseException", std::move(m)}; }
ApiError ApiError::LimitExceeded(std::string m) { return {"LimitExceededException", std::move(m)}; }
ApiError ApiError::ConditionalCheckFailed(std::string old_item_json) {
  ApiError e("ConditionalCheckFailedException", "The conditional request failed");
  if (!old_item_json.empty()) e.extra_json_ = "\"Item\":" + old_item_json;
  return e;
}
ApiError ApiError::Internal(std::string m) { return {"InternalServerError", std::move(m)}; }

std::string ApiError::type() const {
  const ErrorKind k = Find(name_);
  return std::string(k.prefix) + name_;
}

int ApiError::http_status() const { return Find(name_).status; }

std::string ApiError::Body() const {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("__type");
  w.String(type());
  if (!message_.empty()) {  // Coral omits the message for some errors (UnknownOperation, ...)
    w.Key("message");
    w.String(message_);
  }
  w.EndObject();
  std::string body(buf.GetString(), buf.GetSize());
  if (!extra_json_.empty()) {
    body.pop_back();  // '}'
    body += ',' + extra_json_ + '}';
  }
  return body;
}

}  // namespace localddb::api
