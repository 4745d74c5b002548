// The PartiQL parser: a hand-written lexer and recursive descent over DynamoDB's subset
// (SELECT, INSERT, UPDATE, DELETE, EXISTS). Literals become DynamoDB JSON as they are read.
#include <cctype>

#include "api/error.h"
#include "api/partiql/statement.h"
#include "api/value/decimal.h"
#include "api/value/json_codec.h"

namespace localddb::api::partiql {
namespace {

[[noreturn]] void Malformed(const std::string& detail) {
  throw ApiError::Validation("Statement wasn't well formed, can't be processed: " + detail);
}

struct Token {
  enum Kind { kEnd, kWord, kQuoted, kString, kNumber, kParam, kPunct };
  Kind kind = kEnd;
  std::string text;  // kQuoted/kString: unescaped content
  size_t offset = 0;
};

std::vector<Token> Lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  auto quoted = [&](char q, Token::Kind kind) {
    Token t{kind, {}, i};
    ++i;
    for (;;) {
      if (i >= s.size())
        Malformed(kind == Token::kString ? "unterminated string literal" : "unterminated quoted identifier");
      if (s[i] == q) {
        if (i + 1 < s.size() && s[i + 1] == q) {  // '' or "" inside: one quote
          t.text += q;
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      t.text += s[i++];
    }
    out.push_back(std::move(t));
  };
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {  // a comment to the end of the line
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {  // a block comment
      const size_t end = s.find("*/", i + 2);
      if (end == std::string_view::npos) Malformed("");
      i = end + 2;
    } else if (c == '\'') {
      quoted('\'', Token::kString);
    } else if (c == '"') {
      quoted('"', Token::kQuoted);
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      Token t{Token::kNumber, {}, i};
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) t.text += s[i++];
      if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        t.text += s[i++];
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) t.text += s[i++];
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) t.text += s[i++];
      }
      out.push_back(std::move(t));
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$') {
      Token t{Token::kWord, {}, i};
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '$'))
        t.text += s[i++];
      out.push_back(std::move(t));
    } else if (c == '?') {
      out.push_back({Token::kParam, "?", i++});
    } else {
      static constexpr std::string_view kTwo[] = {"<>", "!=", "<=", ">=", "<<", ">>"};
      Token t{Token::kPunct, {}, i};
      for (auto two : kTwo)
        if (s.substr(i, 2) == two) t.text = two;
      if (t.text.empty()) {
        if (c == '#') Malformed("");  // DynamoDB names nothing for a '#' (no comment in PartiQL)
        if (std::string_view("()[]{},.:*=<>+-").find(c) == std::string_view::npos)
          Malformed("unexpected character '" + json::Excerpt(s.substr(i, 1), 4) + "'");
        t.text = std::string(1, c);
      }
      i += t.text.size();
      out.push_back(std::move(t));
    }
  }
  out.push_back({Token::kEnd, {}, s.size()});
  return out;
}

bool Keyword(const Token& t, std::string_view word) {
  if (t.kind != Token::kWord || t.text.size() != word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(t.text[i])) != word[i]) return false;
  return true;
}

std::string Json(const std::string& type, const std::string& text) {
  json::Value v(rapidjson::kObjectType);
  json::Document d;
  v.AddMember(json::Value(type.c_str(), d.GetAllocator()), json::Value(text.c_str(), d.GetAllocator()),
              d.GetAllocator());
  return json::Dump(v);
}

// Literals nest like the attribute values they become: past this depth the statement is refused
// with DynamoDB's nesting error before any recursion goes further (attribute values may nest 32
// levels; the few beyond are left for the value codec to refuse in its words). Conditions (
// parentheses, NOT) may nest deeper, but not without bound.
constexpr int kMaxLiteralDepth = 40;
constexpr int kMaxConditionDepth = 200;

// Counts one level of nesting for as long as it lives.
struct Nest {
  Nest(int& depth, int max, bool literal) : depth_(depth) {
    if (++depth_ <= max) return;
    if (literal) throw value::NestingLimitExceeded();
    Malformed("conditions nested too deeply");
  }
  ~Nest() { --depth_; }
  int& depth_;
};

class Parser {
 public:
  Parser(std::string_view text, const json::Value* parameters)
      : text_(text), tokens_(Lex(text)), parameters_(parameters) {}

  Statement ParseStatement() {
    Statement st;
    if (Accept("SELECT")) {
      ParseSelect(st);
    } else if (Accept("INSERT")) {
      ParseInsert(st);
    } else if (Accept("UPDATE")) {
      ParseUpdate(st);
    } else if (Accept("DELETE")) {
      ParseDelete(st);
    } else if (Accept("FROM")) {
      ParseFromFirstUpdate(st);
    } else if (Accept("EXISTS")) {
      Expect("(");
      if (!Accept("SELECT")) Malformed("EXISTS takes a SELECT statement");
      ParseSelect(st);
      Expect(")");
      st.kind = Statement::kExists;
    } else {
      Malformed("Expected data manipulation");
    }
    if (Peek().kind != Token::kEnd) Malformed("Unexpected token after expression");
    const size_t given = parameters_ ? parameters_->Size() : 0;
    if (used_parameters_ != given)
      throw ApiError::Validation("Number of parameters in request and statement don't match.");
    return st;
  }

 private:
  const Token& Peek(size_t ahead = 0) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  const Token& Next() {
    const Token& t = Peek();
    if (pos_ < tokens_.size() - 1) ++pos_;
    return t;
  }
  // "line:column:length" of a token, as DynamoDB places PartiQL errors (1-based).
  std::string Position(const Token& t) const {
    size_t line = 1, line_start = 0;
    for (size_t i = 0; i < t.offset && i < text_.size(); ++i)
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    return std::to_string(line) + ":" + std::to_string(t.offset - line_start + 1) + ":" + std::to_string(t.text.size());
  }

  bool IsPunct(std::string_view p, size_t ahead = 0) const {
    return Peek(ahead).kind == Token::kPunct && Peek(ahead).text == p;
  }
  bool Accept(std::string_view word_or_punct) {
    const bool punct = !std::isalpha(static_cast<unsigned char>(word_or_punct[0]));
    if (punct ? IsPunct(word_or_punct) : Keyword(Peek(), word_or_punct)) {
      Next();
      return true;
    }
    return false;
  }
  void Expect(std::string_view word_or_punct) {
    if (!Accept(word_or_punct)) Unexpected("expected " + std::string(word_or_punct));
  }
  [[noreturn]] void Unexpected(const std::string& wanted = {}) const {
    const Token& t = Peek();
    std::string what = t.kind == Token::kEnd ? "unexpected end of statement"
                                             : "unexpected token '" + json::Excerpt(t.text, 40) + "' at offset " +
                                                   std::to_string(t.offset);
    Malformed(wanted.empty() ? what : what + ", " + wanted);
  }

  std::string Identifier() {
    const Token& t = Peek();
    if (t.kind != Token::kWord && t.kind != Token::kQuoted) Unexpected("expected a name");
    Next();
    return t.text;
  }

  Path ParsePath() {
    Path p{{Identifier(), -1}};
    for (;;) {
      if (Accept(".")) {
        p.push_back({Identifier(), -1});
      } else if (Accept("[")) {
        const Token& t = Next();
        if (t.kind == Token::kNumber && t.text.find_first_not_of("0123456789") == std::string::npos) {
          p.push_back({{}, std::stoll(t.text.substr(0, 9))});
        } else if (t.kind == Token::kString) {
          p.push_back({t.text, -1});
        } else {
          Malformed("a path index must be a non-negative integer or a string");
        }
        Expect("]");
      } else {
        return p;
      }
    }
  }

  void ParseTable(Statement& st) {
    st.table = Identifier();
    if (Accept(".")) st.index = Identifier();
    RejectAlias();
  }

  // FROM "t" AS x / FROM "t" x: DynamoDB's PartiQL takes no aliases.
  void RejectAlias() {
    const Token& t = Peek();
    if (t.kind != Token::kWord) return;
    for (std::string_view clause : {"WHERE", "ORDER", "SET", "REMOVE", "RETURNING"})
      if (Keyword(t, clause)) return;
    throw ApiError::Validation("Aliasing is not supported");
  }

  void ParseSelect(Statement& st) {
    st.kind = Statement::kSelect;
    if (!Accept("*")) {
      do st.projection.push_back(ParsePath());
      while (Accept(","));
    }
    Expect("FROM");
    ParseTable(st);
    if (Accept("WHERE")) st.where = ParseOr();
    if (Accept("ORDER")) {
      Expect("BY");
      st.order_by = ParsePath();
      if (Accept("DESC"))
        st.descending = true;
      else
        Accept("ASC");
    }
  }

  void ParseInsert(Statement& st) {
    st.kind = Statement::kInsert;
    Expect("INTO");
    st.table = Identifier();
    Expect("VALUE");
    st.item = Value();
    if (st.item.rfind("{\"M\":", 0) != 0) Malformed("INSERT takes one item, a tuple {'attribute': value, ...}");
    st.item = st.item.substr(5, st.item.size() - 6);  // the map's contents: an item
  }

  // FROM "table" WHERE ... SET ... REMOVE ... [RETURNING ...]: an UPDATE with its clauses turned round.
  void ParseFromFirstUpdate(Statement& st) {
    st.kind = Statement::kUpdate;
    st.table = Identifier();
    RejectAlias();
    Expect("WHERE");
    st.where = ParseOr();
    if (!ParseActions(st)) Unexpected("expected SET or REMOVE");
    ParseReturning(st);
  }

  // SET and REMOVE clauses, in any number and order; false if there is none.
  bool ParseActions(Statement& st) {
    bool any = false;
    for (;;) {
      if (Accept("SET")) {
        do st.actions.push_back(ParseSet());
        while (Accept(","));
      } else if (Accept("REMOVE")) {
        do st.actions.push_back({Action::kRemove, ParsePath(), {}});
        while (Accept(","));
      } else {
        return any;
      }
      any = true;
    }
  }

  void ParseUpdate(Statement& st) {
    st.kind = Statement::kUpdate;
    st.table = Identifier();
    RejectAlias();
    if (!ParseActions(st)) Unexpected("expected SET or REMOVE");
    Expect("WHERE");
    st.where = ParseOr();
    ParseReturning(st);
  }

  Action ParseSet() {
    Action a;
    a.path = ParsePath();
    Expect("=");
    if (Peek().kind == Token::kWord && IsPunct("(", 1)) {
      const std::string fn = Peek().text;
      std::string lower;
      for (char c : fn) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "list_append" || lower == "set_add" || lower == "set_delete") {
        Next();
        Next();
        a.kind = lower == "list_append" ? Action::kListAppend
                 : lower == "set_add"   ? Action::kSetAdd
                                        : Action::kSetDelete;
        a.args.push_back(ParseOperand());
        Expect(",");
        a.args.push_back(ParseOperand());
        Expect(")");
        return a;
      }
    }
    a.args.push_back(ParseOperand());
    if (Accept("+")) {
      a.kind = Action::kPlus;
      a.args.push_back(ParseOperand());
    } else if (Accept("-")) {
      a.kind = Action::kMinus;
      a.args.push_back(ParseOperand());
    }
    return a;
  }

  void ParseDelete(Statement& st) {
    st.kind = Statement::kDelete;
    Expect("FROM");
    st.table = Identifier();
    RejectAlias();
    Expect("WHERE");
    st.where = ParseOr();
    ParseReturning(st);
    if (!st.returning.empty() && st.returning != "ALL_OLD")
      throw ApiError::Validation("Invalid returning clause: only RETURNING ALL OLD * is allowed in DELETE statements.");
  }

  void ParseReturning(Statement& st) {
    if (!Accept("RETURNING")) return;
    std::string which = Accept("ALL") ? "ALL_" : Accept("MODIFIED") ? "UPDATED_" : "";
    if (which.empty()) Unexpected("expected ALL or MODIFIED");
    if (Accept("OLD"))
      which += "OLD";
    else if (Accept("NEW"))
      which += "NEW";
    else
      Unexpected("expected OLD or NEW");
    Expect("*");
    st.returning = which;
  }

  // Conditions: OR of ANDs of NOTs of predicates.
  Condition ParseOr() {
    Condition left = ParseAnd();
    while (Accept("OR")) {
      Condition c{Condition::kOr, {}, {std::move(left), ParseAnd()}, {}};
      left = std::move(c);
    }
    return left;
  }
  Condition ParseAnd() {
    Condition left = ParseNot();
    while (Accept("AND")) {
      Condition c{Condition::kAnd, {}, {std::move(left), ParseNot()}, {}};
      left = std::move(c);
    }
    return left;
  }
  Condition ParseNot() {
    Nest nest(condition_depth_, kMaxConditionDepth, false);
    if (Accept("NOT")) return {Condition::kNot, {}, {ParseNot()}, {}};
    return ParsePredicate();
  }

  Condition ParsePredicate() {
    if (IsPunct("(")) {
      Next();
      Condition c = ParseOr();
      Expect(")");
      return c;
    }
    if (Peek().kind == Token::kWord && IsPunct("(", 1)) {
      std::string fn;
      for (char ch : Peek().text) fn += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (fn == "begins_with" || fn == "contains" || fn == "attribute_type") {
        Next();
        Next();
        Condition c{Condition::kFunction, fn, {}, {}};
        c.args.push_back(ParseOperand());
        Expect(",");
        c.args.push_back(ParseOperand());
        Expect(")");
        return c;
      }
      if (fn == "attribute_exists" || fn == "attribute_not_exists") return ParseExistence(fn);
      if (fn != "size") throw ApiError::Validation("Unrecognized function: " + fn + " at " + Position(Peek()));
    }
    Operand left = ParseOperand();
    if (Accept("IS")) {
      const bool negated = Accept("NOT");
      if (Accept("MISSING")) return {negated ? Condition::kIsNotMissing : Condition::kIsMissing, {}, {}, {left}};
      if (Accept("NULL")) return {negated ? Condition::kIsNotNull : Condition::kIsNull, {}, {}, {left}};
      // IS [NOT] <type>: the attribute's DynamoDB type, as attribute_type checks it.
      static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
          {"BOOL", "BOOL"}, {"BOOLEAN", "BOOL"}, {"STRING", "S"}, {"NUMBER", "N"}, {"INT", "N"},
          {"INTEGER", "N"}, {"DECIMAL", "N"},    {"FLOAT", "N"},  {"DOUBLE", "N"}, {"BLOB", "B"},
          {"BINARY", "B"},  {"LIST", "L"},       {"STRUCT", "M"}, {"TUPLE", "M"},  {"MAP", "M"},
      };
      for (const auto& [name, code] : kTypes)
        if (Accept(name)) {
          Condition c{Condition::kIsType, std::string(code), {}, {left}};
          if (!negated) return c;
          return {Condition::kNot, {}, {std::move(c)}, {}};
        }
      Unexpected("expected MISSING or NULL");
    }
    if (Accept("BETWEEN")) {
      Condition c{Condition::kBetween, {}, {}, {left}};
      c.args.push_back(ParseOperand());
      Expect("AND");
      c.args.push_back(ParseOperand());
      return c;
    }
    if (Accept("IN")) {
      Condition c{Condition::kIn, {}, {}, {left}};
      const bool bracket = Accept("[");
      if (!bracket) Expect("(");
      do c.args.push_back(ParseOperand());
      while (Accept(","));
      Expect(bracket ? "]" : ")");
      if (c.args.size() > 101) throw ApiError::Validation("Too many values in IN: at most 100 are allowed");
      return c;
    }
    static constexpr std::string_view kComparisons[] = {"=", "<>", "!=", "<", "<=", ">", ">="};
    for (auto op : kComparisons) {
      if (IsPunct(op)) {
        Next();
        Condition c{Condition::kCompare, op == "!=" ? "<>" : std::string(op), {}, {left}};
        c.args.push_back(ParseOperand());
        return c;
      }
    }
    Unexpected("expected a comparison");
  }

  // attribute_exists(path) / attribute_not_exists(path), optionally "= true" or "= false": the
  // same conditions as IS [NOT] MISSING, with DynamoDB's refusals of other operands.
  Condition ParseExistence(const std::string& fn) {
    Next();
    Next();
    std::vector<Operand> args;
    if (!IsPunct(")")) {
      do args.push_back(ParseOperand());
      while (Accept(","));
    }
    Expect(")");
    if (args.size() != 1)
      throw ApiError::Validation("Incorrect number of operands for operator or function; operator or function: " + fn +
                                 ", number of operands: " + std::to_string(args.size()));
    if (args[0].kind != Operand::kPath)
      throw ApiError::Validation("Operator or function requires a document path; operator or function: " + fn);
    bool exists = fn == "attribute_exists";
    if (IsPunct("=") && (Keyword(Peek(1), "TRUE") || Keyword(Peek(1), "FALSE"))) {
      Next();
      if (Keyword(Next(), "FALSE")) exists = !exists;
    }
    return {exists ? Condition::kIsNotMissing : Condition::kIsMissing, {}, {}, {args[0]}};
  }

  Operand ParseOperand() {
    const Token& t = Peek();
    if (t.kind == Token::kWord && Keyword(t, "SIZE") && IsPunct("(", 1)) {
      Next();
      Next();
      Operand o{Operand::kSize, ParsePath(), {}};
      Expect(")");
      return o;
    }
    if (t.kind == Token::kQuoted ||
        (t.kind == Token::kWord && !Keyword(t, "TRUE") && !Keyword(t, "FALSE") && !Keyword(t, "NULL")))
      return {Operand::kPath, ParsePath(), {}};
    return {Operand::kValue, {}, Value()};
  }

  // A literal or parameter, as an AttributeValue's JSON.
  std::string Value() {
    const Token& t = Next();
    switch (t.kind) {
      case Token::kString:
        return Json("S", t.text);
      case Token::kNumber:
        return Number(t.text);
      case Token::kParam: {
        if (!parameters_ || used_parameters_ >= parameters_->Size())
          throw ApiError::Validation("Number of parameters in request and statement don't match.");
        return json::Dump((*parameters_)[static_cast<rapidjson::SizeType>(used_parameters_++)]);
      }
      case Token::kWord:
        if (Keyword(t, "TRUE")) return "{\"BOOL\":true}";
        if (Keyword(t, "FALSE")) return "{\"BOOL\":false}";
        if (Keyword(t, "NULL")) return "{\"NULL\":true}";
        break;
      case Token::kPunct:
        if (t.text == "-" && Peek().kind == Token::kNumber) return Number("-" + Next().text);
        if (t.text == "{") return Tuple();
        if (t.text == "[") return List();
        if (t.text == "<<") return Bag();
        break;
      default:
        break;
    }
    --pos_;
    Unexpected("expected a value");
  }

  // A number literal, checked where it stands: DynamoDB names its place in the literal ("under
  // root", "under root.x", "under root[1]"), and text Java cannot read is a malformed statement.
  std::string Number(const std::string& text) {
    std::string error;
    if (!value::Decimal::Parse(text, &error)) {
      if (value::ClassifyBigDecimalExponent(text) == value::BigDecimalExponent::kRefused) Malformed("");
      throw ApiError::Validation(error + " under " + literal_path_);
    }
    return Json("N", text);
  }

  // Extends literal_path_ for as long as it lives.
  struct PathStep {
    PathStep(std::string& path, const std::string& step) : path_(path), size_(path.size()) { path += step; }
    ~PathStep() { path_.resize(size_); }
    std::string& path_;
    size_t size_;
  };

  std::string Tuple() {
    Nest nest(literal_depth_, kMaxLiteralDepth, true);
    std::string out = "{\"M\":{";
    bool first = true;
    if (!Accept("}")) {
      do {
        const Token& key = Next();
        if (key.kind != Token::kString && key.kind != Token::kQuoted && key.kind != Token::kWord) {
          --pos_;
          Unexpected("expected an attribute name in quotes");
        }
        Expect(":");
        json::Value k(key.text.c_str(), static_cast<rapidjson::SizeType>(key.text.size()));
        if (!first) out += ',';
        first = false;
        PathStep step(literal_path_, "." + key.text);
        out += json::Dump(k) + ":" + Value();
      } while (Accept(","));
      Expect("}");
    }
    return out + "}}";
  }

  std::string List() {
    Nest nest(literal_depth_, kMaxLiteralDepth, true);
    std::string out = "{\"L\":[";
    if (!Accept("]")) {
      bool first = true;
      size_t index = 0;
      do {
        if (!first) out += ',';
        first = false;
        PathStep step(literal_path_, "[" + std::to_string(index++) + "]");
        out += Value();
      } while (Accept(","));
      Expect("]");
    }
    return out + "]}";
  }

  // <<'a', 'b'>> is a string set, <<1, 2>> a number set (B values through parameters: a binary set).
  std::string Bag() {
    std::string type;
    std::string members;
    do {
      std::string v = Value();
      json::Document d;
      d.Parse(v.c_str(), v.size());
      if (!d.IsObject() || d.MemberCount() != 1) Malformed("a set holds strings, numbers or binaries");
      const std::string t = d.MemberBegin()->name.GetString();
      if (t != "S" && t != "N" && t != "B") Malformed("a set holds strings, numbers or binaries");
      if (!type.empty() && type != t) throw ApiError::Validation("A set may not mix types: " + type + " and " + t);
      type = t;
      if (!members.empty()) members += ',';
      members += json::Dump(d.MemberBegin()->value);
    } while (Accept(","));
    Expect(">>");
    return "{\"" + type + "S\":[" + members + "]}";
  }

  std::string_view text_;  // the statement, for error positions
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  const json::Value* parameters_;
  size_t used_parameters_ = 0;
  int literal_depth_ = 0;
  std::string literal_path_ = "root";  // where in a literal the parser is, for number errors
  int condition_depth_ = 0;
};

}  // namespace

Statement Parse(std::string_view text, const json::Value* parameters) {
  return Parser(text, parameters).ParseStatement();
}

std::string PathText(const Path& path) {
  std::string out;
  for (const auto& step : path) {
    if (step.index >= 0) {
      out += "[" + std::to_string(step.index) + "]";
    } else {
      if (!out.empty()) out += '.';
      out += step.name;
    }
  }
  return out;
}

}  // namespace localddb::api::partiql
