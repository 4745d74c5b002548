// Recursive-descent parser for the five expression kinds. #names and :values are resolved through
// the request's Substitutions as they are met (DynamoDB reports undefined ones as parse errors).
#include <algorithm>

#include "api/error.h"
#include "api/expr/expression.h"
#include "api/expr/functions.h"
#include "api/expr/lexer.h"
#include "api/expr/reserved_words.h"

namespace localddb::expr {
namespace {

using api::ApiError;

// Deeper nesting than this is refused rather than risking the stack on hostile input.
constexpr int kMaxDepth = 100;
constexpr size_t kMaxInOperands = 100;
constexpr size_t kMaxExpressionBytes = 4096;
// DynamoDB's limit on operators and functions in one expression (the Developer Guide's quotas).
constexpr int kMaxOperators = 300;

bool Keyword(const Token& t, std::string_view kw) {
  if (t.type != Tok::kName || t.text.size() != kw.size()) return false;
  for (size_t i = 0; i < kw.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(t.text[i])) != kw[i]) return false;
  return true;
}

class Parser {
 public:
  Parser(std::string_view text, Kind kind, Substitutions& subs) : text_(text), kind_(kind), subs_(subs) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) throw Invalid("The expression can not be empty;");
    // DynamoDB's 4 KB expression limit; only condition and filter messages name the size. Checked
    // before the text is tokenised: a 10 MB expression once cost 850 MB of tokens before this check.
    if (text.size() > kMaxExpressionBytes)
      throw Invalid(kind == Kind::kCondition || kind == Kind::kFilter
                        ? "Expression size has exceeded the maximum allowed size; expression size: " +
                              std::to_string(text.size())
                        : std::string("Expression size has exceeded the maximum allowed size;"));
    tokens_ = Tokenize(text);
    if (tokens_.back().type == Tok::kInvalid) throw SyntaxError(tokens_.size() - 1);
  }

  Node ParseConditionRoot() {
    Node n = Or(0);
    ExpectEnd();
    return n;
  }

  std::vector<Path> ParseProjectionRoot() {
    std::vector<Path> paths;
    do {
      paths.push_back(ParsePath());
    } while (Accept(","));
    ExpectEnd();
    return paths;
  }

  std::vector<UpdateAction> ParseUpdateRoot() {
    std::vector<UpdateAction> actions;
    bool seen[4] = {false, false, false, false};
    static constexpr std::string_view kClauses[] = {"SET", "REMOVE", "ADD", "DELETE"};
    do {
      int clause = -1;
      for (int c = 0; c < 4; ++c)
        if (Keyword(Peek(), kClauses[c])) clause = c;
      if (clause < 0) throw SyntaxError(pos_);
      if (seen[clause])
        throw Invalid("The \"" + std::string(kClauses[clause]) +
                      "\" section can only be used once in an update expression;");
      seen[clause] = true;
      ++pos_;
      const auto kind = static_cast<UpdateKind>(clause);
      do {
        UpdateAction a{kind, ParsePath(), {}};
        if (kind == UpdateKind::kSet) {
          Expect("=");
          a.operand = SetValue(0);
        } else if (kind != UpdateKind::kRemove) {
          a.operand = Operand(0, false);
          if (a.operand.kind != NodeKind::kValue && a.operand.kind != NodeKind::kPath) throw SyntaxError(pos_ - 1);
        }
        actions.push_back(std::move(a));
      } while (Accept(","));
    } while (Peek().type != Tok::kEnd);
    ExpectEnd();
    return actions;
  }

  ApiError Invalid(const std::string& what) const {
    return ApiError::Validation("Invalid " + std::string(KindName(kind_)) + ": " + what);
  }

 private:
  const Token& Peek(size_t ahead = 0) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  bool IsPunct(const Token& t, std::string_view p) const { return t.type == Tok::kPunct && t.text == p; }
  bool Accept(std::string_view p) {
    if (!IsPunct(Peek(), p)) return false;
    ++pos_;
    return true;
  }
  void Expect(std::string_view p) {
    if (!Accept(p)) throw SyntaxError(pos_);
  }
  // The whole expression has been read: nothing may follow, and it may not hold more operators
  // and functions than DynamoDB allows.
  void ExpectEnd() {
    if (Peek().type != Tok::kEnd) throw SyntaxError(pos_);
    if (operators_ > kMaxOperators)
      throw Invalid("The expression contains too many operators; operator count: " + std::to_string(operators_));
  }

  // DynamoDB: Syntax error; token: "<tok>", near: "<the tokens around it>".
  ApiError SyntaxError(size_t at) const {
    at = std::min(at, tokens_.size() - 1);
    const Token& t = tokens_[at];
    std::string near;
    if (t.type == Tok::kEnd) {
      near = at > 0 ? tokens_[at - 1].text : "";
    } else {
      size_t from = at > 0 ? tokens_[at - 1].pos : t.pos;
      size_t to = at + 1 < tokens_.size() && tokens_[at + 1].type != Tok::kEnd
                      ? tokens_[at + 1].pos + tokens_[at + 1].text.size()
                      : t.pos + t.text.size();
      near = std::string(text_.substr(from, to - from));
    }
    return Invalid("Syntax error; token: \"" + t.text + "\", near: \"" + near + "\"");
  }

  // The index of the ")" closing the "(" at open (or tokens_.size() if none).
  size_t MatchingParen(size_t open) const {
    int depth = 0;
    for (size_t i = open; i < tokens_.size(); ++i) {
      if (IsPunct(tokens_[i], "(")) ++depth;
      if (IsPunct(tokens_[i], ")") && --depth == 0) return i;
    }
    return tokens_.size();
  }

  // DynamoDB refuses an operator or function whose first operand reappears among the others
  // (a = a, contains(a, a)): the result would not depend on the item.
  void CheckDistinctOperands(const Node& n, const std::string& op) const {
    const Node& first = n.children[0];
    if (first.kind != NodeKind::kPath) return;
    for (size_t i = 1; i < n.children.size(); ++i)
      if (n.children[i].kind == NodeKind::kPath && n.children[i].path == first.path)
        throw Invalid(
            "The first operand must be distinct from the remaining operands for this operator or function; "
            "operator: " +
            op + ", first operand: " + DescribePath(first.path));
  }

  // Ordering operators take only S, N and B literals (a BOOL, NULL, set, list or map has no order).
  void CheckOrderable(const Node& n, const std::string& op) const {
    for (const Node& c : n.children) {
      if (c.kind != NodeKind::kValue) continue;
      const auto t = c.value.type();
      if (t != value::Type::kS && t != value::Type::kN && t != value::Type::kB)
        throw Invalid("Incorrect operand type for operator or function; operator or function: " + op +
                      ", operand type: " + std::string(value::TypeName(t)));
    }
  }

  void CheckDepth(int depth) const {
    if (depth > kMaxDepth) throw Invalid("The expression has too many levels of nesting");
  }

  Node Or(int depth) {
    CheckDepth(depth);
    Node left = And(depth + 1);
    while (Keyword(Peek(), "OR")) {
      RefuseInKeyCondition("OR");
      ++pos_;
      Node n = Node::Of(NodeKind::kOr);
      ++operators_;
      n.children.push_back(std::move(left));
      n.children.push_back(And(depth + 1));
      left = std::move(n);
    }
    return left;
  }

  Node And(int depth) {
    Node left = Not(depth + 1);
    while (Keyword(Peek(), "AND")) {
      ++pos_;
      Node n = Node::Of(NodeKind::kAnd);
      ++operators_;
      n.children.push_back(std::move(left));
      n.children.push_back(Not(depth + 1));
      left = std::move(n);
    }
    return left;
  }

  Node Not(int depth) {
    CheckDepth(depth);
    if (Keyword(Peek(), "NOT")) {
      RefuseInKeyCondition("NOT");
      ++pos_;
      Node n = Node::Of(NodeKind::kNot);
      ++operators_;
      n.children.push_back(Not(depth + 1));
      return n;
    }
    return Primary(depth + 1);
  }

  void RefuseInKeyCondition(const std::string& op) const {
    if (kind_ == Kind::kKeyCondition)
      throw ApiError::Validation("Invalid operator used in KeyConditionExpression: " + op);
  }

  Node Primary(int depth) {
    CheckDepth(depth);
    if (Accept("(")) {
      const size_t open = pos_ - 1;
      Node n = Or(depth + 1);
      Expect(")");
      // "((x))": DynamoDB refuses parentheses that wrap nothing but another parenthesised group.
      if (IsPunct(tokens_[open + 1], "(") && MatchingParen(open + 1) == pos_ - 2)
        throw Invalid("The expression has redundant parentheses;");
      return n;
    }
    // A boolean function on its own.
    if (Peek().type == Tok::kName && IsPunct(Peek(1), "(")) {
      const FunctionInfo* f = FindFunction(Peek().text);
      if (f && f->returns_bool) return Function(*f, depth);
    }
    Node left = Operand(depth, true);
    const Token& t = Peek();
    if (t.type == Tok::kPunct &&
        (t.text == "=" || t.text == "<>" || t.text == "<" || t.text == "<=" || t.text == ">" || t.text == ">=")) {
      if (t.text == "<>") RefuseInKeyCondition("<>");
      Node n = Node::Of(NodeKind::kCompare);
      ++operators_;
      n.name = t.text;
      ++pos_;
      n.children.push_back(std::move(left));
      n.children.push_back(Operand(depth, true));
      CheckDistinctOperands(n, n.name);
      if (n.name != "=" && n.name != "<>") CheckOrderable(n, n.name);
      return n;
    }
    if (Keyword(t, "BETWEEN")) {
      ++pos_;
      Node n = Node::Of(NodeKind::kBetween);
      ++operators_;
      n.children.push_back(std::move(left));
      n.children.push_back(Operand(depth, true));
      if (!Keyword(Peek(), "AND")) throw SyntaxError(pos_);
      ++pos_;
      n.children.push_back(Operand(depth, true));
      CheckDistinctOperands(n, "BETWEEN");
      CheckOrderable(n, "BETWEEN");
      CheckBetweenBounds(n);
      return n;
    }
    if (Keyword(t, "IN")) {
      RefuseInKeyCondition("IN");
      ++pos_;
      Node n = Node::Of(NodeKind::kIn);
      ++operators_;
      n.children.push_back(std::move(left));
      Expect("(");
      do {
        n.children.push_back(Operand(depth, true));
      } while (Accept(","));
      Expect(")");
      CheckDistinctOperands(n, "IN");
      if (n.children.size() - 1 > kMaxInOperands)
        throw Invalid("The IN operator is provided with too many operands; number of operands: " +
                      std::to_string(n.children.size() - 1));
      return n;
    }
    if (left.kind == NodeKind::kFunction)
      throw Invalid("The function is not allowed to be used this way in an expression; function: " + left.name);
    throw SyntaxError(pos_);
  }

  void CheckBetweenBounds(const Node& n) const {
    const Node &lo = n.children[1], &hi = n.children[2];
    if (lo.kind != NodeKind::kValue || hi.kind != NodeKind::kValue) return;
    if (lo.value.type() != hi.value.type())
      throw Invalid("The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: " +
                    DescribeValue(lo.value) + ", upper bound operand: " + DescribeValue(hi.value));
    if (CompareValues(lo.value, hi.value) > 0)
      throw Invalid(
          "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound "
          "operand: " +
          DescribeValue(lo.value) + ", upper bound operand: " + DescribeValue(hi.value));
  }

  // A comparison operand: a path, a :value, or size(path) (condition kinds); the update kind's
  // SET adds arithmetic and its two functions (see SetValue).
  Node Operand(int depth, bool in_condition) {
    CheckDepth(depth);
    const Token& t = Peek();
    if (t.type == Tok::kValueRef) {
      ++pos_;
      Node n = Node::Of(NodeKind::kValue);
      n.value = subs_.Value(t.text, kind_);
      return n;
    }
    if (t.type == Tok::kName && IsPunct(Peek(1), "(")) {
      const FunctionInfo* f = FindFunction(t.text);
      if (!f) throw Invalid("Invalid function name; function: " + t.text);
      if (in_condition && f->returns_bool)
        throw Invalid("The function is not allowed to be used this way in an expression; function: " + t.text);
      if (in_condition && f->update_only)
        throw Invalid("The function is not allowed to be used this way in an expression; function: " + t.text);
      return Function(*f, depth);
    }
    if (t.type == Tok::kName || t.type == Tok::kNameRef) {
      Node n = Node::Of(NodeKind::kPath);
      n.path = ParsePath();
      return n;
    }
    throw SyntaxError(pos_);
  }

  Node SetValue(int depth) {
    Node left = SetOperand(depth + 1);
    if (IsPunct(Peek(), "+") || IsPunct(Peek(), "-")) {
      Node n = Node::Of(Peek().text == "+" ? NodeKind::kPlus : NodeKind::kMinus);
      ++operators_;
      ++pos_;
      n.children.push_back(std::move(left));
      n.children.push_back(SetOperand(depth + 1));
      return n;
    }
    return left;
  }

  Node SetOperand(int depth) {
    CheckDepth(depth);
    if (Accept("(")) {  // SET c = (c - :v)
      Node inner = SetValue(depth + 1);
      Expect(")");
      return inner;
    }
    const Token& t = Peek();
    if (t.type == Tok::kName && IsPunct(Peek(1), "(")) {
      const FunctionInfo* f = FindFunction(t.text);
      if (!f) throw Invalid("Invalid function name; function: " + t.text);
      if (!f->update_only) throw Invalid("The function is not allowed in an update expression; function: " + t.text);
      return Function(*f, depth);
    }
    return Operand(depth, false);
  }

  Node Function(const FunctionInfo& f, int depth) {
    Node n = Node::Of(NodeKind::kFunction);
    ++operators_;
    n.name = Peek().text;
    pos_ += 2;  // name (
    if (kind_ == Kind::kKeyCondition && n.name != "begins_with")
      throw ApiError::Validation("Invalid operator used in KeyConditionExpression: " + n.name);
    if (!Accept(")")) {
      do {
        n.children.push_back(f.update_only ? SetValue(depth + 1) : Operand(depth + 1, true));
      } while (Accept(","));
      Expect(")");
    }
    if (static_cast<int>(n.children.size()) != f.arity)
      throw Invalid("Incorrect number of operands for operator or function; operator or function: " + n.name +
                    ", number of operands: " + std::to_string(n.children.size()));
    CheckFunctionOperands(f, n, [this](const std::string& m) { return Invalid(m); });
    if (f.returns_bool && n.children.size() > 1) CheckDistinctOperands(n, n.name);
    return n;
  }

  Path ParsePath() {
    Path path;
    path.push_back(PathName());
    for (;;) {
      if (Accept(".")) {
        path.push_back(PathName());
      } else if (Accept("[")) {
        const Token& t = Peek();
        if (t.type != Tok::kNumber) throw SyntaxError(pos_);
        ++pos_;
        PathElement e;
        e.index = t.text.size() > 9 ? 999999999 : std::stoi(t.text);
        path.push_back(std::move(e));
        Expect("]");
      } else {
        return path;
      }
    }
  }

  PathElement PathName() {
    const Token& t = Peek();
    if (t.type == Tok::kNameRef) {
      ++pos_;
      return {subs_.Name(t.text, kind_), -1};
    }
    if (t.type != Tok::kName) throw SyntaxError(pos_);
    if (IsReservedWord(t.text)) throw Invalid("Attribute name is a reserved keyword; reserved keyword: " + t.text);
    ++pos_;
    return {t.text, -1};
  }

  std::string_view text_;
  Kind kind_;
  Substitutions& subs_;
  int operators_ = 0;  // operators and functions read so far
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

// Two paths overlap if one is a prefix of the other; they conflict if they share a prefix and
// then one steps into a map where the other steps into a list.
void CheckPathsDisjoint(const std::vector<Path>& paths, const std::string& prefix) {
  for (size_t i = 0; i < paths.size(); ++i)
    for (size_t j = i + 1; j < paths.size(); ++j) {
      const Path &a = paths[i], &b = paths[j];
      size_t n = std::min(a.size(), b.size()), k = 0;
      while (k < n && a[k] == b[k]) ++k;
      if (k == n)
        throw ApiError::Validation(
            prefix +
            "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: " +
            DescribePath(a) + ", path two: " + DescribePath(b));
      if (k > 0 && a[k].is_index() != b[k].is_index())
        throw ApiError::Validation(
            prefix +
            "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: " +
            DescribePath(a) + ", path two: " + DescribePath(b));
    }
}

}  // namespace

std::string_view KindName(Kind k) {
  switch (k) {
    case Kind::kCondition:
      return "ConditionExpression";
    case Kind::kFilter:
      return "FilterExpression";
    case Kind::kKeyCondition:
      return "KeyConditionExpression";
    case Kind::kProjection:
      return "ProjectionExpression";
    case Kind::kUpdate:
      return "UpdateExpression";
  }
  return "Expression";
}

std::string DescribePath(const Path& p) {
  std::string out = "[";
  for (size_t i = 0; i < p.size(); ++i) {
    if (i) out += ", ";
    out += p[i].is_index() ? "[" + std::to_string(p[i].index) + "]" : p[i].name;
  }
  return out + "]";
}

Node ParseCondition(std::string_view text, Kind kind, Substitutions& subs) {
  return Parser(text, kind, subs).ParseConditionRoot();
}

std::vector<Path> ParseProjection(std::string_view text, Substitutions& subs) {
  auto paths = Parser(text, Kind::kProjection, subs).ParseProjectionRoot();
  CheckPathsDisjoint(paths, "Invalid ProjectionExpression: ");
  return paths;
}

std::vector<UpdateAction> ParseUpdate(std::string_view text, Substitutions& subs) {
  auto actions = Parser(text, Kind::kUpdate, subs).ParseUpdateRoot();
  std::vector<Path> paths;
  for (const auto& a : actions) paths.push_back(a.path);
  CheckPathsDisjoint(paths, "Invalid UpdateExpression: ");
  return actions;
}

}  // namespace localddb::expr
