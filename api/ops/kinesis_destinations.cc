// Enable/Disable/Describe/UpdateKinesisStreamingDestination: the destinations are kept and
// described with their status, but localddb delivers nothing to Kinesis (there is none locally);
// stream hooks are the local way to consume a table's changes.
#include "api/input/request.h"
#include "api/ops/handlers.h"
#include "api/ops/table_settings.h"

namespace localddb::api {
namespace {

struct Request {
  TableSchemaPtr table;
  std::string stream_arn;
  std::string precision;  // ApproximateCreationDateTimePrecision, or empty
};

Request Read(Context& ctx, const json::Value& input, const char* config_member) {
  Request r;
  auto arn = input::String(input, "StreamArn");
  r.table = RequireNamedTable(ctx, input, [&](input::Violations& v) {
    if (!arn) v.Missing("streamArn");
    input::CheckLength(arn, "streamArn", 37, 1024, v);
    if (const json::Value* config = input::Object(input, config_member)) {
      auto precision = input::String(*config, "ApproximateCreationDateTimePrecision");
      input::CheckEnum(precision, std::string(config_member) + ".approximateCreationDateTimePrecision",
                       {"MILLISECOND", "MICROSECOND"}, v);
      if (precision) r.precision = std::string(*precision);
    }
  });
  r.stream_arn = std::string(*arn);
  return r;
}

json::Value* FindDestination(json::Document& doc, const std::string& arn) {
  for (auto& d : SettingsArray(doc, "kinesis").GetArray())
    if (json::View(d["arn"]) == arn) return &d;
  return nullptr;
}

std::string Answer(const Request& r, const char* status, const char* config_member) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("TableName");
  w.String(r.table->name.c_str());
  w.Key("StreamArn");
  w.String(r.stream_arn.c_str());
  w.Key("DestinationStatus");
  w.String(status);
  if (!r.precision.empty()) {
    w.Key(config_member);
    w.StartObject();
    w.Key("ApproximateCreationDateTimePrecision");
    w.String(r.precision.c_str());
    w.EndObject();
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

void SetStatus(json::Document& doc, const Request& r, const char* status) {
  auto& a = doc.GetAllocator();
  json::Value* d = FindDestination(doc, r.stream_arn);
  if (!d) {
    json::Value entry(rapidjson::kObjectType);
    entry.AddMember("arn", json::Value(r.stream_arn.c_str(), a), a);
    entry.AddMember("status", json::Value(status, a), a);
    entry.AddMember("precision", json::Value(r.precision.empty() ? "MILLISECOND" : r.precision.c_str(), a), a);
    SettingsArray(doc, "kinesis").PushBack(entry, a);
    return;
  }
  (*d)["status"].SetString(status, a);
  if (!r.precision.empty()) (*d)["precision"].SetString(r.precision.c_str(), a);
}

}  // namespace

namespace {

// Enable, Disable and Update share one shape: read the request, check the destination's current
// state, set its new one, answer with the transitional status DynamoDB reports.
void ChangeDestination(Context& ctx, const json::Value& input, Respond respond, const char* config_member,
                       bool must_be_active, const char* new_status, const char* answer_status) {
  Request r = Read(ctx, input, config_member);
  ChangeTableSettings(
      ctx, std::move(respond), r.table,
      [&](json::Document& doc) {
        const json::Value* d = FindDestination(doc, r.stream_arn);
        const bool active = d && json::View((*d)["status"]) == "ACTIVE";
        if (must_be_active && !active)
          throw ApiError::Validation("Table is not streaming to the destination: " + r.stream_arn);
        if (!must_be_active && active)
          throw ApiError::Validation("Table is already streaming to the destination: " + r.stream_arn);
        SetStatus(doc, r, new_status);
        return true;
      },
      [r, answer_status, config_member] { return Answer(r, answer_status, config_member); });
}

}  // namespace

void EnableKinesisStreamingDestination(Context& ctx, const json::Value& input, Respond respond) {
  ChangeDestination(ctx, input, std::move(respond), "EnableKinesisStreamingConfiguration", false, "ACTIVE", "ENABLING");
}

void DisableKinesisStreamingDestination(Context& ctx, const json::Value& input, Respond respond) {
  ChangeDestination(ctx, input, std::move(respond), "EnableKinesisStreamingConfiguration", true, "DISABLED",
                    "DISABLING");
}

void UpdateKinesisStreamingDestination(Context& ctx, const json::Value& input, Respond respond) {
  ChangeDestination(ctx, input, std::move(respond), "UpdateKinesisStreamingConfiguration", true, "ACTIVE", "UPDATING");
}

void DescribeKinesisStreamingDestination(Context& ctx, const json::Value& input, Respond respond) {
  TableSchemaPtr t = RequireNamedTable(ctx, input);
  json::Document doc;
  ReadTableSettings(*t, doc);
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("TableName");
  w.String(t->name.c_str());
  w.Key("KinesisDataStreamDestinations");
  w.StartArray();
  for (const auto& d : SettingsArray(doc, "kinesis").GetArray()) {
    w.StartObject();
    w.Key("StreamArn");
    w.String(d["arn"].GetString());
    w.Key("DestinationStatus");
    w.String(d["status"].GetString());
    w.Key("ApproximateCreationDateTimePrecision");
    w.String(d["precision"].GetString());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  respond(Outcome::Ok({buf.GetString(), buf.GetSize()}));
}

}  // namespace localddb::api
