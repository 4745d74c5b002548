#include "api/expr/lexer.h"

namespace localddb::expr {
namespace {
bool NameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool NameChar(char c) { return NameStart(c) || (c >= '0' && c <= '9'); }
bool RefChar(char c) { return NameChar(c) || c == '-'; }
bool Digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    size_t start = i;
    if (NameStart(c)) {
      while (i < s.size() && NameChar(s[i])) ++i;
      out.push_back({Tok::kName, std::string(s.substr(start, i - start)), start});
    } else if (c == '#' || c == ':') {
      ++i;
      while (i < s.size() && RefChar(s[i])) ++i;
      out.push_back({c == '#' ? Tok::kNameRef : Tok::kValueRef, std::string(s.substr(start, i - start)), start});
    } else if (Digit(c)) {
      while (i < s.size() && Digit(s[i])) ++i;
      out.push_back({Tok::kNumber, std::string(s.substr(start, i - start)), start});
    } else if ((c == '<' || c == '>') && i + 1 < s.size() && (s[i + 1] == '=' || (c == '<' && s[i + 1] == '>'))) {
      out.push_back({Tok::kPunct, std::string(s.substr(i, 2)), start});
      i += 2;
    } else if (std::string_view("()[],.=<>+-").find(c) != std::string_view::npos) {
      out.push_back({Tok::kPunct, std::string(1, c), start});
      ++i;
    } else {
      out.push_back({Tok::kInvalid, std::string(1, c), start});
      return out;
    }
  }
  out.push_back({Tok::kEnd, "<EOF>", s.size()});
  return out;
}

}  // namespace localddb::expr
