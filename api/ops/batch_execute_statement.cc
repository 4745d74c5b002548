// BatchExecuteStatement: up to 25 PartiQL statements, each reading or writing one item by its
// full key, each succeeding or failing on its own: a failure is that statement's Error
// (Code, Message, and the item when ALL_OLD was asked for), never the request's.
#include <atomic>
#include <memory>

#include "api/input/request.h"
#include "api/ops/handlers.h"
#include "api/ops/partiql_run.h"
#include "api/write/submit_write.h"

namespace localddb::api {
namespace {

// BatchStatementError codes by error kind.
std::string_view ErrorCode(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kConditionalCheckFailed:
      return "ConditionalCheckFailed";
    case ErrorKind::kDuplicateItem:
      return "DuplicateItem";
    case ErrorKind::kResourceNotFound:
      return "ResourceNotFound";
    case ErrorKind::kProvisionedThroughputExceeded:
      return "ProvisionedThroughputExceeded";
    case ErrorKind::kTransactionConflict:
      return "TransactionConflict";
    case ErrorKind::kRequestLimitExceeded:
      return "RequestLimitExceeded";
    case ErrorKind::kItemCollectionSizeLimitExceeded:
      return "ItemCollectionSizeLimitExceeded";
    case ErrorKind::kThrottling:
      return "ThrottlingError";
    case ErrorKind::kAccessDenied:
      return "AccessDenied";
    case ErrorKind::kInternalServerError:
    case ErrorKind::kInternalFailure:
      return "InternalServerError";
    default:
      return "ValidationError";
  }
}

// The statements run side by side (each is one item's read or write); the answer goes out when
// the last has finished, on whichever thread finished it.
struct Batch {
  std::vector<std::string> responses;  // one JSON object per statement
  std::atomic<size_t> pending{0};
  Respond respond;

  void Finished() {
    if (pending.fetch_sub(1) != 1) return;
    std::string body = "{\"Responses\":[";
    for (size_t k = 0; k < responses.size(); ++k) body += (k ? "," : "") + responses[k];
    respond(Outcome::Ok(body + "]}"));
  }
};

std::string ErrorResponse(const std::string& table, const ApiError& e) {
  std::string out = "{";
  if (!table.empty())
    out +=
        "\"TableName\":" + json::Dump(json::Value(table.c_str(), static_cast<rapidjson::SizeType>(table.size()))) + ",";
  out += "\"Error\":{\"Code\":\"" + std::string(ErrorCode(e.kind())) + "\",\"Message\":" +
         json::Dump(json::Value(e.message().c_str(), static_cast<rapidjson::SizeType>(e.message().size())));
  if (!e.extra_json().empty()) out += "," + e.extra_json();  // "Item": the ALL_OLD image
  return out + "}}";
}

}  // namespace

void BatchExecuteStatement(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  const json::Value* statements = input::Array(input, "Statements");
  const auto capacity = input::String(input, "ReturnConsumedCapacity");
  input::Violations v;
  if (!statements) v.Missing("statements");
  input::CheckListLength(statements, "statements", 1, 25, v);
  input::CheckEnum(capacity, "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"}, v);
  v.ThrowIfAny();

  auto batch = std::make_shared<Batch>();
  batch->respond = std::move(respond);
  batch->responses.resize(statements->Size());
  std::vector<std::function<void()>> steps;
  for (rapidjson::SizeType i = 0; i < statements->Size(); ++i) {
    const json::Value& request = (*statements)[i];
    const std::string path = "statements." + std::to_string(i + 1) + ".member.";
    std::string& slot = batch->responses[i];
    std::string table_name;
    try {
      partiql::Statement st = ReadStatement(request, path);
      table_name = st.table;
      TableSchemaPtr table = StatementTable(ctx, st);
      if (st.kind == partiql::Statement::kExists)
        throw ApiError::Validation("EXISTS is only supported inside ExecuteTransaction");
      // A SELECT in a batch reads one item by its whole primary key, and says so in these words.
      constexpr const char* kKeyedSelect =
          "Select statements within BatchExecuteStatement must specify the primary key in the where clause.";
      if (st.kind == partiql::Statement::kSelect && !st.index.empty()) throw ApiError::Validation(kKeyedSelect);
      partiql::Translation t;
      try {
        t = st.kind == partiql::Statement::kInsert ? partiql::Insert(st, *table) : partiql::Keyed(st, *table);
      } catch (const ApiError& e) {
        if (st.kind != partiql::Statement::kSelect || e.kind() != ErrorKind::kValidation ||
            !std::string_view(e.message()).starts_with("Where clause does not contain a mandatory equality"))
          throw;
        throw ApiError::Validation(kKeyedSelect);
      }
      std::string extra;
      if (request.IsObject()) {
        if (auto c = input::Bool(request, "ConsistentRead"); c && *c && st.IsRead())
          extra += ",\"ConsistentRead\":true";
        if (auto f = input::String(request, "ReturnValuesOnConditionCheckFailure"); f && !st.IsRead())
          extra += ",\"ReturnValuesOnConditionCheckFailure\":" +
                   json::Dump(json::Value(f->data(), static_cast<rapidjson::SizeType>(f->size())));
      }
      const bool insert = st.kind == partiql::Statement::kInsert;
      const bool read = st.IsRead();
      steps.push_back([&ctx, t, extra, table_name, insert, read, &slot, batch] {
        RunTranslation(ctx, t, extra, [&slot, table_name, insert, read, batch](Outcome o) {
          const std::string table_json =
              json::Dump(json::Value(table_name.c_str(), static_cast<rapidjson::SizeType>(table_name.size())));
          if (o.error) {
            ApiError e = *o.error;
            if (insert && e.kind() == ErrorKind::kConditionalCheckFailed)
              e = ApiError(ErrorKind::kDuplicateItem, "Duplicate primary key exists in table");
            slot = ErrorResponse(table_name, e);
          } else if (read) {
            json::Document d;
            json::Parse(d, o.body);
            slot = "{\"TableName\":" + table_json;
            if (d.IsObject())
              if (auto it = d.FindMember("Item"); it != d.MemberEnd()) slot += ",\"Item\":" + json::Dump(it->value);
            slot += "}";
          } else {
            slot = "{\"TableName\":" + table_json + "}";
          }
          batch->Finished();
        });
      });
    } catch (const ApiError& e) {
      slot = ErrorResponse(table_name, e);
    }
  }
  // Statements refused while reading are answered already; the rest finish as they run, each
  // holding the batch until its answer is in.
  batch->pending = steps.size() + 1;
  for (auto& step : steps) step();
  batch->Finished();
}

}  // namespace localddb::api
