// ApiError: the one error type of the API layer.
//
// Thrown anywhere in api/ or streams/ and caught in one place (server/router), which turns it into
// DynamoDB's wire form: HTTP status + {"__type": "<prefix>#<Name>", "message": "..."}.
// The prefix and status of each error name are kept as one table in error.cc.
#pragma once

#include <exception>
#include <string>

namespace localddb::api {

class ApiError : public std::exception {
 public:
  // Any error by its DynamoDB name, e.g. ("ValidationException", "...").
  ApiError(std::string name, std::string message);

  static ApiError Validation(std::string message);
  static ApiError Serialization(std::string message);
  static ApiError ResourceNotFound(std::string message);
  static ApiError ResourceInUse(std::string message);
  static ApiError LimitExceeded(std::string message);
  // "The conditional request failed"; old_item_json is the ALL_OLD item as wire JSON (an
  // AttributeValue map) when ReturnValuesOnConditionCheckFailure=ALL_OLD, else empty.
  static ApiError ConditionalCheckFailed(std::string old_item_json = {});
  static ApiError Internal(std::string message = "Internal server error");

  const std::string& name() const { return name_; }
  const std::string& message() const { return message_; }
  // Full "__type", e.g. "com.amazon.coral.validate#ValidationException".
  std::string type() const;
  int http_status() const;
  // Extra members for the error body, as JSON text without braces ("\"Item\":{...}"), or empty.
  const std::string& extra_json() const { return extra_json_; }
  void set_extra_json(std::string extra) { extra_json_ = std::move(extra); }

  // The complete error body.
  std::string Body() const;

  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string name_;
  std::string message_;
  std::string extra_json_;
};

}  // namespace localddb::api
