#include "server/sigv4.h"

#include <catch2/catch.hpp>

using namespace localddb::server;
namespace http = boost::beast::http;

// AWS's documented example (IAM ListUsers GET) from "Signature Version 4 signing process" examples:
// secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, date 20150830T123600Z, region us-east-1, service iam.
TEST_CASE("signature of AWS's published example request") {
  http::request<http::string_body> req{http::verb::get, "/?Action=ListUsers&Version=2010-05-08", 11};
  req.set(http::field::host, "iam.amazonaws.com");
  req.set(http::field::content_type, "application/x-www-form-urlencoded; charset=utf-8");
  req.set("X-Amz-Date", "20150830T123600Z");
  std::vector<std::string> signed_headers = {"content-type", "host", "x-amz-date"};
  std::string canonical = CanonicalRequest(req, signed_headers);
  CHECK(canonical ==
        "GET\n/\nAction=ListUsers&Version=2010-05-08\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\n"
        "host:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  ParsedAuthorization auth{"AKIDEXAMPLE", "20150830", "us-east-1", "iam", signed_headers, ""};
  CHECK(SignatureFor("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", auth, "20150830T123600Z", canonical) ==
        "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST_CASE("authorization headers are parsed or refused") {
  auto a = ParseAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/dynamodb/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=abc");
  REQUIRE(a);
  CHECK(a->access_key == "AKID");
  CHECK(a->region == "us-east-1");
  CHECK(a->service == "dynamodb");
  CHECK(a->signed_headers == std::vector<std::string>{"host", "x-amz-date"});
  CHECK(a->signature == "abc");
  CHECK_FALSE(ParseAuthorization("Basic dXNlcjpwYXNz"));
  CHECK_FALSE(ParseAuthorization("AWS4-HMAC-SHA256 Credential=AKID/x/aws4_request, SignedHeaders=host, Signature=a"));
  CHECK_FALSE(ParseAuthorization("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/dynamodb/aws4_request"));
}

TEST_CASE("verification: unknown key, bad signature, skew, and success") {
  http::request<http::string_body> req{http::verb::post, "/", 11};
  req.set(http::field::host, "localhost:8000");
  req.set("X-Amz-Date", "20260101T000000Z");
  req.body() = "{}";
  const double now = 1767225600;  // 2026-01-01T00:00:00Z
  std::vector<std::pair<std::string, std::string>> creds = {{"AKID", "secret"}};
  std::vector<std::string> signed_headers = {"host", "x-amz-date"};
  ParsedAuthorization auth{"AKID", "20260101", "us-east-1", "dynamodb", signed_headers, ""};
  std::string sig = SignatureFor("secret", auth, "20260101T000000Z", CanonicalRequest(req, signed_headers));
  auto header = [&](const std::string& akid, const std::string& s) {
    return "AWS4-HMAC-SHA256 Credential=" + akid +
           "/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + s;
  };
  req.set(http::field::authorization, header("AKID", sig));
  CHECK_FALSE(VerifySigV4(req, creds, now));
  CHECK_FALSE(VerifySigV4(req, creds, now + 14 * 60));
  auto skew = VerifySigV4(req, creds, now + 16 * 60);
  REQUIRE(skew);
  CHECK(skew->name() == "InvalidSignatureException");
  CHECK(skew->message().starts_with("Signature expired: 20260101T000000Z is now earlier than"));
  req.set(http::field::authorization, header("AKID", std::string(64, '0')));
  auto bad = VerifySigV4(req, creds, now);
  REQUIRE(bad);
  CHECK(bad->name() == "InvalidSignatureException");
  req.set(http::field::authorization, header("OTHER", sig));
  auto unknown = VerifySigV4(req, creds, now);
  REQUIRE(unknown);
  CHECK(unknown->name() == "UnrecognizedClientException");
  CHECK(unknown->message() == "The security token included in the request is invalid.");
  req.body() = "{\"x\":1}";  // tampered body
  req.set(http::field::authorization, header("AKID", sig));
  CHECK(VerifySigV4(req, creds, now));
}
