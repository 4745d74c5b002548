#include "api/error.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using namespace localddb::api;

TEST_CASE("every error kind has its own row: a name, a prefix and a status") {
  std::set<std::string> names;
  for (int i = 0; i < static_cast<int>(ErrorKind::kCount); ++i) {
    const auto kind = static_cast<ErrorKind>(i);
    const ApiError e(kind, "m");
    INFO("kind " << i << " " << e.name());
    // A row out of order (or missing) names the wrong kind: ErrorName falls back, and this fails.
    CHECK((e.name() != "InternalServerError" || kind == ErrorKind::kInternalServerError));
    CHECK(names.insert(std::string(e.name())).second);
    CHECK(e.type().find('#') != std::string::npos);
    CHECK(e.type().substr(e.type().find('#') + 1) == e.name());
    CHECK((e.http_status() >= 400 && e.http_status() < 600));
  }
}

TEST_CASE("error families: Coral's and DynamoDB's prefixes and statuses") {
  const std::tuple<ErrorKind, const char*, int> cases[] = {
      {ErrorKind::kValidation, "com.amazon.coral.validate#ValidationException", 400},
      {ErrorKind::kSerialization, "com.amazon.coral.service#SerializationException", 400},
      {ErrorKind::kResourceNotFound, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", 400},
      {ErrorKind::kInternalServerError, "com.amazonaws.dynamodb.v20120810#InternalServerError", 500},
      {ErrorKind::kRequestEntityTooLarge, "com.amazon.coral.service#RequestEntityTooLarge", 413},
      {ErrorKind::kServiceUnavailable, "com.amazon.coral.service#ServiceUnavailableException", 503},
      {ErrorKind::kExpiredIterator, "com.amazonaws.dynamodb.v20120810#ExpiredIteratorException", 400},
  };
  for (const auto& [kind, type, status] : cases) {
    const ApiError e(kind, "m");
    CHECK(e.type() == type);
    CHECK(e.http_status() == status);
  }
}

TEST_CASE("an error body: __type, message (when there is one) and extra members") {
  CHECK(ApiError(ErrorKind::kUnknownOperation, "").Body() ==
        R"({"__type":"com.amazon.coral.service#UnknownOperationException"})");
  CHECK(ApiError::ConditionalCheckFailed(R"({"a":{"S":"x"}})").Body() ==
        R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
        R"("message":"The conditional request failed","Item":{"a":{"S":"x"}}})");
  // The cause of a 500 is for the log, never the body.
  const ApiError internal = ApiError::Internal("Internal server error", "database step failed: disk I/O error");
  CHECK(internal.Body().find("disk I/O") == std::string::npos);
  CHECK(internal.cause() == "database step failed: disk I/O error");
}
