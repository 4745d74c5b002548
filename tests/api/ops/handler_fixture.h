// What every operation-handler test runs against: a fresh in-memory database, its catalog and a
// context whose clock stands still, so creation times, stream labels, record times and iterator
// ages are the same on every run. Operations are called by name through the operation table, as
// the router calls them, so a test also checks the table's wiring (service, value layer).
//
// One HandlerFixture per TEST_CASE (or per SECTION run): nothing carries over between cases.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/catalog/catalog.h"
#include "api/context.h"
#include "api/json.h"
#include "api/ops/operation.h"
#include "storage/database.h"

namespace localddb::api::test {

// The fixed clock: 2026-01-01T00:00:00Z (a Thursday).
constexpr double kNow = 1767225600.0;
// The ARN prefix of a table in the fixture's settings (us-east-1, account 000000000000).
inline std::string ArnOf(std::string_view table) {
  return "arn:aws:dynamodb:us-east-1:000000000000:table/" + std::string(table);
}

// "OK" for a success, else "<ErrorName>: <message>": one string an assertion can compare.
inline std::string Describe(const Outcome& o) {
  if (!o.error) return "OK";
  return std::string(o.error->name()) + ": " + o.error->message();
}

// JSON text with every object's members sorted by name, recursively: two documents that differ
// only in member order compare equal.
inline void WriteCanonical(const json::Value& v, json::Writer& w) {
  if (v.IsObject()) {
    std::vector<const json::Value::Member*> members;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) members.push_back(&*it);
    std::sort(members.begin(), members.end(),
              [](auto* a, auto* b) { return json::View(a->name) < json::View(b->name); });
    w.StartObject();
    for (auto* m : members) {
      w.Key(m->name.GetString(), m->name.GetStringLength());
      WriteCanonical(m->value, w);
    }
    w.EndObject();
  } else if (v.IsArray()) {
    w.StartArray();
    for (const auto& e : v.GetArray()) WriteCanonical(e, w);
    w.EndArray();
  } else {
    v.Accept(w);
  }
}
inline std::string Canon(const json::Value& v) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  WriteCanonical(v, w);
  return {buf.GetString(), buf.GetSize()};
}
inline std::string Canon(std::string_view text) {
  json::Document doc;
  if (json::Parse(doc, text) != json::ParseStatus::kOk) return "<not JSON: " + std::string(text) + ">";
  return Canon(doc);
}

// One row of an error table: the request, the error's name and its message. kExact compares the
// whole message; kContains only requires it to contain `message`.
enum class Match { kExact, kContains };
struct ErrorCase {
  std::string request;
  std::string_view error;
  std::string message;
  Match match = Match::kExact;
};

class HandlerFixture {
 public:
  HandlerFixture() : db_(OpenMemory()), ctx_{*db_, catalog_, Settings{}, [this] { return now_; }} {
    catalog_.Load(db_->reader());
  }
  ~HandlerFixture() { db_->Close(); }
  HandlerFixture(const HandlerFixture&) = delete;
  HandlerFixture& operator=(const HandlerFixture&) = delete;

  // Runs the named operation ("PutItem", "GetRecords", ...) on the JSON request.
  Outcome Call(std::string_view operation, std::string_view request) {
    const bool streams = operation == "ListStreams" || operation == "DescribeStream" ||
                         operation == "GetShardIterator" || operation == "GetRecords";
    const std::string target =
        std::string(streams ? "DynamoDBStreams_20120810." : "DynamoDB_20120810.") + std::string(operation);
    const Operation* op = FindOperation(target);
    INFO("operation " << target);
    REQUIRE(op != nullptr);
    json::Document doc;
    INFO("request " << request);
    REQUIRE(json::Parse(doc, request) == json::ParseStatus::kOk);
    return RunSync(ctx_, *op, doc);
  }

  // Runs the operation, requires success and returns the parsed response body.
  json::Document Ok(std::string_view operation, std::string_view request) {
    Outcome o = Call(operation, request);
    INFO(operation << " " << request << " -> " << Describe(o));
    REQUIRE(!o.error);
    json::Document doc;
    REQUIRE(json::Parse(doc, o.body) == json::ParseStatus::kOk);
    REQUIRE(doc.IsObject());
    return doc;
  }

  // Checks every row: the operation fails with the row's error and message.
  void CheckErrors(std::string_view operation, std::initializer_list<ErrorCase> rows) {
    for (const ErrorCase& row : rows) {
      INFO(operation << " " << row.request);
      const Outcome o = Call(operation, row.request);
      if (row.match == Match::kExact) {
        CHECK(Describe(o) == std::string(row.error) + ": " + row.message);
      } else {
        CHECK(std::string_view(o.error ? o.error->name() : "OK") == row.error);
        CHECK_THAT(Describe(o), Catch::Contains(row.message));
      }
    }
  }

  // A PAY_PER_REQUEST table keyed by pk (S), and by sk of type range_type ("S", "N", "B") if given.
  void CreateTable(std::string_view name, std::string_view range_type = "") {
    std::string defs = R"([{"AttributeName":"pk","AttributeType":"S"})";
    std::string keys = R"([{"AttributeName":"pk","KeyType":"HASH"})";
    if (!range_type.empty()) {
      defs += R"(,{"AttributeName":"sk","AttributeType":")" + std::string(range_type) + R"("})";
      keys += R"(,{"AttributeName":"sk","KeyType":"RANGE"})";
    }
    Ok("CreateTable", R"({"TableName":")" + std::string(name) + R"(","AttributeDefinitions":)" + defs +
                          R"(],"KeySchema":)" + keys + R"(],"BillingMode":"PAY_PER_REQUEST"})");
  }

  // PutItem of an item (wire JSON) that must succeed.
  void Put(std::string_view table, std::string_view item) {
    Ok("PutItem", R"({"TableName":")" + std::string(table) + R"(","Item":)" + std::string(item) + "}");
  }

  // The item GetItem (consistent) returns for a key, as canonical JSON, or "" if there is none.
  std::string Get(std::string_view table, std::string_view key) {
    json::Document out = Ok("GetItem", R"({"TableName":")" + std::string(table) + R"(","ConsistentRead":true,"Key":)" +
                                           std::string(key) + "}");
    return out.HasMember("Item") ? Canon(out["Item"]) : std::string();
  }

  // Moves the fixed clock (iterator expiry, record times).
  void Advance(double seconds) { now_ += seconds; }

  Context& ctx() { return ctx_; }
  storage::Database& db() { return *db_; }

 private:
  static std::unique_ptr<storage::Database> OpenMemory() {
    storage::Options options;
    options.in_memory = true;
    return storage::Database::Open(options);
  }

  std::unique_ptr<storage::Database> db_;
  Catalog catalog_;
  double now_ = kNow;
  Context ctx_;
};

// The member names of a JSON object, in order (to check which members a response has).
inline std::vector<std::string> Members(const json::Value& v) {
  std::vector<std::string> out;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) out.emplace_back(json::View(it->name));
  return out;
}

inline std::string Str(const json::Value& v) { return std::string(json::View(v)); }

}  // namespace localddb::api::test
