#include "api/expr/expression.h"

#include <catch2/catch.hpp>

#include "api/error.h"
#include "api/value/json_codec.h"

using namespace localddb;
using namespace localddb::expr;

namespace {

value::Item ItemOf(const char* json) {
  json::Document d;
  d.Parse(json);
  return value::ParseItem(d);
}

// Substitutions from JSON text of names and values ("" for none).
struct Subs {
  json::Document names, values;
  Substitutions subs;
  Subs(const char* n, const char* v) {
    if (*n) names.Parse(n);
    if (*v) values.Parse(v);
    subs = Substitutions(*n ? &names : nullptr, *v ? &values : nullptr);
  }
};

const char* kItem = R"({"pk":{"S":"a"},"n":{"N":"5"},"s":{"S":"hello"},"b":{"B":"AQI="},"t":{"BOOL":true},)"
                    R"("l":{"L":[{"S":"x"},{"N":"2"}]},"m":{"M":{"k":{"S":"v"},"deep":{"M":{"x":{"N":"1"}}}}},)"
                    R"("ss":{"SS":["a","b"]},"ns":{"NS":["1","2"]},"z":{"NULL":true}})";

const char* kValues =
    R"({":five":{"N":"5"},":four":{"N":"4"},":six":{"N":"6"},":hel":{"S":"hel"},":x":{"S":"x"},":a":{"S":"a"},)"
    R"(":S":{"S":"S"},":two":{"N":"2"},":str":{"S":"5"},":b1":{"B":"AQ=="},":one":{"N":"1"},":v":{"S":"v"}})";

bool Eval(const std::string& text) {
  Subs s("", kValues);
  Node n = ParseCondition(text, Kind::kCondition, s.subs);
  return Evaluate(n, ItemOf(kItem));
}

std::string ParseError(const std::string& text, Kind kind = Kind::kCondition, const char* names = "",
                       const char* values = kValues) {
  Subs s(names, values);
  try {
    if (kind == Kind::kUpdate)
      ParseUpdate(text, s.subs);
    else if (kind == Kind::kProjection)
      ParseProjection(text, s.subs);
    else
      ParseCondition(text, kind, s.subs);
  } catch (const api::ApiError& e) {
    return e.message();
  }
  return "";
}

}  // namespace

TEST_CASE("conditions evaluate with DynamoDB's semantics") {
  const std::pair<const char*, bool> cases[] = {
      {"n = :five", true},
      {"n <> :five", false},
      {"n < :six AND n > :four", true},
      {"n <= :five AND n >= :five", true},
      {"n = :str", false},   // different types never compare equal
      {"s < :five", false},  // nor order
      {"n BETWEEN :four AND :six", true},
      {"n BETWEEN :six AND :six", false},
      {"n IN (:four, :five)", true},
      {"n IN (:four, :six)", false},
      {"absent = :five", false},
      {"absent <> :five", true},
      {"attribute_exists(pk)", true},
      {"attribute_exists(absent)", false},
      {"attribute_not_exists(absent)", true},
      {"attribute_exists(m.deep.x)", true},
      {"attribute_exists(l[1])", true},
      {"attribute_exists(l[2])", false},
      {"attribute_type(s, :S)", true},
      {"begins_with(s, :hel)", true},
      {"begins_with(n, :hel)", false},
      {"begins_with(b, :b1)", true},
      {"contains(s, :hel)", true},
      {"contains(ss, :a)", true},
      {"contains(ns, :one)", true},
      {"contains(l, :x)", true},
      {"contains(l, :a)", false},
      {"size(s) = :five", true},
      {"size(l) = :two", true},
      {"size(ss) = :two", true},
      {"size(m) = :two", true},
      {"size(n) = :one", false},
      {"m.k = :v", true},
      {"l[0] = :x", true},
      {"NOT n = :five", false},
      {"n = :four OR n = :five", true},
      {"n = :four OR n = :five AND s = :x", false},  // AND binds tighter than OR
      {"(n = :four OR n = :five) AND pk = :a", true},
      {"NOT n = :four AND n = :five", true},  // NOT binds tighter than AND
  };
  for (auto [text, expected] : cases) {
    INFO(text);
    CHECK(Eval(text) == expected);
  }
}

TEST_CASE("condition syntax and resolution errors") {
  CHECK(ParseError("n = ") == "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
  CHECK(ParseError("status = :five") ==
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status");
  CHECK(ParseError("#n = :five") ==
        "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute "
        "name: #n");
  CHECK(ParseError("n = :nope") ==
        "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute "
        "value: :nope");
  CHECK(ParseError("foo(n)") == "Invalid ConditionExpression: Invalid function name; function: foo");
  CHECK(ParseError("begins_with(s)") ==
        "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: "
        "begins_with, number of operands: 1");
  CHECK(ParseError("begins_with(s, :five)") ==
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: "
        "begins_with, operand type: N");
  CHECK(ParseError("n BETWEEN :six AND :four") ==
        "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower "
        "bound; "
        "lower bound operand: AttributeValue: {N:6}, upper bound operand: AttributeValue: {N:4}");
  CHECK(ParseError("n BETWEEN :six AND :hel") ==
        "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; "
        "lower bound operand: AttributeValue: {N:6}, upper bound operand: AttributeValue: {S:hel}");
  CHECK(
      ParseError("size(s)") ==
      "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size");
  CHECK(ParseError("attribute_exists(:five)") ==
        "Invalid ConditionExpression: Operator or function requires a document path; operator or function: "
        "attribute_exists");
  CHECK(ParseError("n = :five", Kind::kFilter).empty());
  CHECK(ParseError("n = $", Kind::kFilter).rfind("Invalid FilterExpression: Syntax error; token: \"$\"", 0) == 0);
  // Unquoted names start with a letter; '_' and multi-byte characters start no token.
  CHECK(ParseError("_n = :five").rfind("Invalid ConditionExpression: Syntax error; token: \"_\"", 0) == 0);
  CHECK(ParseError("n_1 = :five").empty());
  CHECK(ParseError("n = \xC3\xA9").rfind("Invalid ConditionExpression: Syntax error; token: \"\xC3\xA9\"", 0) == 0);
  CHECK(ParseError("") == "Invalid ConditionExpression: The expression can not be empty;");
  CHECK(ParseError("n = :one" + std::string(4100, ' ')) ==
        "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4108");
  CHECK(ParseError("n = = :one") == "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"= = :one\"");
  CHECK(ParseError("((n = :one))") == "Invalid ConditionExpression: The expression has redundant parentheses;");
  CHECK(ParseError("(n = :one)").empty());
  CHECK(ParseError("(n = :one) AND (s = :a)").empty());
  CHECK(ParseError("n = n") ==
        "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator "
        "or function; operator: =, first operand: [n]");
  CHECK(ParseError("n < :ss", Kind::kCondition, "", R"({":ss":{"SS":["a"]}})") ==
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, "
        "operand type: SS");
  std::string in = "n IN (:one";
  for (int i = 0; i < 100; ++i) in += ", :one";
  CHECK(ParseError(in + ")") ==
        "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101");
  std::string deep(300, '(');
  CHECK(ParseError(deep + "n = :one" + std::string(300, ')')) ==
        "Invalid ConditionExpression: The expression has too many levels of nesting");
}

TEST_CASE("unused and empty substitutions") {
  {
    Subs s(R"({"#a":"n","#b":"x"})", R"({":v":{"N":"1"}})");
    ParseCondition("#a = :v", Kind::kCondition, s.subs);
    CHECK_THROWS_WITH(s.subs.CheckAllUsed(true),
                      "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
  }
  {
    Subs s("", R"({":v":{"N":"1"},":w":{"N":"1"}})");
    ParseCondition("n = :v", Kind::kCondition, s.subs);
    CHECK_THROWS_WITH(s.subs.CheckAllUsed(true),
                      "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}");
  }
  {
    Subs s(R"({"#a":"n"})", "");
    CHECK_THROWS_WITH(
        s.subs.CheckAllUsed(false),
        "1 validation error detected: ExpressionAttributeNames can only be specified when using expressions");
  }
  json::Document empty;
  empty.Parse("{}");
  CHECK_THROWS_WITH(Substitutions(&empty, nullptr), "ExpressionAttributeNames must not be empty");
  CHECK_THROWS_WITH(Substitutions(nullptr, &empty), "ExpressionAttributeValues must not be empty");
}

TEST_CASE("projections pick nested paths and refuse overlaps") {
  Subs s(R"({"#m":"m"})", "");
  auto paths = ParseProjection("#m.k, l[1], s", s.subs);
  CHECK(value::ItemToJson(Project(ItemOf(kItem), paths)) ==
        R"({"l":{"L":[{"N":"2"}]},"m":{"M":{"k":{"S":"v"}}},"s":{"S":"hello"}})");
  CHECK(ParseError("a, a.b", Kind::kProjection, "", "") ==
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these "
        "paths; "
        "path one: [a], path two: [a, b]");
  CHECK(ParseError("a.b, a[0]", Kind::kProjection, "", "") ==
        "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of "
        "these paths; "
        "path one: [a, b], path two: [a, [0]]");
}

TEST_CASE("update actions") {
  auto apply = [](const char* update, const char* values, const char* item_json) {
    Subs s("", values);
    auto actions = ParseUpdate(update, s.subs);
    value::Item item = ItemOf(item_json);
    ApplyUpdate(actions, item, {"pk"});
    return value::ItemToJson(item);
  };
  CHECK(apply("SET a = a + :one", R"({":one":{"N":"1"}})", R"({"pk":{"S":"k"},"a":{"N":"41"}})") ==
        R"({"a":{"N":"42"},"pk":{"S":"k"}})");
  CHECK(apply("SET a = :v, b = a", R"({":v":{"N":"2"}})", R"({"pk":{"S":"k"},"a":{"N":"1"}})") ==
        R"({"a":{"N":"2"},"b":{"N":"1"},"pk":{"S":"k"}})");  // operands see the item before the update
  CHECK(apply("REMOVE l[0], l[2]", "", R"({"pk":{"S":"k"},"l":{"L":[{"N":"0"},{"N":"1"},{"N":"2"},{"N":"3"}]}})") ==
        R"({"l":{"L":[{"N":"1"},{"N":"3"}]},"pk":{"S":"k"}})");
  CHECK(apply("ADD n :two, s :set", R"({":two":{"N":"2"},":set":{"SS":["b"]}})",
              R"({"pk":{"S":"k"},"s":{"SS":["a"]}})") == R"({"n":{"N":"2"},"pk":{"S":"k"},"s":{"SS":["a","b"]}})");
  CHECK(apply("DELETE s :set", R"({":set":{"SS":["a"]}})", R"({"pk":{"S":"k"},"s":{"SS":["a"]}})") ==
        R"({"pk":{"S":"k"}})");
  CHECK(apply("SET l = list_append(l, :x)", R"({":x":{"L":[{"S":"y"}]}})",
              R"({"pk":{"S":"k"},"l":{"L":[{"S":"x"}]}})") == R"({"l":{"L":[{"S":"x"},{"S":"y"}]},"pk":{"S":"k"}})");
  CHECK(apply("SET m.a.b = :one", R"({":one":{"N":"1"}})", R"({"pk":{"S":"k"},"m":{"M":{"a":{"M":{}}}}})") ==
        R"({"m":{"M":{"a":{"M":{"b":{"N":"1"}}}}},"pk":{"S":"k"}})");
  CHECK_THROWS_WITH(apply("SET m.x.y = :one", R"({":one":{"N":"1"}})", R"({"pk":{"S":"k"},"m":{"M":{}}})"),
                    "The document path provided in the update expression is invalid for update");
  CHECK_THROWS_WITH(
      apply("SET pk = :one", R"({":one":{"N":"1"}})", R"({"pk":{"S":"k"}})"),
      "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
  CHECK_THROWS_WITH(apply("SET a = b + :one", R"({":one":{"N":"1"}})", R"({"pk":{"S":"k"},"b":{"S":"x"}})"),
                    "An operand in the update expression has an incorrect data type");
  CHECK_THROWS_WITH(apply("SET a = :big + :big", R"({":big":{"N":"9E+125"}})", R"({"pk":{"S":"k"}})"),
                    "Number overflow. Attempting to store a number with magnitude larger than supported range");
  CHECK(ParseError("SET a = :v REMOVE a", Kind::kUpdate, "", R"({":v":{"N":"1"}})") ==
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these "
        "paths; "
        "path one: [a], path two: [a]");
  CHECK(ParseError("REMOVE a REMOVE b", Kind::kUpdate, "", "") ==
        "Invalid UpdateExpression: The \"REMOVE\" section can only be used once in an update expression;");
}

TEST_CASE("key conditions split into hash and range parts") {
  Subs s("", R"({":p":{"S":"p"},":lo":{"S":"a"},":hi":{"S":"c"},":n":{"N":"1"}})");
  auto analyze = [&](const char* text) {
    return AnalyzeKeyCondition(ParseCondition(text, Kind::kKeyCondition, s.subs), "pk", value::Type::kS,
                               std::string("sk"), value::Type::kS);
  };
  auto kc = analyze("pk = :p AND sk BETWEEN :lo AND :hi");
  CHECK(kc.hash_value.s() == "p");
  CHECK(kc.range_op == "BETWEEN");
  CHECK(kc.range_values.size() == 2);
  CHECK(analyze(":lo < sk AND pk = :p").range_op == ">");
  CHECK(analyze("begins_with(sk, :lo) AND pk = :p").range_op == "begins_with");
  CHECK_THROWS_WITH(analyze("sk = :lo"), "Query condition missed key schema element: pk");
  // Two conditions on one key attribute are refused as such before the conditions are counted
  // (the public conformance suite's capture of DynamoDB, 2026).
  CHECK_THROWS_WITH(analyze("pk = :p AND sk > :lo AND sk < :hi"),
                    "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key");
  CHECK_THROWS_WITH(
      analyze("pk = :p AND sk > :lo AND extra < :hi"),
      "The number of query conditions (3) exceeds the number of key attributes defined in the schema (2)");
  CHECK_THROWS_WITH(analyze("sk > :lo AND sk < :hi"),
                    "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key");
  CHECK_THROWS_WITH(analyze("pk < :p"), "Query key condition not supported");
  // A non-key attribute: the key element the condition lacks is named.
  CHECK_THROWS_WITH(analyze("color = :p"), "Query condition missed key schema element: pk");
  CHECK_THROWS_WITH(analyze("pk = :p AND color = :lo"), "Query condition missed key schema element: sk");
  CHECK_THROWS_WITH(analyze("color = :p AND sk = :lo"), "Query condition missed key schema element: pk");
  CHECK_THROWS_WITH(analyze("pk = :n"),
                    "One or more parameter values were invalid: Condition parameter type does not match schema type");
  CHECK_THROWS_WITH(analyze("pk = :p OR sk = :lo"), "Invalid operator used in KeyConditionExpression: OR");
}

TEST_CASE("an expression may hold at most 300 operators and functions") {
  auto condition = [](int comparisons) {
    std::string text;
    for (int i = 0; i < comparisons; ++i) text += (i ? " OR a = :v" : "a = :v");
    return text;
  };
  json::Document values;
  values.Parse(R"({":v":{"S":"x"}})");
  auto error_of = [&](const std::string& text) -> std::string {
    expr::Substitutions subs(nullptr, &values);
    try {
      expr::ParseCondition(text, expr::Kind::kCondition, subs);
    } catch (const api::ApiError& e) {
      return e.message();
    }
    return "";
  };
  CHECK(error_of(condition(150)).empty());  // 150 comparisons and 149 ORs: 299
  CHECK(error_of(condition(151)) ==         // 151 and 150: 301
        "Invalid ConditionExpression: The expression contains too many operators; operator count: 301");
}
