// ApiError: the one error type of the API layer.
//
// Thrown anywhere in api/ or streams/ and caught in one place (server/router), which turns it into
// DynamoDB's wire form: HTTP status + {"__type": "<prefix>#<Name>", "message": "..."}. Every kind
// of error is a row of one table (error.cc): its DynamoDB name, its "__type" prefix and its status.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <string_view>

namespace localddb::api {

// Every error localddb answers. To add one: a kind here, a row in error.cc's table (in the same
// order; tests/api/error_test.cc checks both).
enum class ErrorKind {
  // Raised by DynamoDB's request front end (Coral).
  kValidation,
  kSerialization,
  kUnknownOperation,
  kMissingAuthenticationToken,
  kIncompleteSignature,
  kInvalidSignature,
  kUnrecognizedClient,
  kAccessDenied,
  kRequestEntityTooLarge,
  kRequestHeaderFieldsTooLarge,
  kInternalFailure,
  kServiceUnavailable,
  kServiceUnavailableShort,  // "ServiceUnavailable": the name SDKs also retry on
  kThrottling,
  // DynamoDB's own.
  kInternalServerError,
  kResourceNotFound,
  kResourceInUse,
  kLimitExceeded,
  kConditionalCheckFailed,
  kTransactionCanceled,
  kTransactionConflict,
  kTransactionInProgress,
  kIdempotentParameterMismatch,
  kProvisionedThroughputExceeded,
  kRequestLimitExceeded,
  kItemCollectionSizeLimitExceeded,
  kDuplicateItem,
  kTableNotFound,
  kTableAlreadyExists,
  kTableInUse,
  kBackupNotFound,
  kBackupInUse,
  kContinuousBackupsUnavailable,
  kPointInTimeRecoveryUnavailable,
  kInvalidRestoreTime,
  kPolicyNotFound,
  kIndexNotFound,
  kGlobalTableNotFound,
  kReplicaNotFound,
  kExportNotFound,
  kImportNotFound,
  kInvalidExportTime,
  kExportConflict,
  kImportConflict,
  // DynamoDB Streams.
  kExpiredIterator,
  kTrimmedDataAccess,
  kCount  // not a kind: the number of kinds
};

class ApiError : public std::exception {
 public:
  ApiError(ErrorKind kind, std::string message);

  static ApiError Validation(std::string message);
  static ApiError Serialization(std::string message);
  static ApiError ResourceNotFound(std::string message);
  static ApiError ResourceInUse(std::string message);
  static ApiError LimitExceeded(std::string message);
  // "The conditional request failed"; old_item_json is the ALL_OLD item as wire JSON (an
  // AttributeValue map) when ReturnValuesOnConditionCheckFailure=ALL_OLD, else empty.
  static ApiError ConditionalCheckFailed(std::string old_item_json = {});
  // A 500. cause is what went wrong, for the log only (never sent to the client).
  static ApiError Internal(std::string message = "Internal server error", std::string cause = {});

  ErrorKind kind() const { return kind_; }
  // DynamoDB's name, e.g. "ValidationException".
  std::string_view name() const;
  const std::string& message() const { return message_; }
  const std::string& cause() const { return cause_; }
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
  ErrorKind kind_;
  std::string message_;
  std::string cause_;
  std::string extra_json_;
};

// The DynamoDB name of a kind ("ValidationException"), for tests and logs.
std::string_view ErrorName(ErrorKind kind);
// The kind of a DynamoDB error name, if it is one localddb knows.
std::optional<ErrorKind> ErrorKindByName(std::string_view name);

}  // namespace localddb::api
