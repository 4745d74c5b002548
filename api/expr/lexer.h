// Tokens of the expression language.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace localddb::expr {

enum class Tok {
  kName,      // attribute name or keyword: a letter, then letters, digits and '_'
  kNameRef,   // #name: '#', then letters, digits and '_'
  kValueRef,  // :value: ':', then letters, digits and '_'
  kNumber,    // digits (list indexes)
  kPunct,     // ( ) [ ] , . = <> < <= > >= + -
  kEnd,
  kInvalid,  // a character that starts no token ('_', '$', '"', ...)
};

struct Token {
  Tok type;
  std::string text;
  size_t pos;  // offset in the expression
};

// Splits an expression; the last token is always kEnd. An invalid character becomes a one-character
// kInvalid token and lexing goes on, so a syntax error can quote the tokens around it as DynamoDB
// does ("SET _123" fails on token "_", near "SET _123").
std::vector<Token> Tokenize(std::string_view text);

}  // namespace localddb::expr
