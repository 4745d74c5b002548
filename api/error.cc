#include "api/error.h"

#include <array>
#include <string_view>

#include "api/json.h"

namespace localddb::api {
namespace {

// DynamoDB's error families: the "__type" prefix and HTTP status per error. Errors raised by the
// request-handling front end (Coral) carry Coral prefixes; DynamoDB's own carry the service's.
struct ErrorRow {
  ErrorKind kind;
  std::string_view name;
  std::string_view prefix;
  int status;
};

constexpr std::string_view kCoralValidate = "com.amazon.coral.validate#";
constexpr std::string_view kCoralService = "com.amazon.coral.service#";
constexpr std::string_view kDynamo = "com.amazonaws.dynamodb.v20120810#";

// One row per ErrorKind, in its order.
constexpr std::array<ErrorRow, static_cast<size_t>(ErrorKind::kCount)> kErrors = {{
    {ErrorKind::kValidation, "ValidationException", kCoralValidate, 400},
    {ErrorKind::kSerialization, "SerializationException", kCoralService, 400},
    {ErrorKind::kUnknownOperation, "UnknownOperationException", kCoralService, 400},
    {ErrorKind::kMissingAuthenticationToken, "MissingAuthenticationTokenException", kCoralService, 400},
    {ErrorKind::kIncompleteSignature, "IncompleteSignatureException", kCoralService, 400},
    {ErrorKind::kInvalidSignature, "InvalidSignatureException", kCoralService, 400},
    {ErrorKind::kUnrecognizedClient, "UnrecognizedClientException", kCoralService, 400},
    {ErrorKind::kAccessDenied, "AccessDeniedException", kCoralService, 400},
    {ErrorKind::kRequestEntityTooLarge, "RequestEntityTooLarge", kCoralService, 413},
    {ErrorKind::kRequestHeaderFieldsTooLarge, "RequestHeaderFieldsTooLarge", kCoralService, 431},
    {ErrorKind::kInternalFailure, "InternalFailure", kCoralService, 500},
    {ErrorKind::kServiceUnavailable, "ServiceUnavailableException", kCoralService, 503},
    {ErrorKind::kServiceUnavailableShort, "ServiceUnavailable", kCoralService, 503},
    {ErrorKind::kThrottling, "ThrottlingException", kCoralService, 400},
    {ErrorKind::kInternalServerError, "InternalServerError", kDynamo, 500},
    {ErrorKind::kResourceNotFound, "ResourceNotFoundException", kDynamo, 400},
    {ErrorKind::kResourceInUse, "ResourceInUseException", kDynamo, 400},
    {ErrorKind::kLimitExceeded, "LimitExceededException", kDynamo, 400},
    {ErrorKind::kConditionalCheckFailed, "ConditionalCheckFailedException", kDynamo, 400},
    {ErrorKind::kTransactionCanceled, "TransactionCanceledException", kDynamo, 400},
    {ErrorKind::kTransactionConflict, "TransactionConflictException", kDynamo, 400},
    {ErrorKind::kTransactionInProgress, "TransactionInProgressException", kDynamo, 400},
    {ErrorKind::kIdempotentParameterMismatch, "IdempotentParameterMismatchException", kDynamo, 400},
    {ErrorKind::kProvisionedThroughputExceeded, "ProvisionedThroughputExceededException", kDynamo, 400},
    {ErrorKind::kRequestLimitExceeded, "RequestLimitExceeded", kDynamo, 400},
    {ErrorKind::kItemCollectionSizeLimitExceeded, "ItemCollectionSizeLimitExceededException", kDynamo, 400},
    {ErrorKind::kDuplicateItem, "DuplicateItemException", kDynamo, 400},
    {ErrorKind::kTableNotFound, "TableNotFoundException", kDynamo, 400},
    {ErrorKind::kTableAlreadyExists, "TableAlreadyExistsException", kDynamo, 400},
    {ErrorKind::kTableInUse, "TableInUseException", kDynamo, 400},
    {ErrorKind::kBackupNotFound, "BackupNotFoundException", kDynamo, 400},
    {ErrorKind::kBackupInUse, "BackupInUseException", kDynamo, 400},
    {ErrorKind::kContinuousBackupsUnavailable, "ContinuousBackupsUnavailableException", kDynamo, 400},
    {ErrorKind::kPointInTimeRecoveryUnavailable, "PointInTimeRecoveryUnavailableException", kDynamo, 400},
    {ErrorKind::kInvalidRestoreTime, "InvalidRestoreTimeException", kDynamo, 400},
    {ErrorKind::kPolicyNotFound, "PolicyNotFoundException", kDynamo, 400},
    {ErrorKind::kIndexNotFound, "IndexNotFoundException", kDynamo, 400},
    {ErrorKind::kGlobalTableNotFound, "GlobalTableNotFoundException", kDynamo, 400},
    {ErrorKind::kReplicaNotFound, "ReplicaNotFoundException", kDynamo, 400},
    {ErrorKind::kExportNotFound, "ExportNotFoundException", kDynamo, 400},
    {ErrorKind::kImportNotFound, "ImportNotFoundException", kDynamo, 400},
    {ErrorKind::kInvalidExportTime, "InvalidExportTimeException", kDynamo, 400},
    {ErrorKind::kExportConflict, "ExportConflictException", kDynamo, 400},
    {ErrorKind::kImportConflict, "ImportConflictException", kDynamo, 400},
    {ErrorKind::kExpiredIterator, "ExpiredIteratorException", kDynamo, 400},
    {ErrorKind::kTrimmedDataAccess, "TrimmedDataAccessException", kDynamo, 400},
}};

const ErrorRow& Row(ErrorKind kind) { return kErrors[static_cast<size_t>(kind)]; }

}  // namespace

std::string_view ErrorName(ErrorKind kind) {
  const ErrorRow& row = Row(kind);
  return row.kind == kind ? row.name : std::string_view("InternalServerError");  // see error_test.cc
}

std::optional<ErrorKind> ErrorKindByName(std::string_view name) {
  for (const auto& row : kErrors)
    if (row.name == name) return row.kind;
  return std::nullopt;
}

ApiError::ApiError(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

ApiError ApiError::Validation(std::string m) { return {ErrorKind::kValidation, std::move(m)}; }
ApiError ApiError::Serialization(std::string m) { return {ErrorKind::kSerialization, std::move(m)}; }
ApiError ApiError::ResourceNotFound(std::string m) { return {ErrorKind::kResourceNotFound, std::move(m)}; }
ApiError ApiError::ResourceInUse(std::string m) { return {ErrorKind::kResourceInUse, std::move(m)}; }
ApiError ApiError::LimitExceeded(std::string m) { return {ErrorKind::kLimitExceeded, std::move(m)}; }
ApiError ApiError::ConditionalCheckFailed(std::string old_item_json) {
  ApiError e(ErrorKind::kConditionalCheckFailed, "The conditional request failed");
  if (!old_item_json.empty()) e.extra_json_ = "\"Item\":" + old_item_json;
  return e;
}
ApiError ApiError::Internal(std::string m, std::string cause) {
  ApiError e(ErrorKind::kInternalServerError, std::move(m));
  e.cause_ = std::move(cause);
  return e;
}

std::string_view ApiError::name() const { return ErrorName(kind_); }

std::string ApiError::type() const { return std::string(Row(kind_).prefix) + std::string(name()); }

int ApiError::http_status() const { return Row(kind_).status; }

std::string ApiError::Body() const {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("__type");
  w.String(type());
  if (!message_.empty()) {  // Coral omits the message for some errors (UnknownOperation, ...)
    w.Key("message");
    // A message echoing a multi-megabyte value is cut: answers that large to a client that pipelines
    // requests without reading could stall both sides (found by protocol_fuzz).
    constexpr size_t kMaxMessageBytes = 64 * 1024;
    w.String(message_.size() <= kMaxMessageBytes ? message_ : json::Excerpt(message_, kMaxMessageBytes) + "...");
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
