#include "server/request_log.h"

#include <catch2/catch.hpp>

using namespace localddb;
using namespace localddb::server;

namespace {

json::Document Parse(std::string_view text) {
  json::Document doc;
  REQUIRE(json::Parse(doc, text) == json::ParseStatus::kOk);
  return doc;
}

// Records one answered request; returns its ticket.
RequestLog::Ticket Record(RequestLog& log, const std::string& id, std::string_view body, int status = 200,
                          std::string_view answer = "{}", std::string_view ns = "default") {
  json::Document doc;
  const bool parsed = json::Parse(doc, body) == json::ParseStatus::kOk;
  const RequestLog::Ticket t = log.Open({id, ns, "PutItem", body, parsed ? &doc : nullptr}, 1.7e9);
  log.Close(t, {status, 1.25, status == 200 ? "" : "ValidationException", answer});
  return t;
}

std::vector<std::string> Ids(const std::string& list_json) {
  json::Document doc = Parse(list_json);
  std::vector<std::string> ids;
  for (const auto& r : doc["requests"].GetArray()) ids.emplace_back(json::View(r["id"]));
  return ids;
}

}  // namespace

TEST_CASE("the ring keeps the last N requests, newest first") {
  RequestLog log(RequestLog::kDefaultSize);
  for (int i = 0; i < 600; ++i) Record(log, "r" + std::to_string(i), R"({"TableName":"t"})");
  const std::vector<std::string> ids = Ids(log.ListJson("", SIZE_MAX));
  REQUIRE(ids.size() == 500);
  CHECK(ids.front() == "r599");
  CHECK(ids.back() == "r100");
  CHECK(Ids(log.ListJson("", 3)) == std::vector<std::string>{"r599", "r598", "r597"});
  CHECK_FALSE(log.EntryJson("r99"));  // pushed out
  CHECK(log.EntryJson("r100"));
  log.Clear();
  CHECK(Ids(log.ListJson("", SIZE_MAX)).empty());
}

TEST_CASE("an entry: what was asked and answered, bodies cut to 16 KiB") {
  RequestLog log(10);
  const std::string big = R"({"TableName":"orders","Item":{"pk":{"S":")" + std::string(20000, 'x') + R"("}}})";
  const std::string answer = R"({"__type":"com.amazon.coral.validate#ValidationException","message":"no"})";
  Record(log, "big", big, 400, answer);
  json::Document e = Parse(*log.EntryJson("big"));
  CHECK(json::View(e["operation"]) == "PutItem");
  CHECK(json::View(e["table"]) == "orders");
  CHECK(e["status"].GetInt() == 400);
  CHECK(e["latencyMs"].GetDouble() == 1.25);
  CHECK(json::View(e["errorType"]) == "ValidationException");
  CHECK(e["requestBytes"].GetUint64() == big.size());
  CHECK(e["requestBody"].GetStringLength() == RequestLog::kMaxBodyBytes);
  CHECK(e["requestTruncated"].GetBool());
  CHECK(json::View(e["responseBody"]) == answer);
  CHECK_FALSE(e["responseTruncated"].GetBool());
  CHECK_FALSE(e.HasMember("consumedCapacity"));  // not asked for
  // The list leaves the bodies out.
  json::Document list = Parse(log.ListJson("", 10));
  CHECK_FALSE(list["requests"][0].HasMember("requestBody"));
}

TEST_CASE("a body that is not UTF-8, or cut inside a character, still lists as JSON") {
  RequestLog log(4);
  Record(log, "bytes", "\xff\xfe{not json");
  std::string cut = std::string(RequestLog::kMaxBodyBytes - 1, 'a') + "\xc3\xa9";  // é across the limit
  Record(log, "cut", cut);
  for (const char* id : {"bytes", "cut"}) {
    INFO(id);
    json::Document doc;
    CHECK(json::Parse(doc, *log.EntryJson(id)) == json::ParseStatus::kOk);
  }
}

TEST_CASE("consumed capacity is taken from the answer when the request asked for it") {
  RequestLog log(4);
  const std::string answer = R"({"Attributes":{"ConsumedCapacity":{"S":"decoy"}},)"
                             R"("ConsumedCapacity":{"TableName":"t","CapacityUnits":3.0}})";
  Record(log, "asked", R"({"TableName":"t","ReturnConsumedCapacity":"TOTAL"})", 200, answer);
  Record(log, "not-asked", R"({"TableName":"t"})", 200, answer);
  CHECK(json::View(Parse(*log.EntryJson("asked"))["consumedCapacity"]["TableName"]) == "t");
  CHECK_FALSE(Parse(*log.EntryJson("not-asked")).HasMember("consumedCapacity"));
}

TEST_CASE("the tables a request is about") {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"TableName":"orders"})", "orders"},
      {R"({"RequestItems":{"a":[],"b":[]}})", "a,b"},
      {R"({"TransactItems":[{"Put":{"TableName":"a"}},{"Update":{"TableName":"b"}},{"Delete":{"TableName":"a"}}]})",
       "a,b"},
      {R"({"StreamArn":"arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000"})",
       "orders"},
      {R"({"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/orders"})", "orders"},
      {R"({"Statement":"SELECT * FROM orders"})", ""},
      {R"([1,2])", ""},
  };
  RequestLog log(16);
  int n = 0;
  for (const auto& [body, tables] : cases) {
    INFO(body);
    const std::string id = "q" + std::to_string(n++);
    Record(log, id, body);
    CHECK(json::View(Parse(*log.EntryJson(id))["table"]) == tables);
  }
}

TEST_CASE("an answer arriving after its slot was taken over is dropped; unanswered ones show null") {
  RequestLog log(2);
  const RequestLog::Ticket slow = log.Open({"slow", "default", "Query", "{}", nullptr}, 1.7e9);
  log.Open({"pending", "default", "Scan", "{}", nullptr}, 1.7e9);
  log.Open({"newer", "default", "Scan", "{}", nullptr}, 1.7e9);  // takes slow's slot
  log.Close(slow, {200, 5, "", "{}"});
  CHECK_FALSE(log.EntryJson("slow"));
  json::Document e = Parse(*log.EntryJson("pending"));
  CHECK(e["status"].IsNull());
  CHECK(e["latencyMs"].IsNull());
}

TEST_CASE("entries are listed by namespace; size 0 records nothing") {
  RequestLog log(8);
  Record(log, "a", "{}", 200, "{}", "default");
  Record(log, "b", "{}", 200, "{}", "team-1");
  CHECK(Ids(log.ListJson("team-1", 8)) == std::vector<std::string>{"b"});
  CHECK(Ids(log.ListJson("", 8)) == std::vector<std::string>{"b", "a"});

  RequestLog off(0);
  CHECK_FALSE(off.enabled());
  CHECK(off.Open({"x", "default", "PutItem", "{}", nullptr}, 1.7e9).seq == 0);
}

TEST_CASE("TopLevelMember finds a member of the outer object only") {
  const std::tuple<const char*, const char*, const char*> cases[] = {
      {R"({"a":1,"b":{"c":2}})", "b", R"({"c":2})"},
      {R"({"a":1,"b":{"c":2}})", "c", ""},
      {R"({ "x" : "y}" , "k" : [1,{"k":2}] })", "k", R"([1,{"k":2}])"},
      {R"({"s":"a\"b","k":true})", "k", "true"},
      {R"({"k":-1.5e3})", "k", "-1.5e3"},
      {R"([{"k":1}])", "k", ""},
      {R"({"k":)", "k", ""},
      {"", "k", ""},
  };
  for (const auto& [text, key, value] : cases) {
    INFO(text << " " << key);
    CHECK(TopLevelMember(text, key) == value);
  }
}
