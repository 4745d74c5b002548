#include "streams/event_filter.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace localddb::streams {
namespace {

using json::Value;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// A record's value as a number: JSON numbers, and the decimal strings of DynamoDB's N values.
bool AsNumber(const Value& v, double* out) {
  if (v.IsNumber()) {
    *out = v.GetDouble();
    return true;
  }
  if (v.IsString()) {
    const std::string s(json::View(v));
    char* end = nullptr;
    *out = std::strtod(s.c_str(), &end);
    return !s.empty() && end == s.c_str() + s.size();
  }
  return false;
}

bool SameScalar(const Value& rule, const Value& field) {
  if (rule.IsString() && field.IsString()) return json::View(rule) == json::View(field);
  if (rule.IsNumber()) {
    double a = rule.GetDouble(), b;
    return AsNumber(field, &b) && a == b;
  }
  if (rule.IsBool() && field.IsBool()) return rule.GetBool() == field.GetBool();
  if (rule.IsNull()) return field.IsNull();
  return false;
}

bool NumericMatches(const Value& spec, const Value& field) {
  double x;
  if (!AsNumber(field, &x)) return false;
  for (rapidjson::SizeType i = 0; i + 1 < spec.Size(); i += 2) {
    const std::string_view op = json::View(spec[i]);
    const double bound = spec[i + 1].GetDouble();
    const bool ok = op == "<"    ? x < bound
                    : op == "<=" ? x <= bound
                    : op == ">"  ? x > bound
                    : op == ">=" ? x >= bound
                    : op == "="  ? x == bound
                                 : false;
    if (!ok) return false;
  }
  return true;
}

// One accepted value (a leaf of the pattern's list) against a present field.
bool AcceptsValue(const Value& rule, const Value& field) {
  if (!rule.IsObject()) return SameScalar(rule, field);
  const auto m = rule.MemberBegin();
  const std::string_view op = json::View(m->name);
  const Value& arg = m->value;
  if (op == "prefix") return field.IsString() && json::View(field).starts_with(json::View(arg));
  if (op == "suffix") return field.IsString() && json::View(field).ends_with(json::View(arg));
  if (op == "equals-ignore-case") return field.IsString() && EqualsIgnoreCase(json::View(field), json::View(arg));
  if (op == "numeric") return NumericMatches(arg, field);
  if (op == "anything-but") {
    if (arg.IsArray()) {
      for (const auto& a : arg.GetArray())
        if (SameScalar(a, field)) return false;
      return true;
    }
    if (arg.IsObject()) return !AcceptsValue(arg, field);
    return !SameScalar(arg, field);
  }
  return false;  // "exists" is handled where the field is looked up
}

bool FieldMatches(const Value& rules, const Value* field) {
  for (const auto& rule : rules.GetArray()) {
    if (rule.IsObject() && rule.MemberBegin()->name == "exists") {
      if (rule.MemberBegin()->value.GetBool() == (field != nullptr)) return true;
      continue;
    }
    if (!field) continue;
    if (field->IsArray()) {
      for (const auto& e : field->GetArray())
        if (AcceptsValue(rule, e)) return true;
    } else if (AcceptsValue(rule, *field)) {
      return true;
    }
  }
  return false;
}

bool PatternMatches(const Value& pattern, const Value& record) {
  for (auto m = pattern.MemberBegin(); m != pattern.MemberEnd(); ++m) {
    const Value* field = nullptr;
    if (record.IsObject()) {
      auto it = record.FindMember(m->name);
      if (it != record.MemberEnd()) field = &it->value;
    }
    if (m->value.IsObject()) {
      if (!field || !PatternMatches(m->value, *field)) return false;
    } else if (!FieldMatches(m->value, field)) {
      return false;
    }
  }
  return true;
}

void Check(const Value& pattern, const std::string& where) {
  if (!pattern.IsObject()) throw std::invalid_argument(where + ": a pattern is a JSON object");
  for (auto m = pattern.MemberBegin(); m != pattern.MemberEnd(); ++m) {
    const std::string at = where + "." + std::string(json::View(m->name));
    if (m->value.IsObject()) {
      Check(m->value, at);
      continue;
    }
    if (!m->value.IsArray() || m->value.Empty()) throw std::invalid_argument(at + ": values are given as a list");
    for (const auto& rule : m->value.GetArray()) {
      if (!rule.IsObject()) continue;
      if (rule.MemberCount() != 1) throw std::invalid_argument(at + ": a matching rule has one member");
      const std::string_view op = json::View(rule.MemberBegin()->name);
      const Value& arg = rule.MemberBegin()->value;
      const bool ok = ((op == "prefix" || op == "suffix" || op == "equals-ignore-case") && arg.IsString()) ||
                      (op == "exists" && arg.IsBool()) || op == "anything-but" ||
                      (op == "numeric" && arg.IsArray() && arg.Size() % 2 == 0 && arg.Size() > 0);
      if (!ok) throw std::invalid_argument(at + ": unknown or malformed matching rule '" + std::string(op) + "'");
      if (op == "numeric")
        for (rapidjson::SizeType i = 0; i < arg.Size(); i += 2) {
          const bool op_ok = arg[i].IsString() &&
                             (json::View(arg[i]) == "<" || json::View(arg[i]) == "<=" || json::View(arg[i]) == ">" ||
                              json::View(arg[i]) == ">=" || json::View(arg[i]) == "=");
          if (!op_ok || !arg[i + 1].IsNumber())
            throw std::invalid_argument(at + ": numeric takes operator, number pairs");
        }
    }
  }
}

}  // namespace

EventFilter::EventFilter() = default;
EventFilter::~EventFilter() = default;
EventFilter::EventFilter(EventFilter&&) noexcept = default;
EventFilter& EventFilter::operator=(EventFilter&&) noexcept = default;
EventFilter::EventFilter(const EventFilter&) = default;
EventFilter& EventFilter::operator=(const EventFilter&) = default;

EventFilter EventFilter::Parse(const json::Value& criteria) {
  EventFilter f;
  if (criteria.IsNull()) return f;
  if (!criteria.IsObject()) throw std::invalid_argument("FilterCriteria is {\"Filters\": [{\"Pattern\": \"...\"}]}");
  f.json_ = json::Dump(criteria);
  auto filters = criteria.FindMember("Filters");
  if (filters == criteria.MemberEnd()) return f;
  if (!filters->value.IsArray() || filters->value.Size() > 5)
    throw std::invalid_argument("FilterCriteria.Filters is a list of at most 5 filters");
  for (rapidjson::SizeType i = 0; i < filters->value.Size(); ++i) {
    const Value& filter = filters->value[i];
    const std::string where = "FilterCriteria.Filters[" + std::to_string(i) + "]";
    if (!filter.IsObject() || !filter.HasMember("Pattern") || !filter["Pattern"].IsString())
      throw std::invalid_argument(where + ": expected {\"Pattern\": \"<JSON text>\"}");
    auto doc = std::make_shared<json::Document>();
    if (json::Parse(*doc, json::View(filter["Pattern"])) != json::ParseStatus::kOk)
      throw std::invalid_argument(where + ".Pattern is not JSON text");
    Check(*doc, where + ".Pattern");
    f.patterns_.push_back(std::move(doc));
  }
  return f;
}

bool EventFilter::Matches(const json::Value& record) const {
  if (patterns_.empty()) return true;
  return std::any_of(patterns_.begin(), patterns_.end(), [&](const auto& p) { return PatternMatches(*p, record); });
}

}  // namespace localddb::streams
