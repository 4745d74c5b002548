// ExecuteTransaction: up to 100 PartiQL statements, all reads (a TransactGetItems) or all writes
// and EXISTS checks (a TransactWriteItems: INSERT a Put that must not overwrite, UPDATE an Update
// of an item that must exist, DELETE a Delete, EXISTS a ConditionCheck), all or nothing, with
// ClientRequestToken idempotency and cancellation reasons as TransactWriteItems gives them
// (DuplicateItem for an INSERT whose key exists).
#include "api/input/request.h"
#include "api/ops/handlers.h"
#include "api/ops/partiql_run.h"
#include "api/ops/transactions.h"
#include "api/value/json_codec.h"
#include "api/write/submit_write.h"

namespace localddb::api {
namespace {

// TransactWriteItems names a failed insert's reason ConditionalCheckFailed; PartiQL's is
// DuplicateItem. Rewrites the cancellation for the INSERT positions.
ApiError RenameInsertFailures(const ApiError& e, const std::vector<bool>& insert) {
  if (e.kind() != ErrorKind::kTransactionCanceled) return e;
  json::Document d;
  if (json::Parse(d, "{" + e.extra_json() + "}") != json::ParseStatus::kOk || !d.IsObject()) return e;
  auto it = d.FindMember("CancellationReasons");
  if (it == d.MemberEnd() || !it->value.IsArray() || it->value.Size() != insert.size()) return e;
  std::vector<CancellationReason> reasons;
  for (rapidjson::SizeType i = 0; i < it->value.Size(); ++i) {
    const json::Value& r = it->value[i];
    CancellationReason reason;
    if (auto c = r.FindMember("Code"); c != r.MemberEnd() && c->value.IsString()) reason.code = c->value.GetString();
    if (auto m = r.FindMember("Message"); m != r.MemberEnd() && m->value.IsString())
      reason.message = m->value.GetString();
    if (auto item = r.FindMember("Item"); item != r.MemberEnd()) reason.item_json = json::Dump(item->value);
    if (insert[i] && reason.code == "ConditionalCheckFailed") {
      reason.code = "DuplicateItem";
      reason.message = "Duplicate primary key exists in table";
      reason.item_json.clear();
    }
    reasons.push_back(std::move(reason));
  }
  return TransactionCanceled(reasons);
}

}  // namespace

void ExecuteTransaction(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  const json::Value* statements = input::Array(input, "TransactStatements");
  const auto token = input::String(input, "ClientRequestToken");
  const auto capacity = input::String(input, "ReturnConsumedCapacity");
  input::Violations v;
  if (!statements) v.Missing("transactStatements");
  input::CheckListLength(statements, "transactStatements", 1, 100, v);
  input::CheckLength(token, "clientRequestToken", 1, 36, v);
  input::CheckEnum(capacity, "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"}, v);
  v.ThrowIfAny();

  std::vector<partiql::Statement> parsed;
  size_t reads = 0;
  for (rapidjson::SizeType i = 0; i < statements->Size(); ++i) {
    parsed.push_back(ReadStatement((*statements)[i], "transactStatements." + std::to_string(i + 1) + ".member."));
    if (parsed.back().IsRead()) ++reads;
  }
  if (reads != 0 && reads != parsed.size())
    throw ApiError::Validation("Transaction must contain either all reads or all writes");

  std::string body = "{\"TransactItems\":[";
  std::vector<bool> insert;
  for (size_t i = 0; i < parsed.size(); ++i) {
    const partiql::Statement& st = parsed[i];
    if (!st.returning.empty()) throw ApiError::Validation("RETURNING is not supported in a transaction");
    TableSchemaPtr table = StatementTable(ctx, st);
    const partiql::Translation t =
        st.kind == partiql::Statement::kInsert ? partiql::Insert(st, *table) : partiql::Keyed(st, *table);
    static const std::pair<std::string_view, std::string_view> kElement[] = {{"GetItem", "Get"},
                                                                             {"PutItem", "Put"},
                                                                             {"UpdateItem", "Update"},
                                                                             {"DeleteItem", "Delete"},
                                                                             {"ConditionCheck", "ConditionCheck"}};
    std::string_view element;
    for (const auto& [op, name] : kElement)
      if (op == t.operation) element = name;
    body += (i ? "," : "") + std::string("{\"") + std::string(element) + "\":{" + t.members + "}}";
    insert.push_back(st.kind == partiql::Statement::kInsert);
  }
  body += "]";
  if (capacity) body += ",\"ReturnConsumedCapacity\":\"" + std::string(*capacity) + "\"";
  if (token && !reads)
    body += ",\"ClientRequestToken\":" +
            json::Dump(json::Value(token->data(), static_cast<rapidjson::SizeType>(token->size())));
  body += "}";

  json::Document doc;
  if (const json::ParseStatus status = json::Parse(doc, body); status != json::ParseStatus::kOk) {
    if (status == json::ParseStatus::kTooDeep) throw value::NestingLimitExceeded();
    throw ApiError::Internal("Internal server error", "bad transaction translation: " + json::Excerpt(body, 300));
  }
  Respond answer = [respond, insert, reads](Outcome o) {
    if (o.error) return respond(Outcome::Fail(RenameInsertFailures(*o.error, insert)));
    // A transaction of writes answers an empty Responses list (TransactWriteItems has none).
    if (!reads && o.body.size() >= 2 && o.body.front() == '{')
      o.body = o.body == "{}" ? std::string("{\"Responses\":[]}") : "{\"Responses\":[]," + o.body.substr(1);
    respond(std::move(o));
  };
  if (reads) {
    TransactGetItems(ctx, doc, answer);
  } else {
    TransactWriteItems(ctx, doc, answer);
  }
}

}  // namespace localddb::api
