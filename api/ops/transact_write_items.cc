// TransactWriteItems: up to 100 ConditionCheck / Put / Update / Delete actions on distinct items,
// all or nothing. The whole transaction is one piece of writer work (one savepoint): every action's
// condition is checked against the items as they were before any of them changes, and only if all
// pass does every write go through the one write path (indexes, streams), in request order.
#include <chrono>
#include <mutex>
#include <set>
#include <unordered_map>

#include "api/expr/expression.h"
#include "api/ops/handlers.h"
#include "api/ops/return_options.h"
#include "api/ops/transactions.h"
#include "api/ops/write_request.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"
#include "api/write/conditional_write.h"
#include "api/write/item_change.h"
#include "api/write/item_key.h"
#include "api/write/submit_write.h"

namespace localddb::api {
namespace {

enum class Kind { kConditionCheck, kPut, kDelete, kUpdate };

constexpr size_t kMaxTransactionBytes = 4 * 1024 * 1024;
// DynamoDB's exact wording could not be confirmed from a capture; this is the wording other
// emulators use (see conformance/python/test_fidelity_gaps.py).
constexpr const char* kTransactionTooLarge = "Transaction size exceeded the maximum allowed size of 4 MB";

struct Action {
  std::unique_ptr<ItemChange> change;  // null when invalid
  std::string invalid;                 // a ValidationError found while reading the request
                                       // (reported before anything is read or written)
};

// The action members, in the order DynamoDB lists them.
constexpr std::pair<const char*, Kind> kKinds[] = {{"ConditionCheck", Kind::kConditionCheck},
                                                   {"Put", Kind::kPut},
                                                   {"Delete", Kind::kDelete},
                                                   {"Update", Kind::kUpdate}};

// What the request alone decides about one action. Every action is read so before any table is
// looked up: DynamoDB refuses a malformed later action ahead of a missing table in an earlier one.
struct ParsedAction {
  Kind kind = Kind::kPut;
  std::string table_name;
  value::Item item;  // the item (Put) or the key
  WriteCondition condition;
  std::vector<expr::UpdateAction> update;
};

ParsedAction ParseAction(const json::Value& element) {
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
  if (found != 1) throw ApiError::Validation("TransactItems can only contain one of Check, Put, Update or Delete");

  input::Violations v;
  auto table_name = input::String(*body, "TableName");
  input::CheckTableNameOrArn(table_name, "tableName", v);
  const char* member = kind == Kind::kPut ? "Item" : "Key";
  const json::Value* item_or_key = input::Object(*body, member);
  if (!item_or_key) v.Missing(kind == Kind::kPut ? "item" : "key");
  RequestExpressions expressions(*body, true);
  WriteCondition condition = ReadWriteCondition(expressions, *body, v);
  v.ThrowIfAny();
  if (kind == Kind::kConditionCheck && !condition.condition)
    throw ApiError::Validation("The ConditionExpression parameter must be provided for a ConditionCheck action");
  std::vector<expr::UpdateAction> update;
  if (kind == Kind::kUpdate) {
    auto actions = expressions.Update();
    if (!actions) throw ApiError::Validation("The UpdateExpression parameter must be provided for an Update action");
    update = std::move(*actions);
  }
  expressions.Finish();
  return {kind, std::string(*table_name), value::ParseItem(*item_or_key), std::move(condition), std::move(update)};
}

// The action against its table: the lookup, the key, the change.
Action BindAction(Context& ctx, ParsedAction parsed) {
  Action a;
  const Kind kind = parsed.kind;
  value::Item item = std::move(parsed.item);
  WriteCondition condition = std::move(parsed.condition);
  std::vector<expr::UpdateAction> update = std::move(parsed.update);
  TableSchemaPtr table = ctx.catalog.Require(parsed.table_name);
  try {
    storage::EntryKey key;
    switch (kind) {
      case Kind::kPut: {
        // The old item is always read: a transactional write is charged for the larger image.
        ItemImage image = ImageOfNewItem(*table, std::move(item), &key);
        a.change = std::make_unique<PutChange>(table, std::move(key), std::move(condition), std::move(image), true);
        break;
      }
      case Kind::kDelete:
        a.change = std::make_unique<DeleteChange>(table, KeyFromKeyMap(*table, item), std::move(condition));
        break;
      case Kind::kUpdate:
        key = KeyFromKeyMap(*table, item);
        a.change = std::make_unique<UpdateChange>(table, std::move(key), std::move(condition), std::move(item),
                                                  std::move(update));
        break;
      case Kind::kConditionCheck:
        a.change = std::make_unique<CheckChange>(table, KeyFromKeyMap(*table, item), std::move(condition));
        break;
    }
  } catch (const ApiError& e) {
    // An item too large to put is known from the request alone: refused outright, as DynamoDB does.
    if (kind == Kind::kPut && e.message() == "Item size has exceeded the maximum allowed size") throw;
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
    for (auto it = tokens_.begin(); it != tokens_.end();)
      it = it->second.second < cutoff ? tokens_.erase(it) : std::next(it);
  }
  std::mutex mu_;
  std::unordered_map<std::string, std::pair<std::string, double>> tokens_;
};

IdempotencyTokens& Tokens() {
  static IdempotencyTokens tokens;
  return tokens;
}

}  // namespace

void TransactWriteItems(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  const CapacityMode capacity = ReadCapacityMode(input, v);
  input::CheckEnum(input::String(input, "ReturnItemCollectionMetrics"), "returnItemCollectionMetrics", {"SIZE", "NONE"},
                   v);
  auto token = input::String(input, "ClientRequestToken");
  input::CheckLength(token, "clientRequestToken", 1, 36, v);
  v.ThrowIfAny();
  const json::Value& items = RequireTransactItems(input);

  auto actions = std::make_shared<std::vector<Action>>();
  actions->reserve(items.Size());
  std::vector<ParsedAction> parsed;
  parsed.reserve(items.Size());
  for (const auto& element : items.GetArray()) parsed.push_back(ParseAction(element));
  for (auto& p : parsed) actions->push_back(BindAction(ctx, std::move(p)));
  std::set<std::tuple<int64_t, std::string, std::string>> targets;
  std::vector<std::string> invalid;
  for (const Action& a : *actions) {
    if (a.change && !targets.emplace(a.change->table()->space, a.change->key().hk, a.change->key().rk).second)
      throw ApiError::Validation("Transaction request cannot include multiple operations on one item");
    invalid.push_back(a.invalid);
  }
  ThrowIfAnyInvalid(invalid);
  // "The aggregate size of the items in the transaction cannot exceed 4 MB" (API reference).
  size_t total = 0;
  for (const Action& a : *actions)
    if (const auto* put = dynamic_cast<const PutChange*>(a.change.get())) total += put->image().size;
  if (total > kMaxTransactionBytes) throw ApiError::Validation(kTransactionTooLarge);

  std::string request_text;
  if (token) {
    request_text = json::Dump(items);
    switch (Tokens().Check(std::string(*token), request_text)) {
      case IdempotencyTokens::Seen::kMismatch:
        throw ApiError(ErrorKind::kIdempotentParameterMismatch,
                       "The request uses the same client token as a previous, but non-identical request.");
      case IdempotencyTokens::Seen::kRepeat:
        return respond(Outcome::Ok("{}"));
      case IdempotencyTokens::Seen::kNew:
        break;
    }
  }

  auto consumed = std::make_shared<ConsumedByTable>(UnitKind::kWrite);
  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, actions, consumed](storage::WriteTxn& txn) {
        const size_t n = actions->size();
        // 1. Every table as it is now: a table deleted meanwhile fails the whole request.
        std::vector<TableSchemaPtr> current(n);
        for (size_t i = 0; i < n; ++i) current[i] = ctx.catalog.RequireCurrent(*(*actions)[i].change->table());
        // 2. Every check against the items as they are now.
        std::vector<StagedChange> staged(n);
        std::vector<CancellationReason> reasons(n);
        bool cancelled = false;
        for (size_t i = 0; i < n; ++i) {
          try {
            staged[i] = Stage(ctx, txn, *(*actions)[i].change, current[i]);
          } catch (const ApiError& e) {
            const bool condition = e.kind() == ErrorKind::kConditionalCheckFailed;
            std::string item_json;
            if (condition && e.extra_json().rfind("\"Item\":", 0) == 0) item_json = e.extra_json().substr(7);
            reasons[i] = {condition ? "ConditionalCheckFailed" : "ValidationError", e.message(), item_json};
            cancelled = true;
          }
        }
        if (cancelled) throw TransactionCanceled(reasons);
        // 3. Every write, through the one write path.
        consumed->Clear();
        for (StagedChange& s : staged) {
          const size_t new_size = s.mutation.now ? s.mutation.now->size : 0;
          consumed->Add(WriteConsumed(*s.table, WriteStaged(ctx, txn, s), new_size),
                        2);  // a transactional write costs two
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
