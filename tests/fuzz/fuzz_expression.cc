// fuzz_expression: the expression language (api/expr/) through api::RequestExpressions, as the
// operations reach it.
//
// Feeds: byte 0 picks the kind — 'C' ConditionExpression, 'F' FilterExpression, 'K'
// KeyConditionExpression, 'P' ProjectionExpression, 'U' UpdateExpression (any other byte: byte % 5
// in that order) — and the value layer ((byte >> 5) % 3). The bytes up to the first NUL are the
// expression text. Without a NUL, the request document is {"<Kind>Expression": text,
// "ExpressionAttributeNames": {fixed #names}, "ExpressionAttributeValues": {fixed :values}}.
// After a NUL, the rest is a JSON object used as the request document instead (its own names,
// values and legacy parameters such as Expected or AttributeUpdates), with the text set as the
// kind's member when it is non-empty.
//
// Checks: no crash / sanitizer report, and no exception other than api::ApiError out of parsing,
// Substitutions, Evaluate, AnalyzeKeyCondition, Project or ApplyUpdate. A parsed condition is
// evaluated against a fixed item and an empty one; a key condition is also split with
// AnalyzeKeyCondition (pk S / sk N); a projection is applied; an update is applied to the fixed item
// and to a key-only item, and the result must round-trip as stored JSON. With the environment
// variable LOCALDDB_FUZZ_STRICT=1, an updated item must also still be a valid item (ParseItem of its
// JSON succeeds: nesting, sets, numbers), as DynamoDB refuses updates that would break that.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/error.h"
#include "api/expr/expression.h"
#include "api/json.h"
#include "api/ops/expression_input.h"
#include "api/value/json_codec.h"
#include "fuzz_check.h"

using namespace localddb;

namespace {

constexpr const char* kMembers[] = {"ConditionExpression", "FilterExpression", "KeyConditionExpression",
                                    "ProjectionExpression", "UpdateExpression"};

constexpr std::string_view kItem = R"({
  "pk": {"S": "p1"}, "sk": {"N": "10"}, "a": {"N": "1"}, "s": {"S": "hello"}, "b": {"B": "AAEC"},
  "t": {"BOOL": true}, "z": {"NULL": true},
  "l": {"L": [{"S": "x"}, {"N": "2"}, {"M": {"x": {"S": "y"}}}, {"L": [{"N": "3"}]}]},
  "m": {"M": {"k": {"S": "v"}, "n": {"M": {"d": {"N": "3"}}}, "a.b": {"S": "dotted"}}},
  "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": ["AA==", "AQ=="]},
  "a.b": {"S": "top-level dotted name"}, "with space": {"N": "-7"}
})";

constexpr std::string_view kSubstitutions = R"({
  "ExpressionAttributeNames": {"#pk": "pk", "#sk": "sk", "#a": "a", "#s": "s", "#l": "l", "#m": "m",
    "#k": "k", "#n": "n", "#x": "x", "#ss": "ss", "#ns": "ns", "#t": "t", "#z": "z", "#dot": "a.b",
    "#sp": "with space", "#new": "new"},
  "ExpressionAttributeValues": {":p": {"S": "p1"}, ":s": {"S": "hello"}, ":h": {"S": "he"},
    ":n": {"N": "1"}, ":ten": {"N": "10"}, ":neg": {"N": "-1E-129"},
    ":big": {"N": "9.9999999999999999999999999999999999999E+125"}, ":b": {"B": "AAEC"},
    ":t": {"BOOL": true}, ":f": {"BOOL": false}, ":z": {"NULL": true}, ":l": {"L": [{"S": "x"}]},
    ":e": {"L": []}, ":m": {"M": {"k": {"S": "v"}}}, ":ss": {"SS": ["a", "c"]}, ":ns": {"NS": ["1", "3"]},
    ":bs": {"BS": ["AA=="]}, ":ty": {"S": "SS"}}
})";

const value::Item& FixedItem() {
  static const value::Item item = [] {
    json::Document doc;
    if (json::Parse(doc, kItem) != json::ParseStatus::kOk) std::abort();
    return value::ParseItem(doc);
  }();
  return item;
}

bool Strict() {
  static const bool strict = [] {
    const char* v = std::getenv("LOCALDDB_FUZZ_STRICT");
    return v && *v && std::string_view(v) != "0";
  }();
  return strict;
}

void CheckStored(const value::Item& item, const std::string& what) {
  const std::string first = value::ItemToJson(item);
  const value::Item back = value::ItemFromJson(first);
  FUZZ_CHECK(back == item, what + ": item does not round-trip as stored JSON: " + fuzz::Quote(first));
  FUZZ_CHECK(value::ItemToJson(back) == first, what + ": unstable stored JSON: " + fuzz::Quote(first));
  if (Strict()) {
    json::Document doc;
    const json::ParseStatus status = json::Parse(doc, first);
    FUZZ_CHECK(status == json::ParseStatus::kOk,
               what + ": result is not acceptable JSON (status " + std::to_string(int(status)) + "), " +
                   std::to_string(first.size()) + " bytes: " + fuzz::Quote(first, 300));
    try {
      (void)value::ParseItem(doc);
    } catch (const api::ApiError& e) {
      FUZZ_CHECK(false, what + ": result is not a valid item: " + e.message() + "\n  item: " + fuzz::Quote(first, 300));
    }
  }
}

void UseCondition(const expr::Node& node, bool key_condition) {
  try {
    (void)expr::Evaluate(node, FixedItem());
  } catch (const api::ApiError&) {
  }
  try {
    (void)expr::Evaluate(node, value::Item{});
  } catch (const api::ApiError&) {
  }
  if (key_condition) {
    try {
      (void)expr::AnalyzeKeyCondition(node, "pk", value::Type::kS, std::string("sk"), value::Type::kN);
    } catch (const api::ApiError&) {
    }
    try {
      (void)expr::AnalyzeKeyCondition(node, "s", value::Type::kS, std::nullopt, value::Type::kS);
    } catch (const api::ApiError&) {
    }
  }
}

void UseUpdate(const std::vector<expr::UpdateAction>& actions) {
  const std::vector<std::string> key_names = {"pk", "sk"};
  value::Item items[2] = {FixedItem(), value::Item{{"pk", FixedItem().at("pk")}, {"sk", FixedItem().at("sk")}}};
  for (auto& item : items) {
    try {
      const std::vector<expr::Path> touched = expr::ApplyUpdate(actions, item, key_names);
      CheckStored(item, "updated item");
      CheckStored(expr::Project(item, touched), "UPDATED_NEW projection");
    } catch (const api::ApiError&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const char* kKinds = "CFKPU";
  const uint8_t selector = data[0];
  const char* found = selector ? std::strchr(kKinds, selector) : nullptr;
  const int kind = found ? static_cast<int>(found - kKinds) : selector % 5;
  static constexpr value::ValueLayer kLayers[] = {value::ValueLayer::kEnveloped, value::ValueLayer::kBare,
                                                  value::ValueLayer::kOlder};
  value::ScopedValueLayer layer(kLayers[(selector >> 5) % 3]);

  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t nul = rest.find('\0');
  const std::string_view text = rest.substr(0, nul);

  json::Document doc;
  if (nul != std::string_view::npos) {
    if (json::Parse(doc, rest.substr(nul + 1)) != json::ParseStatus::kOk || !doc.IsObject()) return 0;
  } else if (json::Parse(doc, kSubstitutions) != json::ParseStatus::kOk) {
    std::abort();
  }
  if (!text.empty() || nul == std::string_view::npos) {
    json::Value name(kMembers[kind], doc.GetAllocator());
    json::Value value(text.data(), static_cast<rapidjson::SizeType>(text.size()), doc.GetAllocator());
    doc.RemoveMember(kMembers[kind]);
    doc.AddMember(name, value, doc.GetAllocator());
  }

  try {
    api::RequestExpressions request(doc);
    // Every accessor, in the order UpdateItem / Query use them; each only parses what is present.
    try {
      if (auto c = request.WriteCondition()) UseCondition(*c, false);
    } catch (const api::ApiError&) {
    }
    try {
      if (auto f = request.Filter((selector & 1) ? "QueryFilter" : "ScanFilter")) UseCondition(*f, false);
    } catch (const api::ApiError&) {
    }
    try {
      if (auto k = request.KeyCondition()) UseCondition(*k, true);
    } catch (const api::ApiError&) {
    }
    try {
      if (auto p = request.Projection()) {
        CheckStored(expr::Project(FixedItem(), *p), "projection");
        (void)expr::Project(value::Item{}, *p);
      }
    } catch (const api::ApiError&) {
    }
    try {
      if (auto u = request.Update()) UseUpdate(*u);
    } catch (const api::ApiError&) {
    }
    request.Finish();
  } catch (const api::ApiError&) {
  }
  return 0;
}
