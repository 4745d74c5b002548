#include "server/request_log.h"

#include <algorithm>

#include "common/server_clock.h"

namespace localddb::server {
namespace {

constexpr size_t kMaxTableText = 255;

void Assign(std::string& to, std::string_view from, size_t max = std::string::npos) {
  to.assign(from.data(), std::min(from.size(), max));
}

// The table named by an ARN (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME[/stream/...]).
std::string_view TableOfArn(std::string_view arn) {
  const size_t at = arn.find(":table/");
  if (at == std::string_view::npos) return {};
  std::string_view rest = arn.substr(at + 7);
  return rest.substr(0, rest.find('/'));
}

void AddTable(std::string& out, std::string_view name) {
  if (name.empty()) return;
  // A transaction names its tables once each; the list is short, so a linear look is enough.
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find(',', start);
    if (end == std::string::npos) end = out.size();
    if (std::string_view(out).substr(start, end - start) == name) return;
    start = end + 1;
  }
  if (out.size() + name.size() + 1 > kMaxTableText) return;
  if (!out.empty()) out += ',';
  out.append(name.data(), name.size());
}

std::string_view StringMember(const json::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  return it != obj.MemberEnd() && it->value.IsString() ? json::View(it->value) : std::string_view();
}

// Which tables a request is about: TableName, or the tables of a batch or a transaction, or the
// table of an ARN (Streams operations, tags, resource policies). Appends into out, which keeps its
// capacity from the slot's earlier requests.
void TablesOf(const json::Value& req, std::string& out) {
  out.clear();
  if (!req.IsObject()) return;
  if (auto name = StringMember(req, "TableName"); !name.empty()) return Assign(out, name, kMaxTableText);
  if (auto items = req.FindMember("RequestItems"); items != req.MemberEnd() && items->value.IsObject()) {
    for (const auto& m : items->value.GetObject()) AddTable(out, json::View(m.name));
    return;
  }
  if (auto items = req.FindMember("TransactItems"); items != req.MemberEnd() && items->value.IsArray()) {
    for (const auto& item : items->value.GetArray()) {
      if (!item.IsObject()) continue;
      for (const auto& action : item.GetObject())
        if (action.value.IsObject()) AddTable(out, StringMember(action.value, "TableName"));
    }
    return;
  }
  for (const char* member : {"StreamArn", "TableArn", "ResourceArn"})
    if (auto arn = StringMember(req, member); !arn.empty()) return Assign(out, TableOfArn(arn), kMaxTableText);
}

bool AsksForCapacity(const json::Value* req) {
  if (!req || !req->IsObject()) return false;
  const std::string_view mode = StringMember(*req, "ReturnConsumedCapacity");
  return mode == "TOTAL" || mode == "INDEXES";
}

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  return i;
}

// s[i] is '"': the index after the closing quote, or npos.
size_t SkipString(std::string_view s, size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\')
      ++i;
    else if (s[i] == '"')
      return i + 1;
  }
  return std::string_view::npos;
}

// The index just after the JSON value starting at s[i], or npos. Only brackets and strings are
// followed: the text is one of our own answers, so it is well-formed.
size_t SkipValue(std::string_view s, size_t i) {
  if (i >= s.size()) return std::string_view::npos;
  if (s[i] == '"') return SkipString(s, i);
  if (s[i] != '{' && s[i] != '[') {
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\n') ++i;
    return i;
  }
  int depth = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '"') {
      i = SkipString(s, i);
      if (i == std::string_view::npos) return i;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
    ++i;
  }
  return std::string_view::npos;
}

}  // namespace

std::string_view TopLevelMember(std::string_view json, std::string_view key) {
  size_t i = SkipSpace(json, 0);
  if (i >= json.size() || json[i] != '{') return {};
  i = SkipSpace(json, i + 1);
  while (i < json.size() && json[i] == '"') {
    const size_t key_end = SkipString(json, i);
    if (key_end == std::string_view::npos) return {};
    const std::string_view name = json.substr(i + 1, key_end - i - 2);
    i = SkipSpace(json, key_end);
    if (i >= json.size() || json[i] != ':') return {};
    const size_t value = SkipSpace(json, i + 1);
    const size_t value_end = SkipValue(json, value);
    if (value_end == std::string_view::npos) return {};
    if (name == key) return json.substr(value, value_end - value);
    i = SkipSpace(json, value_end);
    if (i >= json.size() || json[i] != ',') return {};
    i = SkipSpace(json, i + 1);
  }
  return {};
}

RequestLog::RequestLog(size_t size) : slots_(std::min(size, kMaxSize)) {}

RequestLog::Ticket RequestLog::Open(const Arrival& a, double now) {
  if (slots_.empty()) return {};
  std::lock_guard lock(mu_);
  const uint64_t seq = next_++;
  Slot& s = slots_[(seq - 1) % slots_.size()];
  s.seq = seq;
  s.time = now;
  s.answered = false;
  s.status = 0;
  s.latency_ms = 0;
  s.request_bytes = a.body.size();
  s.response_bytes = 0;
  Assign(s.request_id, a.request_id);
  Assign(s.ns, a.ns);
  Assign(s.operation, a.operation, 100);
  if (a.request)
    TablesOf(*a.request, s.table);
  else
    s.table.clear();
  s.error_type.clear();
  s.capacity.clear();
  Assign(s.request_body, a.body, kMaxBodyBytes);
  s.response_body.clear();
  return {seq, AsksForCapacity(a.request)};
}

void RequestLog::Close(const Ticket& ticket, const Answer& answer) {
  if (ticket.seq == 0 || slots_.empty()) return;
  // Found before the lock is taken: the answer may be a large Scan page.
  const std::string_view capacity =
      ticket.capacity && answer.status == 200 ? TopLevelMember(answer.body, "ConsumedCapacity") : std::string_view();
  std::lock_guard lock(mu_);
  Slot& s = slots_[(ticket.seq - 1) % slots_.size()];
  if (s.seq != ticket.seq) return;  // taken over by a newer request meanwhile
  s.answered = true;
  s.status = answer.status;
  s.latency_ms = answer.latency_ms;
  s.response_bytes = answer.body.size();
  Assign(s.error_type, answer.error_type, 100);
  Assign(s.capacity, capacity);
  Assign(s.response_body, answer.body, kMaxBodyBytes);
}

void RequestLog::Clear() {
  std::lock_guard lock(mu_);
  for (Slot& s : slots_) s.seq = 0;
}

void RequestLog::Write(json::Writer& w, const Summary& s, const Slot* bodies) {
  // Text that came from the client (a namespace, an X-Amz-Target, a body cut mid-character) is
  // written through Excerpt, so the answer is valid JSON whatever was sent.
  w.StartObject();
  w.Key("id");
  w.String(s.request_id);
  w.Key("time");
  w.String(FormatIso8601(s.time));
  w.Key("namespace");
  w.String(json::Excerpt(s.ns, 256));
  w.Key("operation");
  w.String(json::Excerpt(s.operation, 100));
  w.Key("table");
  w.String(s.table);
  w.Key("status");
  if (s.answered)
    w.Int(s.status);
  else
    w.Null();  // not answered yet
  w.Key("latencyMs");
  if (s.answered)
    w.Double(static_cast<double>(static_cast<int64_t>(s.latency_ms * 1000)) / 1000);
  else
    w.Null();
  w.Key("errorType");
  w.String(s.error_type);
  if (!s.capacity.empty()) {
    w.Key("consumedCapacity");
    w.RawValue(s.capacity.data(), s.capacity.size(),
               s.capacity[0] == '[' ? rapidjson::kArrayType : rapidjson::kObjectType);
  }
  w.Key("requestBytes");
  w.Uint64(s.request_bytes);
  w.Key("responseBytes");
  w.Uint64(s.response_bytes);
  if (bodies) {
    w.Key("requestBody");
    w.String(json::Excerpt(bodies->request_body, kMaxBodyBytes));
    w.Key("requestTruncated");
    w.Bool(s.request_bytes > bodies->request_body.size());
    w.Key("responseBody");
    w.String(json::Excerpt(bodies->response_body, kMaxBodyBytes));
    w.Key("responseTruncated");
    w.Bool(s.response_bytes > bodies->response_body.size());
  }
  w.EndObject();
}

std::string RequestLog::ListJson(std::string_view ns, size_t limit) const {
  // Copied out (without bodies) under the lock, written after it.
  std::vector<Summary> copies;
  {
    std::lock_guard lock(mu_);
    copies.reserve(slots_.size());
    for (const Slot& s : slots_)
      if (s.seq != 0 && (ns.empty() || s.ns == ns)) copies.push_back(static_cast<const Summary&>(s));
  }
  std::sort(copies.begin(), copies.end(), [](const Summary& a, const Summary& b) { return a.seq > b.seq; });
  if (copies.size() > limit) copies.resize(limit);
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("size");
  w.Uint64(slots_.size());
  w.Key("requests");
  w.StartArray();
  for (const Summary& s : copies) Write(w, s, nullptr);
  w.EndArray();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::optional<std::string> RequestLog::EntryJson(std::string_view request_id) const {
  Slot copy;
  {
    std::lock_guard lock(mu_);
    auto it = std::find_if(slots_.begin(), slots_.end(),
                           [&](const Slot& s) { return s.seq != 0 && s.request_id == request_id; });
    if (it == slots_.end()) return std::nullopt;
    copy = *it;
  }
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  Write(w, copy, &copy);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace localddb::server
