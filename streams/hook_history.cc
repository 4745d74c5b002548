#include "streams/hook_history.h"

#include <cstdio>
#include <functional>
#include <random>

#include "api/json.h"
#include "common/server_clock.h"
#include "streams/stream_record.h"

namespace localddb::streams {
namespace {

std::string Render(const std::function<void(json::Writer&)>& body) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  body(w);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

// Lambda writes times with milliseconds ("2019-11-14T00:13:49.717Z"), first/last arrival to the
// second.
std::string Iso(double t) { return FormatIso8601(t); }

int64_t Seq(const json::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return 0;
  return ParseSequenceNumber(json::View(it->value)).value_or(0);
}

}  // namespace

void Delivery::Add(Attempt a) {
  ++attempt_count;
  attempts.push_back(std::move(a));
  if (attempts.size() > kKeptAttempts) attempts.erase(attempts.begin());
}

std::string Delivery::ToJson() const {
  return Render([&](json::Writer& w) {
    json::StringMember(w, "batchId", std::to_string(id));
    json::StringMember(w, "firstSequenceNumber", FormatSequenceNumber(first));
    json::StringMember(w, "lastSequenceNumber", FormatSequenceNumber(last));
    w.Key("records");
    w.Int(records);
    w.Key("replay");
    w.Bool(replay);
    json::StringMember(w, "outcome", outcome);
    w.Key("attemptCount");
    w.Int(attempt_count);
    w.Key("attempts");
    w.StartArray();
    for (const auto& a : attempts) {
      w.StartObject();
      json::StringMember(w, "time", Iso(a.time));
      w.Key("status");
      if (a.status) {
        w.Int(a.status);
      } else {
        w.Null();
      }
      w.Key("latencyMs");
      w.Double(static_cast<double>(static_cast<int64_t>(a.latency_ms * 10)) / 10);
      if (a.status) json::StringMember(w, "response", a.response);
      if (!a.error.empty()) json::StringMember(w, "error", a.error);
      w.EndObject();
    }
    w.EndArray();
  });
}

std::string Failure::ToJson() const {
  return Render([&](json::Writer& w) {
    json::StringMember(w, "failedBatch", std::to_string(id));
    w.Key("replays");
    w.Int(replays);
    json::StringMember(w, "lastError", error);
    if (!destination.empty()) json::StringMember(w, "destination", destination);
    // From here on: Lambda's on-failure destination record for a DynamoDB stream.
    w.Key("requestContext");
    w.StartObject();
    json::StringMember(w, "requestId", request_id);
    json::StringMember(w, "functionArn", function_arn);
    json::StringMember(w, "condition", condition);
    w.Key("approximateInvokeCount");
    w.Int(invoke_count);
    w.EndObject();
    w.Key("responseContext");
    w.StartObject();
    w.Key("statusCode");
    w.Int(status);
    json::StringMember(w, "executedVersion", "$LATEST");
    json::StringMember(w, "functionError", "Unhandled");
    w.EndObject();
    json::StringMember(w, "version", "1.0");
    json::StringMember(w, "timestamp", Iso(time));
    w.Key("DDBStreamBatchInfo");
    w.StartObject();
    json::StringMember(w, "shardId", shard_id);
    json::StringMember(w, "startSequenceNumber", FormatSequenceNumber(first));
    json::StringMember(w, "endSequenceNumber", FormatSequenceNumber(last));
    json::StringMember(w, "approximateArrivalOfFirstRecord", Iso(first_arrival));
    json::StringMember(w, "approximateArrivalOfLastRecord", Iso(last_arrival));
    w.Key("batchSize");
    w.Int(records);
    json::StringMember(w, "streamArn", stream_arn);
    w.EndObject();
  });
}

std::optional<Failure> Failure::FromJson(int64_t id, std::string_view text) {
  json::Document d;
  if (json::Parse(d, text) != json::ParseStatus::kOk || !d.IsObject()) return std::nullopt;
  auto info = d.FindMember("DDBStreamBatchInfo");
  auto request = d.FindMember("requestContext");
  auto response = d.FindMember("responseContext");
  if (info == d.MemberEnd() || !info->value.IsObject() || request == d.MemberEnd() || !request->value.IsObject())
    return std::nullopt;
  auto str = [](const json::Value& obj, const char* key) -> std::string {
    auto it = obj.FindMember(key);
    return it != obj.MemberEnd() && it->value.IsString() ? std::string(json::View(it->value)) : std::string();
  };
  auto num = [](const json::Value& obj, const char* key) -> int {
    auto it = obj.FindMember(key);
    return it != obj.MemberEnd() && it->value.IsInt() ? it->value.GetInt() : 0;
  };
  Failure f;
  f.id = id;
  f.replays = num(d, "replays");
  f.error = str(d, "lastError");
  f.destination = str(d, "destination");
  f.request_id = str(request->value, "requestId");
  f.function_arn = str(request->value, "functionArn");
  f.condition = str(request->value, "condition");
  f.invoke_count = num(request->value, "approximateInvokeCount");
  if (response != d.MemberEnd() && response->value.IsObject()) f.status = num(response->value, "statusCode");
  f.time = ParseIso8601(str(d, "timestamp")).value_or(0);
  f.shard_id = str(info->value, "shardId");
  f.first = Seq(info->value, "startSequenceNumber");
  f.last = Seq(info->value, "endSequenceNumber");
  f.first_arrival = ParseIso8601(str(info->value, "approximateArrivalOfFirstRecord")).value_or(0);
  f.last_arrival = ParseIso8601(str(info->value, "approximateArrivalOfLastRecord")).value_or(0);
  f.records = num(info->value, "batchSize");
  f.stream_arn = str(info->value, "streamArn");
  if (f.first == 0 || f.last < f.first) return std::nullopt;
  return f;
}

void BoundedLog::Put(int64_t id, std::string json) {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
    if (it->id == id) {
      it->json = std::move(json);
      return;
    }
  entries_.push_back({id, std::move(json)});
  while (entries_.size() > keep_) entries_.pop_front();
}

std::vector<const LogEntry*> BoundedLog::Newest(size_t limit) const {
  std::vector<const LogEntry*> out;
  for (auto it = entries_.rbegin(); it != entries_.rend() && out.size() < limit; ++it) out.push_back(&*it);
  return out;
}

std::string RandomUuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const uint64_t a = rng(), b = rng();
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xFFFF), static_cast<unsigned>(a & 0xFFF),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3FFF)),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFull));
  return buf;
}

}  // namespace localddb::streams
