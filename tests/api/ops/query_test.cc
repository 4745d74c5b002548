// Query: key conditions on tables and indexes, order, paging, Select, projections, filters,
// capacity, and the request's validation.
// Expected messages: conformance/python/test_query_scan.py and test_local_indexes.py.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

namespace {

// The Cruddur table of the conformance suite, smaller: MSG#g1 holds 2025-03-00..09 and
// 2026-03-00..09 (n = the day), and two GRP# items share message_group_uuid g1.
void Messages(HandlerFixture& f) {
  f.Ok("CreateTable", R"j({"TableName":"messages","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},
                              {"AttributeName":"message_group_uuid","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
      "GlobalSecondaryIndexes":[
        {"IndexName":"message-group-sk-index","Projection":{"ProjectionType":"ALL"},
         "KeySchema":[{"AttributeName":"message_group_uuid","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]},
        {"IndexName":"by-group-keys","Projection":{"ProjectionType":"KEYS_ONLY"},
         "KeySchema":[{"AttributeName":"message_group_uuid","KeyType":"HASH"}]}]})j");
  std::string requests;
  for (int year : {2025, 2026}) {
    for (int i = 0; i < 10; ++i) {
      const std::string day = (i < 10 ? "0" : "") + std::to_string(i);
      requests += std::string(requests.empty() ? "" : ",") +
                  R"j({"PutRequest":{"Item":{"pk":{"S":"MSG#g1"},"sk":{"S":")j" + std::to_string(year) + "-03-" + day +
                  R"j("},"message":{"S":"hello )j" + std::to_string(year) + " " + std::to_string(i) +
                  R"j("},"n":{"N":")j" + std::to_string(i) + R"j("}}}})j";
    }
  }
  f.Ok("BatchWriteItem", R"j({"RequestItems":{"messages":[)j" + requests + "]}}");
  f.Put(
      "messages",
      R"j({"pk":{"S":"GRP#alice"},"sk":{"S":"2026-03-29"},"message_group_uuid":{"S":"g1"},"user_handle":{"S":"bob"}})j");
  f.Put(
      "messages",
      R"j({"pk":{"S":"GRP#bob"},"sk":{"S":"2026-03-29"},"message_group_uuid":{"S":"g1"},"user_handle":{"S":"alice"}})j");
}

std::string Q(std::string_view key_condition, std::string_view values, std::string_view extra = "") {
  return R"j({"TableName":"messages","KeyConditionExpression":")j" + std::string(key_condition) +
         R"j(","ExpressionAttributeValues":)j" + std::string(values) + std::string(extra) + "}";
}

std::vector<std::string> Sks(const localddb::json::Value& out) {
  std::vector<std::string> sks;
  for (const auto& i : out["Items"].GetArray()) sks.push_back(Str(i["sk"]["S"]));
  return sks;
}

}  // namespace

TEST_CASE("Query sort-key operators select the right range") {
  HandlerFixture f;
  Messages(f);
  struct Row {
    const char* condition;
    const char* values;
    std::vector<std::string> sks;
  };
  const Row rows[] = {
      {"pk = :p AND sk = :a", R"j({":p":{"S":"MSG#g1"},":a":{"S":"2025-03-05"}})j", {"2025-03-05"}},
      {"pk = :p AND sk < :a", R"j({":p":{"S":"MSG#g1"},":a":{"S":"2025-03-02"}})j", {"2025-03-00", "2025-03-01"}},
      {"pk = :p AND sk <= :a", R"j({":p":{"S":"MSG#g1"},":a":{"S":"2025-03-01"}})j", {"2025-03-00", "2025-03-01"}},
      {"pk = :p AND sk > :a", R"j({":p":{"S":"MSG#g1"},":a":{"S":"2026-03-07"}})j", {"2026-03-08", "2026-03-09"}},
      {"pk = :p AND sk >= :a", R"j({":p":{"S":"MSG#g1"},":a":{"S":"2026-03-08"}})j", {"2026-03-08", "2026-03-09"}},
      {"pk = :p AND sk BETWEEN :a AND :b",
       R"j({":p":{"S":"MSG#g1"},":a":{"S":"2025-03-08"},":b":{"S":"2026-03-00"}})j",
       {"2025-03-08", "2025-03-09", "2026-03-00"}},
      {"pk = :p AND begins_with(sk, :a)",
       R"j({":p":{"S":"MSG#g1"},":a":{"S":"2026-03-0"}})j",
       {"2026-03-00", "2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07",
        "2026-03-08", "2026-03-09"}},
      {"pk = :p", R"j({":p":{"S":"GRP#bob"}})j", {"2026-03-29"}},
      {"pk = :p", R"j({":p":{"S":"nobody"}})j", {}},
  };
  for (const Row& row : rows) {
    INFO(row.condition << " " << row.values);
    auto out = f.Ok("Query", Q(row.condition, row.values));
    CHECK(Sks(out) == row.sks);
    CHECK(out["Count"].GetInt64() == static_cast<int64_t>(row.sks.size()));
    CHECK(out["ScannedCount"].GetInt64() == static_cast<int64_t>(row.sks.size()));
    CHECK_FALSE(out.HasMember("LastEvaluatedKey"));
  }
}

TEST_CASE("Query pages backwards with Limit and resumes from LastEvaluatedKey") {
  HandlerFixture f;
  Messages(f);
  const char* values = R"j({":p":{"S":"MSG#g1"},":y":{"S":"2026"}})j";
  auto first = f.Ok("Query", Q("pk = :p AND begins_with(sk,:y)", values,
                               R"j(,"ScanIndexForward":false,"Limit":4,"ReturnConsumedCapacity":"TOTAL")j"));
  CHECK(Sks(first) == std::vector<std::string>{"2026-03-09", "2026-03-08", "2026-03-07", "2026-03-06"});
  CHECK(first["Count"].GetInt() == 4);
  CHECK(Canon(first["LastEvaluatedKey"]) == Canon(R"j({"pk":{"S":"MSG#g1"},"sk":{"S":"2026-03-06"}})j"));
  CHECK(Canon(first["ConsumedCapacity"]) == Canon(R"j({"TableName":"messages","CapacityUnits":0.5})j"));

  std::vector<std::string> seen = Sks(first);
  std::string start = Canon(first["LastEvaluatedKey"]);
  int pages = 1;
  while (!start.empty()) {
    auto page = f.Ok("Query", Q("pk = :p AND begins_with(sk,:y)", values,
                                R"j(,"ScanIndexForward":false,"Limit":4,"ExclusiveStartKey":)j" + start));
    for (const auto& sk : Sks(page)) seen.push_back(sk);
    start = page.HasMember("LastEvaluatedKey") ? Canon(page["LastEvaluatedKey"]) : "";
    REQUIRE(++pages < 10);
  }
  // Ten items in pages of four: the last page (two items) ends the query.
  CHECK(pages == 3);
  CHECK(seen == std::vector<std::string>{"2026-03-09", "2026-03-08", "2026-03-07", "2026-03-06", "2026-03-05",
                                         "2026-03-04", "2026-03-03", "2026-03-02", "2026-03-01", "2026-03-00"});
}

TEST_CASE("Query Select COUNT, projections, filters and the legacy parameters") {
  HandlerFixture f;
  Messages(f);
  const char* values = R"j({":p":{"S":"MSG#g1"}})j";
  auto count = f.Ok("Query", Q("pk = :p", values, R"j(,"Select":"COUNT")j"));
  CHECK(Members(count) == std::vector<std::string>{"Count", "ScannedCount"});
  CHECK(count["Count"].GetInt() == 20);

  auto projected = f.Ok(
      "Query",
      Q("pk = :p", values, R"j(,"ProjectionExpression":"#m","ExpressionAttributeNames":{"#m":"message"},"Limit":1)j"));
  CHECK(Canon(projected["Items"]) == Canon(R"j([{"message":{"S":"hello 2025 0"}}])j"));
  auto specific =
      f.Ok("Query", Q("pk = :p", values, R"j(,"Select":"SPECIFIC_ATTRIBUTES","ProjectionExpression":"n","Limit":1)j"));
  CHECK(Canon(specific["Items"]) == Canon(R"j([{"n":{"N":"0"}}])j"));

  // The filter applies after the read: Count is what passed, ScannedCount what was read.
  auto filtered =
      f.Ok("Query", R"j({"TableName":"messages","KeyConditionExpression":"pk = :p","FilterExpression":"n >= :eight",
                                     "ExpressionAttributeValues":{":p":{"S":"MSG#g1"},":eight":{"N":"8"}}})j");
  CHECK(filtered["Count"].GetInt() == 4);
  CHECK(filtered["ScannedCount"].GetInt() == 20);
  CHECK(Sks(filtered) == std::vector<std::string>{"2025-03-08", "2025-03-09", "2026-03-08", "2026-03-09"});

  auto legacy = f.Ok("Query", R"j({"TableName":"messages",
      "KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"MSG#g1"}]},
                       "sk":{"ComparisonOperator":"BEGINS_WITH","AttributeValueList":[{"S":"2026"}]}},
      "QueryFilter":{"n":{"ComparisonOperator":"LT","AttributeValueList":[{"N":"3"}]}},
      "AttributesToGet":["sk"]})j");
  CHECK(legacy["Count"].GetInt() == 3);
  CHECK(legacy["ScannedCount"].GetInt() == 10);
  CHECK(Canon(legacy["Items"]) ==
        Canon(R"j([{"sk":{"S":"2026-03-00"}},{"sk":{"S":"2026-03-01"}},{"sk":{"S":"2026-03-02"}}])j"));
}

TEST_CASE("Query on a global index: projection, index keys in LastEvaluatedKey, capacity on the index") {
  HandlerFixture f;
  Messages(f);
  auto all = f.Ok(
      "Query",
      R"j({"TableName":"messages","IndexName":"message-group-sk-index","KeyConditionExpression":"message_group_uuid = :g",
                                "ExpressionAttributeValues":{":g":{"S":"g1"}},"ReturnConsumedCapacity":"INDEXES"})j");
  REQUIRE(all["Count"].GetInt() == 2);
  std::vector<std::string> pks = {Str(all["Items"][0]["pk"]["S"]), Str(all["Items"][1]["pk"]["S"])};
  std::sort(pks.begin(), pks.end());
  CHECK(pks == std::vector<std::string>{"GRP#alice", "GRP#bob"});
  CHECK(all["Items"][0].HasMember("user_handle"));  // ALL projection
  CHECK(Canon(all["ConsumedCapacity"]) ==
        Canon(R"j({"TableName":"messages","CapacityUnits":0.5,"Table":{"CapacityUnits":0.0},
                   "GlobalSecondaryIndexes":{"message-group-sk-index":{"CapacityUnits":0.5}}})j"));

  auto page = f.Ok(
      "Query",
      R"j({"TableName":"messages","IndexName":"message-group-sk-index","KeyConditionExpression":"message_group_uuid = :g",
                                 "ExpressionAttributeValues":{":g":{"S":"g1"}},"Limit":1})j");
  REQUIRE(page.HasMember("LastEvaluatedKey"));
  CHECK(Canon(page["LastEvaluatedKey"]) == Canon(R"j({"message_group_uuid":{"S":"g1"},"sk":{"S":"2026-03-29"},"pk":)j" +
                                                 Canon(page["Items"][0]["pk"]) + "}"));
  auto rest = f.Ok(
      "Query",
      R"j({"TableName":"messages","IndexName":"message-group-sk-index","KeyConditionExpression":"message_group_uuid = :g",
                                 "ExpressionAttributeValues":{":g":{"S":"g1"}},"ExclusiveStartKey":)j" +
          Canon(page["LastEvaluatedKey"]) + "}");
  REQUIRE(rest["Count"].GetInt() == 1);
  CHECK(Canon(rest["Items"][0]["pk"]) != Canon(page["Items"][0]["pk"]));

  // KEYS_ONLY: the table key and the index key, nothing else.
  auto keys =
      f.Ok("Query",
           R"j({"TableName":"messages","IndexName":"by-group-keys","KeyConditionExpression":"message_group_uuid = :g",
                                 "ExpressionAttributeValues":{":g":{"S":"g1"}},"Select":"ALL_PROJECTED_ATTRIBUTES"})j");
  REQUIRE(keys["Count"].GetInt() == 2);
  for (const auto& item : keys["Items"].GetArray()) {
    auto names = Members(item);
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"message_group_uuid", "pk", "sk"});
  }
}

TEST_CASE("Query on a local index reads unprojected attributes from the base item") {
  HandlerFixture f;
  f.Ok("CreateTable", R"j({"TableName":"lsi","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},
                              {"AttributeName":"score","AttributeType":"N"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
      "LocalSecondaryIndexes":[{"IndexName":"by-score","Projection":{"ProjectionType":"KEYS_ONLY"},
          "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"score","KeyType":"RANGE"}]}]})j");
  for (int i = 0; i < 4; ++i)
    f.Put("lsi", R"j({"pk":{"S":"p"},"sk":{"S":"s)j" + std::to_string(i) + R"j("},"score":{"N":")j" +
                     std::to_string(100 - i) + R"j("},"extra":{"S":"E)j" + std::to_string(i) + R"j("}})j");
  auto keys =
      f.Ok("Query", R"j({"TableName":"lsi","IndexName":"by-score","KeyConditionExpression":"pk = :p AND score > :s",
                                 "ExpressionAttributeValues":{":p":{"S":"p"},":s":{"N":"97"}}})j");
  CHECK(Canon(keys["Items"]) == Canon(R"j([{"pk":{"S":"p"},"sk":{"S":"s2"},"score":{"N":"98"}},
                                          {"pk":{"S":"p"},"sk":{"S":"s1"},"score":{"N":"99"}},
                                          {"pk":{"S":"p"},"sk":{"S":"s0"},"score":{"N":"100"}}])j"));
  auto all =
      f.Ok("Query", R"j({"TableName":"lsi","IndexName":"by-score","KeyConditionExpression":"pk = :p AND score = :s",
                                "ExpressionAttributeValues":{":p":{"S":"p"},":s":{"N":"100"}},"Select":"ALL_ATTRIBUTES","ConsistentRead":true})j");
  REQUIRE(all["Count"].GetInt() == 1);
  CHECK(Str(all["Items"][0]["extra"]["S"]) == "E0");
  auto page = f.Ok("Query", R"j({"TableName":"lsi","IndexName":"by-score","KeyConditionExpression":"pk = :p",
                                 "ExpressionAttributeValues":{":p":{"S":"p"}},"Limit":1})j");
  CHECK(Canon(page["LastEvaluatedKey"]) == Canon(R"j({"pk":{"S":"p"},"sk":{"S":"s3"},"score":{"N":"97"}})j"));
}

TEST_CASE("Query validation errors") {
  HandlerFixture f;
  Messages(f);
  const char* x = R"j({":v":{"S":"x"}})j";
  f.CheckErrors(
      "Query",
      {
          {"[]", "SerializationException", "Start of list found where not expected"},
          {Q("pk = :v", x, R"j(,"Limit":"ten")j"), "SerializationException",
           "STRING_VALUE can not be converted to a Long"},
          // conformance/python/test_query_scan.py::test_query_errors
          {Q("sk = :v", x), "ValidationException", "Query condition missed key schema element: pk"},
          {Q("pk = :v OR sk = :v", x), "ValidationException", "Invalid operator used in KeyConditionExpression: OR"},
          {Q("pk = :v", R"j({":v":{"S":"x"},":w":{"S":"y"}})j"), "ValidationException",
           "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"},
          {Q("pk = :v", R"j({":v":{"N":"1"}})j"), "ValidationException",
           "One or more parameter values were invalid: Condition parameter type does not match schema type"},
          {Q("pk = :v AND status = :v", x), "ValidationException",
           "Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"},
          {Q("pk = :nope", x), "ValidationException",
           "Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute "
           "value: :nope"},
          {Q("pk = :v", x, R"j(,"IndexName":"nope-index")j"), "ValidationException",
           "The table does not have the specified index: nope-index"},
          {R"j({"TableName":"messages","IndexName":"message-group-sk-index","ConsistentRead":true,
           "KeyConditionExpression":"message_group_uuid = :v","ExpressionAttributeValues":{":v":{"S":"x"}}})j",
           "ValidationException", "Consistent reads are not supported on global secondary indexes"},
          {R"j({"TableName":"messages"})j", "ValidationException",
           "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."},
          {R"j({"TableName":"messages","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"x"}},
           "QueryFilter":{"n":{"ComparisonOperator":"LT","AttributeValueList":[{"N":"3"}]}}})j",
           "ValidationException",
           "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: "
           "{QueryFilter} Expression parameters: {KeyConditionExpression}"},
          // Key-condition errors come before a missing table (test_key_condition_errors_come_before_a_missing_table).
          {R"j({"TableName":"no-such-table-kce","KeyConditionExpression":"pk = :p AND begins_with(sk, :n)",
           "ExpressionAttributeValues":{":p":{"S":"q"},":n":{"N":"1"}}})j",
           "ValidationException",
           "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: "
           "begins_with, operand type: N"},
          {R"j({"TableName":"no-such-table-kce","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"q"}}})j",
           "ResourceNotFoundException", "Requested resource not found"},
          // Member constraints.
          {R"j({"KeyConditionExpression":"pk = :v","ExpressionAttributeValues":{":v":{"S":"x"}}})j",
           "ValidationException",
           "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be "
           "null"},
          {Q("pk = :v", x, R"j(,"IndexName":"a$","Select":"SOME")j"), "ValidationException",
           "3 validation errors detected: "
           "Value 'a$' at 'indexName' failed to satisfy constraint: Member must have length greater than or equal to "
           "3; "
           "Value 'a$' at 'indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
           "[a-zA-Z0-9_.-]+; "
           "Value 'SOME' at 'select' failed to satisfy constraint: Member must satisfy enum value set: "
           "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"},
          {Q("pk = :v", x, R"j(,"ReturnConsumedCapacity":"ALL")j"), "ValidationException",
           "Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: "
           "[INDEXES, TOTAL, NONE]",
           Match::kContains},
          {Q("pk = :v", x, R"j(,"Limit":0)j"), "ValidationException",
           "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater "
           "than or equal to 1"},
          // Select and projection combinations.
          {Q("pk = :v", x, R"j(,"Select":"SPECIFIC_ATTRIBUTES")j"), "ValidationException",
           "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
           Match::kContains},
          {Q("pk = :v", x, R"j(,"Select":"COUNT","ProjectionExpression":"n")j"), "ValidationException",
           "Cannot specify the ProjectionExpression when choosing to get only the Count", Match::kContains},
          {R"j({"TableName":"messages","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"x"}]}},
           "Select":"ALL_ATTRIBUTES","AttributesToGet":["n"]})j",
           "ValidationException", "Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES",
           Match::kContains},
          {Q("pk = :v", x, R"j(,"Select":"ALL_PROJECTED_ATTRIBUTES")j"), "ValidationException",
           "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName", Match::kContains},
          {R"j({"TableName":"messages","IndexName":"by-group-keys","Select":"ALL_ATTRIBUTES",
           "KeyConditionExpression":"message_group_uuid = :v","ExpressionAttributeValues":{":v":{"S":"x"}}})j",
           "ValidationException",
           "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global "
           "secondary "
           "index by-group-keys because its projection type is not ALL"},
          // ExclusiveStartKey outside the queried partition.
          {Q("pk = :v", x, R"j(,"ExclusiveStartKey":{"pk":{"S":"other"},"sk":{"S":"a"}})j"), "ValidationException",
           "The provided starting key is outside query boundaries based on provided conditions"},
      });
}

TEST_CASE("Query refuses an ExclusiveStartKey that does not match the key schema") {
  HandlerFixture f;
  Messages(f);
  const char* x = R"j({":v":{"S":"x"}})j";
  for (const char* start : {R"j({"pk":{"S":"x"}})j", R"j({"pk":{"S":"x"},"sk":{"N":"1"}})j",
                            R"j({"pk":{"S":"x"},"sk":{"S":"a"},"z":{"S":"b"}})j"}) {
    INFO(start);
    const auto o = f.Call("Query", Q("pk = :v", x, R"j(,"ExclusiveStartKey":)j" + std::string(start)));
    REQUIRE(o.error);
    CHECK(o.error->name() == "ValidationException");
    CHECK_THAT(o.error->message(), Catch::StartsWith("The provided starting key is invalid"));
  }
  // On an index the start key must also hold the index's key.
  const auto o = f.Call("Query", R"j({"TableName":"messages","IndexName":"message-group-sk-index",
      "KeyConditionExpression":"message_group_uuid = :v","ExpressionAttributeValues":{":v":{"S":"g1"}},
      "ExclusiveStartKey":{"pk":{"S":"GRP#bob"},"sk":{"S":"2026-03-29"}}})j");
  CHECK_THAT(Describe(o), Catch::StartsWith("ValidationException: The provided starting key is invalid"));
}
