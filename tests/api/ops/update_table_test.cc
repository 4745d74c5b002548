// UpdateTable: throughput, billing mode, streams, deletion protection, table class, GSI create
// (with backfill) / update / delete, and every refusal.
// Expected messages: conformance/python/test_tables.py.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

namespace {

const std::string kInvalid = "One or more parameter values were invalid: ";

// A provisioned (5/5) table keyed by pk (S) and sk (S).
void Provisioned(HandlerFixture& f, std::string_view name = "tbl") {
  f.Ok("CreateTable", R"j({"TableName":")j" + std::string(name) + R"j(",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
      "ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}})j");
}

std::string U(std::string_view members) { return R"j({"TableName":"tbl",)j" + std::string(members) + "}"; }

const char* kCreateByG = R"j("AttributeDefinitions":[{"AttributeName":"g","AttributeType":"S"}],
    "GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
        "Projection":{"ProjectionType":"KEYS_ONLY"},"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}}])j";

}  // namespace

TEST_CASE("UpdateTable changes throughput and enables a stream labelled with the clock") {
  HandlerFixture f;
  Provisioned(f);
  f.Advance(60);
  auto out = f.Ok("UpdateTable", U(R"j("StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"},
                                      "ProvisionedThroughput":{"ReadCapacityUnits":7,"WriteCapacityUnits":8})j"));
  const auto& d = out["TableDescription"];
  CHECK(Str(d["TableStatus"]) == "UPDATING");
  CHECK(Canon(d["StreamSpecification"]) == Canon(R"j({"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"})j"));
  CHECK(Str(d["LatestStreamLabel"]) == "2026-01-01T00:01:00.000");
  CHECK(Str(d["LatestStreamArn"]) == ArnOf("tbl") + "/stream/2026-01-01T00:01:00.000");
  CHECK(d["ProvisionedThroughput"]["ReadCapacityUnits"].GetInt() == 7);
  CHECK(d["ProvisionedThroughput"]["WriteCapacityUnits"].GetInt() == 8);
  CHECK(d["CreationDateTime"].GetDouble() == kNow);  // unchanged by the update
  // Described the same afterwards.
  auto described = f.Ok("DescribeTable", R"j({"TableName":"tbl"})j");
  CHECK(Str(described["Table"]["TableStatus"]) == "ACTIVE");
  CHECK(described["Table"]["ProvisionedThroughput"]["WriteCapacityUnits"].GetInt() == 8);

  // Disabling keeps the label (the stream stays readable) but drops the specification.
  auto disabled = f.Ok("UpdateTable", U(R"j("StreamSpecification":{"StreamEnabled":false})j"));
  CHECK_FALSE(disabled["TableDescription"].HasMember("StreamSpecification"));
  CHECK(Str(disabled["TableDescription"]["LatestStreamLabel"]) == "2026-01-01T00:01:00.000");
}

TEST_CASE("UpdateTable switches billing mode, table class, deletion protection and on-demand limits") {
  HandlerFixture f;
  Provisioned(f);
  f.Advance(120);
  auto on_demand = f.Ok("UpdateTable", U(R"j("BillingMode":"PAY_PER_REQUEST")j"));
  CHECK(Canon(on_demand["TableDescription"]["BillingModeSummary"]) ==
        Canon(R"j({"BillingMode":"PAY_PER_REQUEST","LastUpdateToPayPerRequestDateTime":1767225720.0})j"));
  CHECK(on_demand["TableDescription"]["ProvisionedThroughput"]["ReadCapacityUnits"].GetInt() == 0);

  auto back = f.Ok(
      "UpdateTable",
      U(R"j("BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":4})j"));
  CHECK(Str(back["TableDescription"]["BillingModeSummary"]["BillingMode"]) == "PROVISIONED");
  CHECK(back["TableDescription"]["ProvisionedThroughput"]["ReadCapacityUnits"].GetInt() == 3);

  auto misc = f.Ok("UpdateTable", U(R"j("TableClass":"STANDARD_INFREQUENT_ACCESS","DeletionProtectionEnabled":true)j"));
  CHECK(Str(misc["TableDescription"]["TableClassSummary"]["TableClass"]) == "STANDARD_INFREQUENT_ACCESS");
  CHECK(misc["TableDescription"]["DeletionProtectionEnabled"].GetBool());

  auto limits = f.Ok("UpdateTable", U(R"j("OnDemandThroughput":{"MaxReadRequestUnits":10,"MaxWriteRequestUnits":5})j"));
  CHECK(Canon(limits["TableDescription"]["OnDemandThroughput"]) ==
        Canon(R"j({"MaxReadRequestUnits":10,"MaxWriteRequestUnits":5})j"));
}

TEST_CASE("UpdateTable creates a GSI backfilled from the table, updates and deletes it") {
  HandlerFixture f;
  Provisioned(f);
  for (int i = 0; i < 5; ++i)
    f.Put("tbl", R"j({"pk":{"S":"p)j" + std::to_string(i) + R"j("},"sk":{"S":"s"},"g":{"S":")j" + (i % 2 ? "x" : "y") +
                     R"j("},"extra":{"N":"1"}})j");
  f.Put("tbl", R"j({"pk":{"S":"no-g"},"sk":{"S":"s"}})j");
  auto created = f.Ok("UpdateTable", U(kCreateByG));
  const auto& d = created["TableDescription"];
  CHECK(Canon(d["AttributeDefinitions"]) ==
        Canon(R"j([{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},
                   {"AttributeName":"g","AttributeType":"S"}])j"));
  REQUIRE(d["GlobalSecondaryIndexes"].Size() == 1);
  CHECK(Str(d["GlobalSecondaryIndexes"][0]["IndexName"]) == "by-g");

  auto got = f.Ok("Query", R"j({"TableName":"tbl","IndexName":"by-g","KeyConditionExpression":"g = :x",
                                "ExpressionAttributeValues":{":x":{"S":"x"}}})j");
  std::vector<std::string> pks;
  for (const auto& i : got["Items"].GetArray()) {
    pks.push_back(Str(i["pk"]["S"]));
    auto names = Members(i);
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"g", "pk", "sk"});  // KEYS_ONLY
  }
  std::sort(pks.begin(), pks.end());
  CHECK(pks == std::vector<std::string>{"p1", "p3"});
  CHECK(f.Ok("DescribeTable", R"j({"TableName":"tbl"})j")["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"].GetInt() ==
        5);
  // New writes follow the new index.
  f.Put("tbl", R"j({"pk":{"S":"p9"},"sk":{"S":"s"},"g":{"S":"x"}})j");
  CHECK(f.Ok("Query", R"j({"TableName":"tbl","IndexName":"by-g","KeyConditionExpression":"g = :x",
                           "ExpressionAttributeValues":{":x":{"S":"x"}},"Select":"COUNT"})j")["Count"]
            .GetInt() == 3);

  auto updated = f.Ok("UpdateTable", U(R"j("GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"by-g",
                                           "ProvisionedThroughput":{"ReadCapacityUnits":9,"WriteCapacityUnits":8}}}])j"));
  CHECK(
      updated["TableDescription"]["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["ReadCapacityUnits"].GetInt() ==
      9);

  auto deleted = f.Ok("UpdateTable", U(R"j("GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"by-g"}}])j"));
  CHECK_FALSE(deleted["TableDescription"].HasMember("GlobalSecondaryIndexes"));
  CHECK_FALSE(f.Ok("DescribeTable", R"j({"TableName":"tbl"})j")["Table"].HasMember("GlobalSecondaryIndexes"));
  f.CheckErrors("Query", {{R"j({"TableName":"tbl","IndexName":"by-g","KeyConditionExpression":"g = :x",
                                "ExpressionAttributeValues":{":x":{"S":"x"}}})j",
                           "ValidationException", "The table does not have the specified index: by-g"}});
}

TEST_CASE("UpdateTable refusals") {
  HandlerFixture f;
  Provisioned(f);
  f.CreateTable("ondemand");
  f.Ok("CreateTable", R"j({"TableName":"streamed","BillingMode":"PAY_PER_REQUEST",
      "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"},
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]})j");
  f.Ok("UpdateTable", U(kCreateByG));
  f.CheckErrors(
      "UpdateTable",
      {
          {"[]", "SerializationException", "Start of list found where not expected"},
          {R"j({"BillingMode":"PROVISIONED"})j", "ValidationException",
           "The parameter 'TableName' is required but was not present in the request"},
          {R"j({"TableName":"no-such-table","BillingMode":"PROVISIONED"})j", "ResourceNotFoundException",
           "Requested resource not found: Table: no-such-table not found"},
          {U(R"j("AttributeDefinitions":[{}],"BillingMode":"FREE","TableClass":"GLACIER")j"), "ValidationException",
           "4 validation errors detected: "
           "Value null at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must not "
           "be null; "
           "Value null at 'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: Member must not "
           "be null; "
           "Value 'FREE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: "
           "[PROVISIONED, PAY_PER_REQUEST]; "
           "Value 'GLACIER' at 'tableClass' failed to satisfy constraint: Member must satisfy enum value set: "
           "[STANDARD, STANDARD_INFREQUENT_ACCESS]"},
          {U(R"j("ProvisionedThroughput":{},"StreamSpecification":{})j"), "ValidationException",
           "3 validation errors detected: "
           "Value null at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must not be "
           "null; "
           "Value null at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must not be "
           "null; "
           "Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null"},
          {R"j({"TableName":"tbl"})j", "ValidationException",
           "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or "
           "SSESpecification or ReplicaUpdates is required"},
          {R"j({"TableName":"ondemand","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}})j",
           "ValidationException",
           kInvalid +
               "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"},
          {R"j({"TableName":"ondemand","BillingMode":"PROVISIONED"})j", "ValidationException",
           kInvalid + "ProvisionedThroughput must be specified when BillingMode is PROVISIONED"},
          {U(R"j("ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5})j"), "ValidationException",
           "The provisioned throughput for the table will not change. The requested value equals the current value. "
           "Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current "
           "WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon "
           "DynamoDB "
           "Developer Guide for current limits and how to request higher limits."},
          {U(R"j("StreamSpecification":{"StreamEnabled":true})j"), "ValidationException",
           kInvalid + "StreamSpecification: StreamViewType must be specified when StreamEnabled is true"},
          {R"j({"TableName":"streamed","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}})j",
           "ValidationException",
           "Table already has an enabled stream: " + ArnOf("streamed") + "/stream/2026-01-01T00:00:00.000"},
          {U(R"j("StreamSpecification":{"StreamEnabled":false})j"), "ValidationException",
           "Table already has stream disabled"},
          {U(R"j("GlobalSecondaryIndexUpdates":["x"])j"), "SerializationException",
           "Start of list found where not expected"},
          {U(R"j("GlobalSecondaryIndexUpdates":[{"Create":{}}])j"), "ValidationException",
           "3 validation errors detected: "
           "Value null at 'globalSecondaryIndexUpdates.1.member.create.indexName' failed to satisfy constraint: Member "
           "must not be null; "
           "Value null at 'globalSecondaryIndexUpdates.1.member.create.keySchema' failed to satisfy constraint: Member "
           "must not be null; "
           "Value null at 'globalSecondaryIndexUpdates.1.member.create.projection' failed to satisfy constraint: "
           "Member must not be null"},
          {U(kCreateByG), "ValidationException", kInvalid + "Index with name: by-g already exists"},
          {U(R"j("GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"by-h","KeySchema":[{"AttributeName":"h","KeyType":"HASH"}],
             "Projection":{"ProjectionType":"ALL"},"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}}])j"),
           "ValidationException",
           kInvalid + "Some index key attributes are not defined in AttributeDefinitions. Keys: [h], "
                      "AttributeDefinitions: []"},
          {U(R"j("AttributeDefinitions":[{"AttributeName":"h","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[{"Create":{
             "IndexName":"by-h","KeySchema":[{"AttributeName":"h","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}])j"),
           "ValidationException", kInvalid + "ProvisionedThroughput must be specified for index: by-h"},
          {U(R"j("GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"nope"}}])j"), "ResourceNotFoundException",
           "Requested resource not found: Index: nope not found"},
          {U(R"j("GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"nope","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}}])j"),
           "ResourceNotFoundException", "Requested resource not found: Index: nope not found"},
          {U(R"j("GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"by-g","ProvisionedThroughput":{}}}])j"),
           "ValidationException",
           "2 validation errors detected: "
           "Value null at 'globalSecondaryIndexUpdates.1.member.update.provisionedThroughput.writeCapacityUnits' "
           "failed to "
           "satisfy constraint: Member must not be null; "
           "Value null at 'globalSecondaryIndexUpdates.1.member.update.provisionedThroughput.readCapacityUnits' failed "
           "to "
           "satisfy constraint: Member must not be null"},
      });
  // Nothing of the refused updates stuck.
  auto d = f.Ok("DescribeTable", R"j({"TableName":"tbl"})j");
  CHECK(d["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"].GetInt() == 5);
  CHECK(d["Table"]["GlobalSecondaryIndexes"].Size() == 1);
  CHECK_FALSE(d["Table"].HasMember("StreamSpecification"));
}
