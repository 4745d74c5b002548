// BatchWriteItem: up to 25 puts and deletes over several tables, all validated first and then
// written in ONE writer transaction, so the batch commits together. UnprocessedItems is always empty.
#include <set>

#include "api/ops/handlers.h"
#include "api/ops/return_options.h"
#include "api/ops/write_request.h"
#include "api/value/json_codec.h"
#include "api/value/wire_types.h"
#include "api/write/item_change.h"
#include "api/write/item_key.h"
#include "api/write/submit_write.h"

namespace localddb::api {
namespace {

constexpr size_t kMaxWrites = 25;

// The Java toString form DynamoDB echoes a table's write requests in ('{t=[WriteRequest(...)]}').
// Only its outline is stable (the field dump varies by region), so this is an approximation.
std::string EchoRequests(std::string_view table, const json::Value& requests) {
  std::string out = "'{" + std::string(table) + "=[";
  bool first = true;
  for (const auto& r : requests.GetArray()) {
    if (!first) out += ", ";
    first = false;
    auto render = [](const json::Value* m) {
      std::string s = "{";
      if (m && m->IsObject())
        for (auto it = m->MemberBegin(); it != m->MemberEnd(); ++it)
          s += (s.size() > 1 ? ", " : "") + std::string(json::View(it->name)) + "=" + json::Dump(it->value);
      return s + "}";
    };
    const json::Value* put = r.IsObject() && r.HasMember("PutRequest") ? &r["PutRequest"] : nullptr;
    const json::Value* del = r.IsObject() && r.HasMember("DeleteRequest") ? &r["DeleteRequest"] : nullptr;
    out += "WriteRequest(putRequest=";
    out +=
        put && put->IsObject() && put->HasMember("Item") ? "PutRequest(item=" + render(&(*put)["Item"]) + ")" : "null";
    out += ", deleteRequest=";
    out +=
        del && del->IsObject() && del->HasMember("Key") ? "DeleteRequest(key=" + render(&(*del)["Key"]) + ")" : "null";
    out += ")";
  }
  return out + "]}'";
}

bool ValidTableName(std::string_view name) {
  if (name.size() < 3 || name.size() > 255) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
          c == '.'))
      return false;
  return true;
}

}  // namespace

void BatchWriteItem(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  const json::Value* request_items = input::Object(input, "RequestItems");
  if (!request_items) v.Missing("requestItems");
  CapacityMode capacity = ReadCapacityMode(input, v);
  auto metrics = input::String(input, "ReturnItemCollectionMetrics");
  input::CheckEnum(metrics, "returnItemCollectionMetrics", {"SIZE", "NONE"}, v);
  size_t total = 0;
  // The enums are reported first, and alone: a malformed table name gives way to them.
  v.ThrowIfAny();
  if (request_items && request_items->MemberCount() == 0)
    throw ApiError::Validation("The requestItems parameter is required for BatchWriteItem");
  if (request_items) {
    for (auto it = request_items->MemberBegin(); it != request_items->MemberEnd(); ++it) {
      value::RequireWireType(it->value, value::WireType::kList);
      const std::string_view name = json::View(it->name);
      if (!ValidTableName(name) && !(name.starts_with("arn:") && name.size() <= 1024))
        v.Add("requestItems", EchoRequests(name, it->value),
              "Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have "
              "length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]");
      if (it->value.Size() == 0 || it->value.Size() > kMaxWrites)
        v.Add("requestItems",
              it->value.Size() == 0 ? "'{" + std::string(name) + "=[]}'" : EchoRequests(name, it->value),
              "Map value must satisfy constraint: [Member must have length less than or equal to 25, "
              "Member must have length greater than or equal to 1]");
      total += it->value.Size();
    }
  }
  v.ThrowIfAny();
  if (total > kMaxWrites) throw ApiError::Validation("Too many items requested for the BatchWriteItem call");

  auto changes = std::make_shared<std::vector<std::unique_ptr<ItemChange>>>();
  std::vector<TableSchemaPtr> tables;
  for (auto it = request_items->MemberBegin(); it != request_items->MemberEnd(); ++it) {
    TableSchemaPtr t = ctx.catalog.Require(json::View(it->name));
    tables.push_back(t);
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& wr : it->value.GetArray()) {
      input::RequireObject(wr);
      const json::Value* put = input::Object(wr, "PutRequest");
      const json::Value* del = input::Object(wr, "DeleteRequest");
      if ((put != nullptr) == (del != nullptr))
        throw ApiError::Validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported "
            "datatypes");
      storage::EntryKey key;
      if (put) {
        const json::Value* item = input::Object(*put, "Item");
        if (!item)
          throw ApiError::Validation("1 validation error detected: Value null at 'requestItems." + t->name +
                                     ".member.1.member.putRequest.item' failed to satisfy constraint: "
                                     "Member must not be null");
        ItemImage image = ParseNewItem(*t, *item, &key, true);
        changes->push_back(
            std::make_unique<PutChange>(t, key, WriteCondition{}, std::move(image), capacity != CapacityMode::kNone));
      } else {
        const json::Value* key_map = input::Object(*del, "Key");
        if (!key_map)
          throw ApiError::Validation("1 validation error detected: Value null at 'requestItems." + t->name +
                                     ".member.1.member.deleteRequest.key' failed to satisfy constraint: "
                                     "Member must not be null");
        key = KeyFromKeyMap(*t, value::ParseItem(*key_map));
        changes->push_back(std::make_unique<DeleteChange>(t, key, WriteCondition{}));
      }
      if (!seen.emplace(key.hk, key.rk).second)
        throw ApiError::Validation("Provided list of item keys contains duplicates");
    }
  }

  auto consumed = std::make_shared<ConsumedByTable>();
  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, changes, consumed](storage::WriteTxn& txn) {
        consumed->Clear();
        for (const auto& change : *changes) {
          StagedChange staged = Stage(ctx, txn, *change, ctx.catalog.RequireCurrent(*change->table()));
          const size_t new_size = staged.mutation.now ? staged.mutation.now->size : 0;
          consumed->Add(WriteConsumed(*staged.table, WriteStaged(ctx, txn, staged), new_size));
        }
      },
      [consumed, capacity]() {
        rapidjson::StringBuffer buf;
        json::Writer w(buf);
        w.StartObject();
        w.Key("UnprocessedItems");
        w.StartObject();
        w.EndObject();
        if (capacity != CapacityMode::kNone) consumed->Write(w, capacity);
        w.EndObject();
        return std::string(buf.GetString(), buf.GetSize());
      });
}

}  // namespace localddb::api
