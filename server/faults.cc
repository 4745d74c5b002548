#include "server/faults.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "api/value/json_codec.h"
#include "common/server_clock.h"

namespace localddb::server {
namespace {

// The three members whose maps name an item: Key (most operations), Item (puts).
const json::Value* ItemMap(const json::Value& body) {
  for (const char* member : {"Key", "Item"}) {
    auto it = body.FindMember(member);
    if (it != body.MemberEnd() && it->value.IsObject()) return &it->value;
  }
  return nullptr;
}

std::string TableOf(const json::Value& body) {
  auto it = body.FindMember("TableName");
  return it != body.MemberEnd() && it->value.IsString() ? std::string(json::View(it->value)) : std::string();
}

// Whether an item map holds every attribute of the rule's key, with the same value.
bool HasKey(const json::Value& item, const value::Item& key);

bool JsonEqualsValue(const json::Value& wire, const value::AttributeValue& v) {
  // Compared as canonical JSON text, so {"N":"1.0"} equals {"N":"1"}.
  try {
    return value::AttributeValueToJson(value::ParseAttributeValue(wire)) == value::AttributeValueToJson(v);
  } catch (const api::ApiError&) {
    return false;
  }
}

bool HasKey(const json::Value& item, const value::Item& key) {
  for (const auto& [name, v] : key) {
    auto it = item.FindMember(rapidjson::StringRef(name.data(), name.size()));
    if (it == item.MemberEnd() || !JsonEqualsValue(it->value, v)) return false;
  }
  return true;
}

std::vector<std::string> StringOrList(const json::Value& v, const char* member) {
  std::vector<std::string> out;
  if (v.IsString()) {
    out.emplace_back(json::View(v));
  } else if (v.IsArray()) {
    for (const auto& e : v.GetArray()) {
      if (!e.IsString()) throw FaultError(std::string(member) + " is a string or a list of strings");
      out.emplace_back(json::View(e));
    }
  } else {
    throw FaultError(std::string(member) + " is a string or a list of strings");
  }
  return out;
}

double TimeMember(const json::Value& v, const char* member) {
  if (v.IsNumber()) return v.GetDouble();
  if (v.IsString())
    if (auto t = ParseIso8601(json::View(v))) return *t;
  throw FaultError(std::string(member) + " is an ISO-8601 time (or epoch seconds)");
}

int64_t PositiveInt(const json::Value& v, const char* member) {
  if (!v.IsInt64() || v.GetInt64() < 1) throw FaultError(std::string(member) + " is a whole number of at least 1");
  return v.GetInt64();
}

}  // namespace

struct FaultRules::Rule {
  int64_t id = 0;
  std::string json;  // the rule as it was given
  std::vector<std::string> operations;
  std::string table, index;
  std::optional<value::Item> key;
  int64_t nth = 0, every = 0, times = -1;
  double probability = -1;
  double after = -std::numeric_limits<double>::infinity(), until = std::numeric_limits<double>::infinity();
  FaultAction action;
  int64_t matched = 0, hits = 0;
  std::mt19937_64 rng;
};

FaultRules::FaultRules() = default;
FaultRules::~FaultRules() = default;

std::string DefaultFaultMessage(api::ErrorKind kind) {
  using K = api::ErrorKind;
  switch (kind) {
    case K::kProvisionedThroughputExceeded:
      return "The level of configured provisioned throughput for the table was exceeded. Consider increasing your "
             "provisioning level with the UpdateTable API.";
    case K::kThrottling:
      return "Rate of requests exceeds the allowed throughput.";
    case K::kRequestLimitExceeded:
      return "Throughput exceeds the current throughput limit for your account. Please contact AWS Support at "
             "https://aws.amazon.com/support request a limit increase";
    case K::kInternalServerError:
      return "Internal server error";
    case K::kServiceUnavailable:
    case K::kServiceUnavailableShort:
      return "The service is currently unavailable or busy.";
    case K::kConditionalCheckFailed:
      return "The conditional request failed";
    case K::kTransactionConflict:
      return "Transaction is ongoing for the item";
    case K::kItemCollectionSizeLimitExceeded:
      return "Item collection size limit exceeded.";
    case K::kLimitExceeded:
      return "Too many operations for a given subscriber.";
    default:
      return "Injected by a localddb fault rule";
  }
}

RequestFacts FactsOf(std::string_view operation, const json::Value& request) {
  RequestFacts f;
  f.operation = operation;
  if (!request.IsObject()) return f;
  auto add_table = [&](const std::string& t) {
    if (!t.empty() && std::find(f.tables.begin(), f.tables.end(), t) == f.tables.end()) f.tables.push_back(t);
  };
  add_table(TableOf(request));
  if (auto it = request.FindMember("IndexName"); it != request.MemberEnd() && it->value.IsString())
    f.index = std::string(json::View(it->value));
  if (const json::Value* item = ItemMap(request)) f.items.push_back({TableOf(request), item, 0});
  // Batches: RequestItems {table: [WriteRequest]} or {table: {Keys: [...]}}.
  if (auto it = request.FindMember("RequestItems"); it != request.MemberEnd() && it->value.IsObject()) {
    for (auto t = it->value.MemberBegin(); t != it->value.MemberEnd(); ++t) {
      const std::string table(json::View(t->name));
      add_table(table);
      const json::Value* list = &t->value;
      if (list->IsObject()) {
        auto keys = list->FindMember("Keys");
        list = keys != list->MemberEnd() ? &keys->value : nullptr;
      }
      if (!list || !list->IsArray()) continue;
      for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
        const json::Value& e = (*list)[i];
        if (!e.IsObject()) continue;
        const json::Value* item = &e;  // a BatchGetItem key
        for (const char* request_member : {"PutRequest", "DeleteRequest"})
          if (auto r = e.FindMember(request_member); r != e.MemberEnd() && r->value.IsObject())
            item = ItemMap(r->value);
        if (item) f.items.push_back({table, item, i});
      }
    }
  }
  // Transactions: TransactItems [{Put|Update|Delete|ConditionCheck|Get: {TableName, Key|Item}}].
  if (auto it = request.FindMember("TransactItems"); it != request.MemberEnd() && it->value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < it->value.Size(); ++i) {
      const json::Value& e = it->value[i];
      if (!e.IsObject()) continue;
      for (auto a = e.MemberBegin(); a != e.MemberEnd(); ++a) {
        if (!a->value.IsObject()) continue;
        const std::string table = TableOf(a->value);
        add_table(table);
        if (const json::Value* item = ItemMap(a->value)) f.items.push_back({table, item, i});
      }
    }
  }
  return f;
}

std::vector<int64_t> FaultRules::Add(const json::Value& body) {
  if (!body.IsObject() || !body.HasMember("rules") || !body["rules"].IsArray())
    throw FaultError("expected {\"rules\": [<rule>, ...]}");
  std::vector<Rule> parsed;
  const auto& list = body["rules"];
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    const json::Value& r = list[i];
    const std::string where = "rule " + std::to_string(i) + ": ";
    try {
      if (!r.IsObject()) throw FaultError("a rule is a JSON object");
      Rule rule;
      rule.json = json::Dump(r);
      bool acts = false;
      for (auto m = r.MemberBegin(); m != r.MemberEnd(); ++m) {
        const std::string_view name = json::View(m->name);
        const json::Value& v = m->value;
        if (name == "operation") {
          rule.operations = StringOrList(v, "operation");
        } else if (name == "table" || name == "index") {
          if (!v.IsString()) throw FaultError(std::string(name) + " is a string");
          (name == "table" ? rule.table : rule.index) = std::string(json::View(v));
        } else if (name == "namespace") {
          // Where the rule lives: chosen when it was added (see Admin::Faults).
        } else if (name == "key") {
          if (!v.IsObject() || v.MemberCount() == 0)
            throw FaultError("key is an attribute map, e.g. {\"pk\": {\"S\": \"a\"}}");
          try {
            rule.key = value::ParseItem(v);
          } catch (const api::ApiError& e) {
            throw FaultError("key: " + e.message());
          }
        } else if (name == "nth") {
          rule.nth = PositiveInt(v, "nth");
        } else if (name == "every") {
          rule.every = PositiveInt(v, "every");
        } else if (name == "times") {
          rule.times = PositiveInt(v, "times");
        } else if (name == "probability") {
          if (!v.IsNumber() || v.GetDouble() < 0 || v.GetDouble() > 1) throw FaultError("probability is from 0 to 1");
          rule.probability = v.GetDouble();
        } else if (name == "seed") {
          if (!v.IsUint64()) throw FaultError("seed is a whole number");
          rule.rng.seed(v.GetUint64());
        } else if (name == "after" || name == "until") {
          (name == "after" ? rule.after : rule.until) = TimeMember(v, name == "after" ? "after" : "until");
        } else if (name == "error") {
          if (!v.IsString()) throw FaultError("error is a DynamoDB error name, e.g. ThrottlingException");
          rule.action.error = api::ErrorKindByName(json::View(v));
          if (!rule.action.error) throw FaultError("unknown error name '" + json::Excerpt(json::View(v)) + "'");
          acts = true;
        } else if (name == "message") {
          if (!v.IsString()) throw FaultError("message is a string");
          rule.action.message = std::string(json::View(v));
        } else if (name == "transactionConflict" || name == "unprocessed" || name == "dropConnection" ||
                   name == "badCrc") {
          if (!v.IsBool()) throw FaultError(std::string(name) + " is true or false");
          bool& flag = name == "transactionConflict" ? rule.action.transaction_conflict
                       : name == "unprocessed"       ? rule.action.unprocessed
                       : name == "dropConnection"    ? rule.action.drop_connection
                                                     : rule.action.bad_crc;
          flag = v.GetBool();
          acts |= flag;
        } else if (name == "latencyMs") {
          if (!v.IsInt() || v.GetInt() < 0 || v.GetInt() > 600000) throw FaultError("latencyMs is from 0 to 600000");
          rule.action.latency_ms = v.GetInt();
          acts |= rule.action.latency_ms > 0;
        } else {
          throw FaultError("unknown member '" + json::Excerpt(name) + "'");
        }
      }
      if (!acts)
        throw FaultError(
            "a rule needs an action: error, transactionConflict, unprocessed, latencyMs, dropConnection or badCrc");
      if (rule.action.error &&
          (rule.action.transaction_conflict || rule.action.unprocessed || rule.action.drop_connection))
        throw FaultError("error cannot be combined with transactionConflict, unprocessed or dropConnection");
      if (rule.after > rule.until) throw FaultError("after is later than until");
      parsed.push_back(std::move(rule));
    } catch (const FaultError& e) {
      throw FaultError(where + e.what());
    }
  }
  std::lock_guard lock(mu_);
  std::vector<int64_t> ids;
  for (auto& rule : parsed) {
    rule.id = next_id_++;
    ids.push_back(rule.id);
    rules_.push_back(std::move(rule));
  }
  count_ = rules_.size();
  return ids;
}

bool FaultRules::Remove(int64_t id) {
  std::lock_guard lock(mu_);
  const size_t before = rules_.size();
  std::erase_if(rules_, [&](const Rule& r) { return r.id == id; });
  count_ = rules_.size();
  return rules_.size() != before;
}

void FaultRules::Clear() {
  std::lock_guard lock(mu_);
  rules_.clear();
  count_ = 0;
}

std::string FaultRules::ListJson() {
  std::lock_guard lock(mu_);
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("rules");
  w.StartArray();
  for (const auto& r : rules_) {
    json::Document d;
    json::Parse(d, r.json);
    w.StartObject();
    w.Key("id");
    w.Int64(r.id);
    for (auto m = d.MemberBegin(); m != d.MemberEnd(); ++m) {
      w.Key(m->name.GetString(), m->name.GetStringLength());
      m->value.Accept(w);
    }
    w.Key("matched");  // requests the rule matched (in its time window), fired or not
    w.Int64(r.matched);
    w.Key("hits");  // requests it fired on
    w.Int64(r.hits);
    w.Key("remaining");
    if (r.times < 0)
      w.Null();
    else
      w.Int64(std::max<int64_t>(0, r.times - r.hits));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

FaultDecision FaultRules::Evaluate(const RequestFacts& facts, double now) {
  FaultDecision d;
  std::lock_guard lock(mu_);
  for (Rule& r : rules_) {
    if (!r.operations.empty() &&
        std::find(r.operations.begin(), r.operations.end(), facts.operation) == r.operations.end())
      continue;
    if (!r.table.empty() && std::find(facts.tables.begin(), facts.tables.end(), r.table) == facts.tables.end())
      continue;
    if (!r.index.empty() && facts.index != r.index) continue;
    // The items of the request this rule is about: all of them, or those with its table and key.
    std::vector<const RequestFacts::ItemRef*> items;
    for (const auto& item : facts.items)
      if ((r.table.empty() || item.table == r.table) && (!r.key || HasKey(*item.item, *r.key))) items.push_back(&item);
    if (r.key && items.empty()) continue;
    if (now < r.after || now > r.until) continue;
    ++r.matched;
    bool fires = true;
    if (r.nth > 0) fires = r.matched == r.nth;
    if (r.every > 0) fires = fires && r.matched % r.every == 0;
    if (r.probability >= 0) fires = fires && std::uniform_real_distribution<double>(0, 1)(r.rng) < r.probability;
    if (r.times >= 0 && r.hits >= r.times) fires = false;
    if (!fires) continue;
    ++r.hits;
    const FaultAction& a = r.action;
    d.latency_ms += a.latency_ms;
    d.bad_crc |= a.bad_crc;
    if (d.error || d.drop_connection) continue;  // an earlier rule already decided the answer
    if (a.error) {
      d.error = api::ApiError(*a.error, a.message.empty() ? DefaultFaultMessage(*a.error) : a.message);
    } else if (a.drop_connection) {
      d.drop_connection = true;
    } else if (a.transaction_conflict) {
      d.transaction_conflict = true;
      for (const auto* item : items) d.conflicted.push_back(item->position);
    } else if (a.unprocessed) {
      d.unprocessed = true;
      for (const auto* item : items) d.unprocessed_items.emplace_back(item->table, item->position);
    }
  }
  return d;
}

}  // namespace localddb::server
