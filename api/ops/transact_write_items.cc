// TransactWriteItems: up to 100 ConditionCheck / Put / Update / Delete actions on distinct items,
// all or nothing. The whole transaction is one piece of writer work (one savepoint): every action's
// condition is checked against the items as they were before any of them changes, and only if all
// pass does every write go through the one write path (indexes, streams), in request order.
#include <chrono>
#include <mutex>
#include <set>
#include <unordered_map>

#include "api/expr/expression.h"
#include "api/write/conditional_write.h"
#include "api/ops/handlers.h"
#include "api/write/item_key.h"
#include "api/ops/item_request.h"
#include "api/ops/item_write_request.h"
#include "api/ops/transactions.h"
#include "api/write/write_support.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"

namespace localddb::api {
namespace {

enum class Kind { kConditionCheck, kPut, kDelete, kUpdate };

struct Action {
  Kind kind;
  TableSchemaPtr table;
  storage::EntryKey key;
  value::Item key_item;                        // Update: the key, which an upsert starts from
  std::optional<ItemImage> put;                // Put: the new item
  std::vector<expr::UpdateAction> update;      // Update: the actions
  WriteCondition condition;
  std::string invalid;                         // a ValidationError found while reading the request
                                               // (reported before anything is read or written)
};

// The action members, in the order DynamoDB lists them.
constexpr std::pair<const char*, Kind> kKinds[] = {
    {"ConditionCheck", Kind::kConditionCheck}, {"Put", Kind::kPut}, {"Delete", Kind::kDelete}, {"Update", Kind::kUpdate}};

Action ReadAction(Context& ctx, const json::Value& element) {
  if (!element.IsObject()) throw ApiError::Serialization("Unexpected value type in payload");
  const json::Value* body = nullptr;
  Kind kind = Kind::kPut;
  int found = 0;
  for (const auto& [name, k] : kKinds) {
    if (const json::Value* b = input::Object(element, name)) {
      body = b;
      kind = k;
      ++found;
    }
  }
  if (found != 1)
    throw ApiError::Validation("TransactItems can only contain one of Check, Put, Update or Delete");

  Action a;
  a.kind = kind;
  input::Violations v;
  auto table_name = input::String(*body, "TableName");
  input::CheckTableName(table_name, "tableName", v, true, 1);
  const char* member = kind == Kind::kPut ? "Item" : "Key";
  const json::Value* item_or_key = input::Object(*body, member);
  if (!item_or_key) v.Missing(kind == Kind::kPut ? "item" : "key");
  RequestExpressions expressions(*body);
  a.condition = ReadWriteCondition(expressions, *body, v);
  v.ThrowIfAny();
  if (kind == Kind::kConditionCheck && !a.condition.condition)
    throw ApiError::Validation("The ConditionExpression parameter must be provided for a ConditionCheck action");
  if (kind == Kind::kUpdate) {
    auto update = expressions.Update();
    if (!update) throw ApiError::Validation("The UpdateExpression parameter must be provided for an Update action");
    a.update = std::move(*update);
  }
  expressions.Finish();

  value::Item item = value::ParseItem(*item_or_key);
  a.table = ctx.catalog.Require(*table_name);
  try {
    if (kind == Kind::kPut) {
      ItemImage image;
      image.size = value::ItemSize(item);
      if (image.size > value::kMaxItemSize) throw ApiError::Validation("Item size has exceeded the maximum allowed size");
      a.key = KeyOfNewItem(*a.table, item);
      image.json = value::ItemToJson(item);
      image.item = std::move(item);
      a.put = std::move(image);
    } else {
      a.key = KeyFromKeyMap(*a.table, item);
      a.key_item = std::move(item);
    }
  } catch (const ApiError& e) {
    a.invalid = KeyErrorReason(e);
  }
  return a;
}

// ClientRequestToken: a repeat of a successful request within ten minutes is answered without
// applying it again; the same token on a different request is refused.
class IdempotencyTokens {
 public:
  enum class Seen { kNew, kRepeat, kMismatch };
  Seen Check(const std::string& token, const std::string& request) {
    std::lock_guard lock(mu_);
    Expire();
    auto it = tokens_.find(token);
    if (it == tokens_.end()) return Seen::kNew;
    return it->second.first == request ? Seen::kRepeat : Seen::kMismatch;
  }
  void Remember(const std::string& token, const std::string& request) {
    std::lock_guard lock(mu_);
    tokens_[token] = {request, Now()};
  }

 private:
  static double Now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }
  void Expire() {
    const double cutoff = Now() - 600;
    for (auto it = tokens_.begin(); it != tokens_.end();) it = it->second.second < cutoff ? tokens_.erase(it) : std::next(it);
  }
  std::mutex mu_;
  std::unordered_map<std::string, std::pair<std::string, double>> tokens_;
};

IdempotencyTokens& Tokens() {
  static IdempotencyTokens tokens;
  return tokens;
}

}  // namespace

LOCALDDB_HANDLER(TransactWriteItems) {
  input::RequireObject(input);
  input::Violations v;
  const CapacityMode capacity = ReadCapacityMode(input, v);
  auto token = input::String(input, "ClientRequestToken");
  if (token && (token->empty() || token->size() > 36))
    v.Add("clientRequestToken", input::Quote(*token),
          token->empty() ? "Member must have length greater than or equal to 1"
                         : "Member must have length less than or equal to 36");
  v.ThrowIfAny();
  const json::Value& items = RequireTransactItems(input);

  auto actions = std::make_shared<std::vector<Action>>();
  actions->reserve(items.Size());
  for (const auto& element : items.GetArray()) actions->push_back(ReadAction(ctx, element));
  std::set<std::tuple<int64_t, std::string, std::string>> targets;
  std::vector<std::string> invalid;
  for (const Action& a : *actions) {
    if (a.invalid.empty() && !targets.emplace(a.table->space, a.key.hk, a.key.rk).second)
      throw ApiError::Validation("Transaction request cannot include multiple operations on one item");
    invalid.push_back(a.invalid);
  }
  ThrowIfAnyInvalid(invalid);

  std::string request_text;
  if (token) {
    request_text = json::Dump(items);
    switch (Tokens().Check(std::string(*token), request_text)) {
      case IdempotencyTokens::Seen::kMismatch:
        throw ApiError("IdempotentParameterMismatchException",
                       "The request uses the same client token as a previous, but non-identical request.");
      case IdempotencyTokens::Seen::kRepeat:
        return respond(Outcome::Ok("{}"));
      case IdempotencyTokens::Seen::kNew:
        break;
    }
  }

  auto consumed = std::make_shared<ConsumedByTable>();
  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, actions, consumed](storage::WriteTxn& txn) {
        const size_t n = actions->size();
        std::vector<std::optional<ItemImage>> olds(n);
        std::vector<std::optional<ItemImage>> updated(n);
        std::vector<CancellationReason> reasons(n);
        bool cancelled = false;
        // 1. Every check against the items as they are now.
        for (size_t i = 0; i < n; ++i) {
          Action& a = (*actions)[i];
          ItemWriter writer(txn, *a.table, ctx);
          olds[i] = writer.Read(a.key);
          try {
            a.condition.Check(olds[i]);
            if (a.kind == Kind::kUpdate) {
              value::Item item = olds[i] ? olds[i]->item : a.key_item;
              std::vector<std::string> key_names{a.table->key.hash.name};
              if (a.table->key.range) key_names.push_back(a.table->key.range->name);
              expr::ApplyUpdate(a.update, item, key_names);
              ItemImage now;
              now.size = value::ItemSize(item);
              if (now.size > value::kMaxItemSize)
                throw ApiError::Validation("Item size to update has exceeded the maximum allowed size");
              KeyOfNewItem(*a.table, item);
              now.json = value::ItemToJson(item);
              now.item = std::move(item);
              updated[i] = std::move(now);
            }
          } catch (const ApiError& e) {
            const bool condition = e.name() == "ConditionalCheckFailedException";
            std::string item_json;
            if (condition && e.extra_json().rfind("\"Item\":", 0) == 0) item_json = e.extra_json().substr(7);
            reasons[i] = {condition ? "ConditionalCheckFailed" : "ValidationError", e.message(), item_json};
            cancelled = true;
          }
        }
        if (cancelled) throw TransactionCanceled(reasons);
        // 2. Every write, through the one write path.
        for (size_t i = 0; i < n; ++i) {
          Action& a = (*actions)[i];
          ItemWriter writer(txn, *a.table, ctx);
          WriteResult result;
          size_t new_size = 0;
          switch (a.kind) {
            case Kind::kConditionCheck:
              result.old_image = std::move(olds[i]);
              break;
            case Kind::kPut:
              new_size = a.put->size;
              result = writer.Put(a.key, std::move(olds[i]), *a.put);
              break;
            case Kind::kDelete:
              result = writer.Delete(a.key, std::move(olds[i]));
              break;
            case Kind::kUpdate:
              new_size = updated[i]->size;
              result = writer.Put(a.key, std::move(olds[i]), *updated[i]);
              break;
          }
          consumed->Add(WriteConsumed(*a.table, result, new_size), 2);  // a transactional write costs two
        }
      },
      [consumed, capacity, token = token ? std::string(*token) : std::string(), request_text]() {
        if (!token.empty()) Tokens().Remember(token, request_text);
        if (capacity == CapacityMode::kNone) return std::string("{}");
        rapidjson::StringBuffer buf;
        json::Writer w(buf);
        w.StartObject();
        consumed->Write(w, capacity);
        w.EndObject();
        return std::string(buf.GetString(), buf.GetSize());
      });
}

}  // namespace localddb::api
