// fuzz_partiql: the PartiQL parser (api/partiql/parser.cc) and its translation into DynamoDB
// requests (api/partiql/translate.cc), as ExecuteStatement reaches them.
//
// Feeds: the bytes are the statement text; ? takes the next of three fixed parameters (a string,
// a number and a map).
//
// Checks: no crash / sanitizer report, no exception other than api::ApiError, and every
// translation (SELECT as Query or Scan, INSERT, and the single-item forms) is one JSON object that
// json::Parse reads (or refuses only as too deep, which the operation answers with DynamoDB's
// nesting error).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/catalog/table_schema.h"
#include "api/error.h"
#include "api/json.h"
#include "api/partiql/statement.h"
#include "api/partiql/translate.h"
#include "fuzz_check.h"

using namespace localddb;

namespace {

const api::TableSchema& Table() {
  static const api::TableSchema table = [] {
    api::TableSchema t;
    t.name = "t";
    t.key.hash = {"pk", value::Type::kS};
    t.key.range = api::KeyAttribute{"sk", value::Type::kN};
    api::SecondaryIndex gsi;
    gsi.name = "g";
    gsi.key.hash = {"gk", value::Type::kS};
    t.indexes.push_back(gsi);
    return t;
  }();
  return table;
}

void CheckTranslation(const api::partiql::Translation& t, std::string_view statement) {
  const std::string body = "{" + t.members + "}";
  json::Document doc;
  const json::ParseStatus status = json::Parse(doc, body);
  if (status != json::ParseStatus::kOk && status != json::ParseStatus::kTooDeep)
    fuzz::Fail(__FILE__, __LINE__, "translation is JSON",
               "statement " + fuzz::Quote(statement) + "\ntranslated to " + fuzz::Quote(body));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static json::Document params = [] {
    json::Document d;
    json::Parse(d, R"([{"S":"p"},{"N":"1"},{"M":{"a":{"L":[{"BOOL":true}]}}}])");
    return d;
  }();
  try {
    api::partiql::Statement st = api::partiql::Parse(text, &params);
    try {
      if (st.kind == api::partiql::Statement::kSelect) CheckTranslation(api::partiql::Select(st, Table(), {}), text);
    } catch (const api::ApiError&) {
    }
    try {
      if (st.kind == api::partiql::Statement::kInsert) CheckTranslation(api::partiql::Insert(st, Table()), text);
    } catch (const api::ApiError&) {
    }
    try {
      if (st.kind != api::partiql::Statement::kInsert) CheckTranslation(api::partiql::Keyed(st, Table()), text);
    } catch (const api::ApiError&) {
    }
  } catch (const api::ApiError&) {
  }
  return 0;
}
