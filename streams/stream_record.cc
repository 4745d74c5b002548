#include "streams/stream_record.h"

#include <cstdio>
#include <random>

#include "api/json.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"

namespace localddb::streams {

std::string FormatSequenceNumber(int64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "1%020lld", static_cast<long long>(seq));
  return buf;
}

std::optional<int64_t> ParseSequenceNumber(std::string_view text) {
  if (text.size() != 21 || text[0] != '1') return std::nullopt;
  int64_t v = 0;
  for (char c : text.substr(1)) {
    if (c < '0' || c > '9') return std::nullopt;
    const int digit = c - '0';
    if (v > (INT64_MAX - digit) / 10) return std::nullopt;  // 20 digits can exceed int64
    v = v * 10 + digit;
  }
  return v;
}

namespace {

// userIdentity of a record DynamoDB made itself: GetRecords answers the Streams API's shape
// (Identity: PrincipalId, Type); Lambda's event spells the same members in lower camel case.
constexpr std::string_view kServiceIdentityApi =
    R"(,"userIdentity":{"PrincipalId":"dynamodb.amazonaws.com","Type":"Service"})";
constexpr std::string_view kServiceIdentityLambda =
    R"(,"userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"})";

std::string EventId() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return buf;
}
}  // namespace

std::string BuildRecord(const api::TableSchema& table, const std::string& region, double now, int64_t seq,
                        const Change& change) {
  const value::Item& any = change.new_item ? *change.new_item : *change.old_item;
  const value::Item keys = api::KeyAttributes(table.key, any);
  const std::string& view = table.stream.view_type;
  const bool new_image = change.new_item && (view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES");
  const bool old_image = change.old_item && (view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES");
  size_t size = value::ItemSize(keys);
  if (new_image) size += change.new_json ? change.new_size : value::ItemSize(*change.new_item);
  if (old_image) size += change.old_json ? change.old_size : value::ItemSize(*change.old_item);
  auto write_image = [](json::Writer& w, rapidjson::StringBuffer& buf, const value::Item& item,
                        const std::string* json_text) {
    if (json_text)
      json::WriteRaw(w, buf, *json_text);
    else
      value::WriteItem(w, item);
  };

  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("eventID");
  w.String(EventId());
  w.Key("eventName");
  w.String(!change.old_item ? "INSERT" : !change.new_item ? "REMOVE" : "MODIFY");
  w.Key("eventVersion");
  w.String("1.1");
  w.Key("eventSource");
  w.String("aws:dynamodb");
  w.Key("awsRegion");
  w.String(region);
  w.Key("dynamodb");
  w.StartObject();
  w.Key("ApproximateCreationDateTime");
  w.Int64(static_cast<int64_t>(now));
  w.Key("Keys");
  value::WriteItem(w, keys);
  if (new_image) {
    w.Key("NewImage");
    write_image(w, buf, *change.new_item, change.new_json);
  }
  if (old_image) {
    w.Key("OldImage");
    write_image(w, buf, *change.old_item, change.old_json);
  }
  w.Key("SequenceNumber");
  w.String(FormatSequenceNumber(seq));
  w.Key("SizeBytes");
  w.Int64(static_cast<int64_t>(size));
  w.Key("StreamViewType");
  w.String(view);
  w.EndObject();
  w.EndObject();
  std::string record(buf.GetString(), buf.GetSize());
  // As DynamoDB marks its own deletions of expired items, last, in the Streams API's spelling
  // (the Lambda event spells it differently: see WithEventSourceArn).
  if (change.by_service) record.insert(record.size() - 1, kServiceIdentityApi);
  return record;
}

std::string WithEventSourceArn(std::string_view record, const std::string& stream_arn) {
  std::string out(record.substr(0, record.size() - 1));
  if (std::string_view(out).ends_with(kServiceIdentityApi))
    out.replace(out.size() - kServiceIdentityApi.size(), kServiceIdentityApi.size(), kServiceIdentityLambda);
  out += ",\"eventSourceARN\":\"";
  out += stream_arn;
  out += "\"}";
  return out;
}

}  // namespace localddb::streams
