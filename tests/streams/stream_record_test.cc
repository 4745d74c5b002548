#include "streams/stream_record.h"

#include <catch2/catch.hpp>

#include "api/json.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"

using namespace localddb;

namespace {

// The record without its random eventID.
std::string WithoutEventId(const std::string& record) {
  json::Document d;
  d.Parse(record.data(), record.size());
  REQUIRE(d.IsObject());
  d.RemoveMember("eventID");
  return json::Dump(d);
}

value::Item Parse(const char* text) {
  json::Document d;
  d.Parse(text);
  return value::ItemFromJson(json::Dump(d));
}

}  // namespace

TEST_CASE("a record built from the writer's JSON and sizes equals one built from the items") {
  api::TableSchema table;
  table.key.hash = {"pk", value::Type::kS};
  table.stream.enabled = true;
  value::Item old_item = Parse(R"({"pk":{"S":"a"},"n":{"N":"1"},"l":{"L":[{"S":"x"},{"BOOL":true}]}})");
  value::Item new_item = Parse(R"({"pk":{"S":"a"},"n":{"N":"12.50"},"s":{"SS":["q","p"]}})");
  const std::string old_json = value::ItemToJson(old_item), new_json = value::ItemToJson(new_item);
  for (const char* view : {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"}) {
    INFO(view);
    table.stream.view_type = view;
    streams::Change plain{&old_item, &new_item};
    streams::Change spliced{
        &old_item, &new_item, &old_json, &new_json, value::ItemSize(old_item), value::ItemSize(new_item)};
    const std::string a = streams::BuildRecord(table, "us-east-1", 1000, 7, plain);
    const std::string b = streams::BuildRecord(table, "us-east-1", 1000, 7, spliced);
    CHECK(WithoutEventId(a) == WithoutEventId(b));
    CHECK(a.find("\"eventName\":\"MODIFY\"") != std::string::npos);
  }
  // INSERT and REMOVE carry only the image that exists.
  table.stream.view_type = "NEW_AND_OLD_IMAGES";
  const std::string insert = streams::BuildRecord(
      table, "us-east-1", 1000, 8, {nullptr, &new_item, nullptr, &new_json, 0, value::ItemSize(new_item)});
  CHECK(insert.find("\"OldImage\"") == std::string::npos);
  CHECK(insert.find("\"NewImage\":" + new_json) != std::string::npos);
}

TEST_CASE("a TTL deletion is marked as DynamoDB's own, in each API's spelling") {
  api::TableSchema table;
  table.name = "t";
  table.key.hash = {"pk", value::Type::kS};
  table.stream.enabled = true;
  table.stream.view_type = "OLD_IMAGE";
  const value::Item old = Parse(R"({"pk":{"S":"a"},"exp":{"N":"5"}})");
  streams::Change change;
  change.old_item = &old;
  change.by_service = true;
  const std::string record = streams::BuildRecord(table, "us-east-1", 10, 7, change);
  json::Document d;
  REQUIRE(json::Parse(d, record) == json::ParseStatus::kOk);
  CHECK(json::View(d["eventName"]) == "REMOVE");
  CHECK(json::Dump(d["userIdentity"]) == R"({"PrincipalId":"dynamodb.amazonaws.com","Type":"Service"})");
  // The Lambda event (a hook's body) spells it as Lambda does.
  json::Document lambda;
  REQUIRE(json::Parse(lambda, streams::WithEventSourceArn(record, "arn:s")) == json::ParseStatus::kOk);
  CHECK(json::Dump(lambda["userIdentity"]) == R"({"type":"Service","principalId":"dynamodb.amazonaws.com"})");
  CHECK(json::View(lambda["eventSourceARN"]) == "arn:s");
  // A change made by a client has no userIdentity.
  change.by_service = false;
  REQUIRE(json::Parse(d, streams::BuildRecord(table, "us-east-1", 10, 8, change)) == json::ParseStatus::kOk);
  CHECK_FALSE(d.HasMember("userIdentity"));
}
