// ExecuteStatement: one PartiQL statement. SELECT pages like the Query or Scan it becomes
// (Limit, NextToken); INSERT refuses an existing key with DuplicateItemException; UPDATE needs
// the item to exist; RETURNING answers the item in Items.
#include <limits>

#include "api/input/request.h"
#include "api/ops/handlers.h"
#include "api/ops/partiql_run.h"

namespace localddb::api {
namespace {

// The read's answer (Query or Scan) as ExecuteStatement's.
std::string ReadAnswer(const std::string& body) {
  json::Document d;
  if (json::Parse(d, body) != json::ParseStatus::kOk || !d.IsObject()) return body;
  json::Document out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  json::Value items(rapidjson::kArrayType);
  if (auto it = d.FindMember("Items"); it != d.MemberEnd()) items.CopyFrom(it->value, a);
  out.AddMember("Items", items, a);
  if (auto it = d.FindMember("LastEvaluatedKey"); it != d.MemberEnd()) {
    out.AddMember("NextToken", json::Value(EncodeNextToken(it->value).c_str(), a), a);
    out.AddMember("LastEvaluatedKey", json::Value(it->value, a), a);
  }
  if (auto it = d.FindMember("ConsumedCapacity"); it != d.MemberEnd())
    out.AddMember("ConsumedCapacity", json::Value(it->value, a), a);
  return json::Dump(out);
}

// A write's answer: Items holds the RETURNING image, if one was asked for.
std::string WriteAnswer(const std::string& body, bool returning) {
  json::Document d;
  if (json::Parse(d, body) != json::ParseStatus::kOk || !d.IsObject()) return body;
  // Items is always there: empty unless RETURNING gave the item.
  std::string out = "{\"Items\":[";
  if (returning) {
    auto it = d.FindMember("Attributes");
    if (it != d.MemberEnd() && it->value.IsObject() && it->value.MemberCount() > 0) out += json::Dump(it->value);
  }
  out += "]";
  if (auto it = d.FindMember("ConsumedCapacity"); it != d.MemberEnd())
    out += std::string(out.size() > 1 ? "," : "") + "\"ConsumedCapacity\":" + json::Dump(it->value);
  return out + "}";
}

}  // namespace

void ExecuteStatement(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  const auto consistent = input::Bool(input, "ConsistentRead");
  const auto next_token = input::String(input, "NextToken");
  const auto limit = input::Integer(input, "Limit");
  const auto capacity = input::String(input, "ReturnConsumedCapacity");
  const auto on_failure = input::String(input, "ReturnValuesOnConditionCheckFailure");
  input::Violations v;
  input::CheckRange(limit, "limit", 1, std::numeric_limits<int64_t>::max(), v);
  if (next_token && next_token->empty()) v.Add("nextToken", "''", "Member must have length greater than or equal to 1");
  input::CheckEnum(capacity, "returnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"}, v);
  input::CheckEnum(on_failure, "returnValuesOnConditionCheckFailure", {"ALL_OLD", "NONE"}, v);
  v.ThrowIfAny();
  const partiql::Statement st = ReadStatement(input, "");
  TableSchemaPtr table = StatementTable(ctx, st);

  std::string extra;
  if (capacity) extra += ",\"ReturnConsumedCapacity\":\"" + std::string(*capacity) + "\"";
  switch (st.kind) {
    case partiql::Statement::kSelect: {
      partiql::ReadOptions options;
      options.limit = limit;
      options.consistent = consistent.value_or(false);
      if (next_token) options.exclusive_start_key = DecodeNextToken(*next_token);
      return RunTranslation(ctx, partiql::Select(st, *table, options), extra, [respond](Outcome o) {
        if (o.error) return respond(std::move(o));
        respond(Outcome::Ok(ReadAnswer(o.body)));
      });
    }
    case partiql::Statement::kInsert:
      return RunTranslation(ctx, partiql::Insert(st, *table), extra, [respond](Outcome o) {
        if (o.error && o.error->kind() == ErrorKind::kConditionalCheckFailed)
          return respond(Outcome::Fail(ApiError(ErrorKind::kDuplicateItem, "Duplicate primary key exists in table")));
        if (o.error) return respond(std::move(o));
        respond(Outcome::Ok(WriteAnswer(o.body, false)));
      });
    case partiql::Statement::kUpdate:
    case partiql::Statement::kDelete: {
      if (on_failure) extra += ",\"ReturnValuesOnConditionCheckFailure\":\"" + std::string(*on_failure) + "\"";
      const bool returning = !st.returning.empty();
      return RunTranslation(ctx, partiql::Keyed(st, *table), extra, [respond, returning](Outcome o) {
        if (o.error) return respond(std::move(o));
        respond(Outcome::Ok(WriteAnswer(o.body, returning)));
      });
    }
    case partiql::Statement::kExists:
      throw ApiError::Validation("EXISTS is only supported inside ExecuteTransaction");
  }
}

}  // namespace localddb::api
