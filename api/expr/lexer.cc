#include "api/expr/lexer.h"

namespace localddb::expr {
namespace {
// An unquoted attribute name starts with a letter (not '_' or a digit: DynamoDB's lexer rejects
// "_abc" and "1abc"); #name and :value references may start with any of these characters.
bool Letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool Digit(char c) { return c >= '0' && c <= '9'; }
bool NameChar(char c) { return Letter(c) || Digit(c) || c == '_'; }
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
    const size_t start = i;
    Tok type;
    if (Letter(c)) {
      while (i < s.size() && NameChar(s[i])) ++i;
      type = Tok::kName;
    } else if (c == '#' || c == ':') {
      ++i;
      while (i < s.size() && NameChar(s[i])) ++i;
      type = c == '#' ? Tok::kNameRef : Tok::kValueRef;
    } else if (Digit(c)) {
      while (i < s.size() && Digit(s[i])) ++i;
      type = Tok::kNumber;
    } else if ((c == '<' || c == '>') && i + 1 < s.size() && (s[i + 1] == '=' || (c == '<' && s[i + 1] == '>'))) {
      i += 2;
      type = Tok::kPunct;
    } else if (std::string_view("()[],.=<>+-").find(c) != std::string_view::npos) {
      ++i;
      type = Tok::kPunct;
    } else {
      // One character, or one whole UTF-8 sequence so the message quotes a valid string.
      ++i;
      while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
      type = Tok::kInvalid;
    }
    out.push_back({type, std::string(s.substr(start, i - start)), start});
  }
  out.push_back({Tok::kEnd, "<EOF>", s.size()});
  return out;
}

}  // namespace localddb::expr
