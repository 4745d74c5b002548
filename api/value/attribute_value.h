// AttributeValue: one DynamoDB value (S, N, B, BOOL, NULL, M, L, SS, NS, BS), parsed from the wire
// once, at the edge, and passed around typed inside the engine.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/value/decimal.h"

namespace localddb::value {

// On disk (inside stored item JSON only by name, never by number): do not renumber anyway, the
// key codec uses the order of the three key types.
enum class Type : uint8_t { kS, kN, kB, kBOOL, kNULL, kM, kL, kSS, kNS, kBS };

// The wire name of a type: "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS".
std::string_view TypeName(Type t);

class AttributeValue;
// An item, and the content of an M value: attribute name -> value.
using Item = std::map<std::string, AttributeValue, std::less<>>;
using List = std::vector<AttributeValue>;

class AttributeValue {
 public:
  AttributeValue() : type_(Type::kNULL) {}

  static AttributeValue S(std::string s) { return {Type::kS, std::move(s)}; }
  static AttributeValue N(Decimal n) { return {Type::kN, std::move(n)}; }
  // bytes: the raw (base64-decoded) bytes.
  static AttributeValue B(std::string bytes) { return {Type::kB, std::move(bytes)}; }
  static AttributeValue Bool(bool b) { return {Type::kBOOL, b}; }
  static AttributeValue Null() { return {}; }
  static AttributeValue M(Item m) { return {Type::kM, std::move(m)}; }
  static AttributeValue L(List l) { return {Type::kL, std::move(l)}; }
  // Sets keep their members in insertion order (as sent); equality ignores order.
  static AttributeValue SS(std::vector<std::string> members) { return {Type::kSS, std::move(members)}; }
  static AttributeValue BS(std::vector<std::string> members) { return {Type::kBS, std::move(members)}; }
  static AttributeValue NS(std::vector<Decimal> members) { return {Type::kNS, std::move(members)}; }

  Type type() const { return type_; }
  bool is(Type t) const { return type_ == t; }

  // REQUIRES: type is S or B (the text, or the raw bytes).
  const std::string& s() const { return std::get<std::string>(data_); }
  // REQUIRES: type is N.
  const Decimal& n() const { return std::get<Decimal>(data_); }
  // REQUIRES: type is BOOL.
  bool boolean() const { return std::get<bool>(data_); }
  // REQUIRES: type is M.
  const Item& m() const { return std::get<Item>(data_); }
  Item& m() { return std::get<Item>(data_); }
  // REQUIRES: type is L.
  const List& l() const { return std::get<List>(data_); }
  List& l() { return std::get<List>(data_); }
  // REQUIRES: type is SS or BS.
  const std::vector<std::string>& strings() const { return std::get<std::vector<std::string>>(data_); }
  std::vector<std::string>& strings() { return std::get<std::vector<std::string>>(data_); }
  // REQUIRES: type is NS.
  const std::vector<Decimal>& numbers() const { return std::get<std::vector<Decimal>>(data_); }
  std::vector<Decimal>& numbers() { return std::get<std::vector<Decimal>>(data_); }

  // DynamoDB equality: same type and value; numbers by value; sets regardless of member order.
  bool operator==(const AttributeValue& other) const;

 private:
  using Data = std::variant<std::monostate, bool, std::string, Decimal, Item, List, std::vector<std::string>,
                            std::vector<Decimal>>;
  template <typename T>
  AttributeValue(Type t, T&& v) : type_(t), data_(std::forward<T>(v)) {}

  Type type_;
  Data data_;
};

}  // namespace localddb::value
