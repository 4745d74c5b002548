// Tokens of the expression language.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace localddb::expr {

enum class Tok {
  kName,       // attribute name or keyword (AND, OR, NOT, BETWEEN, IN, SET, REMOVE, ADD, DELETE)
  kNameRef,    // #name
  kValueRef,   // :value
  kNumber,     // digits (list indexes)
  kPunct,      // ( ) [ ] , . = <> < <= > >= + -
  kEnd,
  kInvalid,    // a character that starts no token
};

struct Token {
  Tok type;
  std::string text;
  size_t pos;  // offset in the expression
};

// Splits an expression; the last token is always kEnd. A kInvalid token stops the list.
std::vector<Token> Tokenize(std::string_view text);

}  // namespace localddb::expr
