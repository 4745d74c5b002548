// AWS Signature Version 4 verification (HMAC-SHA256 via OpenSSL), per AWS's
// "Create a signed AWS API request" spec: canonical request -> string to sign -> derived key.
#pragma once

#include <boost/beast/http.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/error.h"

namespace localddb::server {

struct ParsedAuthorization {
  std::string access_key, date, region, service;
  std::vector<std::string> signed_headers;
  std::string signature;
};

// Parses "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/dynamodb/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=..."; nullopt if it is not well formed.
std::optional<ParsedAuthorization> ParseAuthorization(std::string_view header);

// The error DynamoDB answers for this request, or nullopt if its signature is valid for one of
// credentials (access key id -> secret) and its X-Amz-Date is within 15 minutes of now.
std::optional<api::ApiError> VerifySigV4(const boost::beast::http::request<boost::beast::http::string_body>& req,
                                         const std::vector<std::pair<std::string, std::string>>& credentials,
                                         double now);

// Exposed for tests: the signature of a canonical request.
std::string SignatureFor(std::string_view secret, const ParsedAuthorization& auth, std::string_view amz_date,
                         std::string_view canonical_request);
std::string CanonicalRequest(const boost::beast::http::request<boost::beast::http::string_body>& req,
                             const std::vector<std::string>& signed_headers);

}  // namespace localddb::server
