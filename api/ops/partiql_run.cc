#include "api/ops/partiql_run.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "api/input/request.h"
#include "api/ops/handlers.h"
#include "api/value/json_codec.h"
#include "api/write/submit_write.h"

namespace localddb::api {

partiql::Statement ReadStatement(const json::Value& request, const std::string& path) {
  if (!request.IsObject()) throw ApiError::Serialization("Unexpected value type in payload");
  const auto text = input::String(request, "Statement");
  const json::Value* parameters = input::Array(request, "Parameters");
  input::Violations v;
  if (!text) v.Missing(path + "statement");
  input::CheckLength(text, path + "statement", 1, 8192, v);
  input::CheckListLength(parameters, path + "parameters", 1, std::numeric_limits<size_t>::max(), v);
  v.ThrowIfAny();
  if (parameters)
    for (const auto& p : parameters->GetArray()) value::ParseAttributeValue(p);  // each a valid AttributeValue
  return partiql::Parse(*text, parameters);
}

// A SELECT from a global index that does not project every attribute it names is refused, the
// unprojected ones listed in the statement's order.
void CheckIndexProjection(const partiql::Statement& st, const TableSchema& t) {
  if (st.index.empty() || st.projection.empty()) return;
  const SecondaryIndex* index = t.FindIndex(st.index);
  if (!index || !index->global || index->projection.type == ProjectionType::kAll) return;
  auto projected = [&](const std::string& name) {
    for (const KeySchema* key : {&t.key, &index->key})
      for (const KeyAttribute* k : key->All())
        if (k->name == name) return true;
    return std::find(index->projection.non_key_attributes.begin(), index->projection.non_key_attributes.end(), name) !=
           index->projection.non_key_attributes.end();
  };
  std::vector<std::string> missing;
  for (const auto& path : st.projection) {
    const std::string& name = path[0].name;
    if (!projected(name) && std::find(missing.begin(), missing.end(), name) == missing.end()) missing.push_back(name);
  }
  if (missing.empty()) return;
  std::string list;
  for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
  throw ApiError::Validation("One or more parameter values were invalid: Global secondary index " + index->name +
                             " does not project [" + list + "]");
}

TableSchemaPtr StatementTable(Context& ctx, const partiql::Statement& st) {
  TableSchemaPtr t = ctx.catalog.Find(st.table);
  if (!t) throw ApiError::ResourceNotFound("Requested resource not found");
  // DynamoDB runs no PartiQL on an index whose key has several HASH or RANGE attributes (the Query
  // API reads it).
  if (!st.index.empty())
    if (const SecondaryIndex* index = t->FindIndex(st.index);
        index && (index->key.MultiHash() || index->key.MultiRange()))
      throw ApiError::Validation(
          "PartiQL statements cannot be executed on tables with multi-attribute HASH keys or multi-attribute RANGE "
          "keys.");
  CheckIndexProjection(st, *t);
  return t;
}

namespace {

// PartiQL words two refusals of the Query or Scan it becomes its own way (message prefix, its words).
constexpr std::pair<std::string_view, std::string_view> kPartiqlWording[] = {
    {"The table does not have the specified index", "The table does not have the specified index"},
    {"Consistent reads are not supported on global secondary indexes",
     "Strongly consistent read is not supported on Global Secondary Indexes"},
};

Outcome InPartiqlWords(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    if (e.kind() == ErrorKind::kValidation) {
      for (const auto& [prefix, words] : kPartiqlWording)
        if (std::string_view(e.message()).starts_with(prefix))
          return Outcome::Fail(ApiError::Validation(std::string(words)));
      // The statement's conditions become expressions, but its errors do not name them.
      for (std::string_view kind : {"Invalid FilterExpression: ", "Invalid ConditionExpression: "})
        if (std::string_view(e.message()).starts_with(kind))
          return Outcome::Fail(ApiError::Validation(e.message().substr(kind.size())));
    }
  } catch (...) {
  }
  return OutcomeFromException(error);
}

}  // namespace

void RunTranslation(Context& ctx, const partiql::Translation& t, const std::string& extra, Respond done) {
  static const std::pair<std::string_view, Handler> kHandlers[] = {
      {"Query", &Query},           {"Scan", &Scan},
      {"GetItem", &GetItem},       {"PutItem", &PutItem},
      {"UpdateItem", &UpdateItem}, {"DeleteItem", &DeleteItem},
  };
  Handler handler = nullptr;
  for (const auto& [name, h] : kHandlers)
    if (name == t.operation) handler = h;
  if (!handler)
    return done(Outcome::Fail(ApiError::Internal("Internal server error", "no handler for " + t.operation)));
  json::Document doc;
  const std::string body = "{" + t.members + extra + "}";
  if (const json::ParseStatus status = json::Parse(doc, body); status != json::ParseStatus::kOk) {
    if (status == json::ParseStatus::kTooDeep) return done(Outcome::Fail(value::NestingLimitExceeded()));
    return done(
        Outcome::Fail(ApiError::Internal("Internal server error", "bad translation: " + json::Excerpt(body, 300))));
  }
  auto responded = std::make_shared<bool>(false);
  Respond once = [done, responded](Outcome o) {
    if (*responded) return;
    *responded = true;
    done(std::move(o));
  };
  try {
    handler(ctx, doc, once);
  } catch (...) {
    once(InPartiqlWords(std::current_exception()));
  }
}

std::string EncodeNextToken(const json::Value& last_evaluated_key) {
  return value::Base64Encode(json::Dump(last_evaluated_key));
}

std::string DecodeNextToken(std::string_view token) {
  std::string text;
  json::Document doc;
  if (!value::Base64Decode(token, &text) || json::Parse(doc, text) != json::ParseStatus::kOk || !doc.IsObject())
    throw ApiError::Validation("Given NextToken is not valid");
  return text;
}

}  // namespace localddb::api
