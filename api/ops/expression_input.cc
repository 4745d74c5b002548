#include "api/ops/expression_input.h"

#include <algorithm>
#include <iterator>
#include <string_view>

#include "api/error.h"
#include "api/expr/legacy.h"
#include "api/input/request.h"
#include "api/value/json_codec.h"

namespace localddb::api {
namespace {

// In the order DynamoDB lists them when it refuses a request that mixes the two kinds.
constexpr const char* kExpressionParams[] = {"ProjectionExpression", "FilterExpression", "KeyConditionExpression",
                                             "UpdateExpression", "ConditionExpression"};
constexpr const char* kLegacyParams[] = {"AttributesToGet", "QueryFilter",         "ScanFilter",   "AttributeUpdates",
                                         "Expected",        "ConditionalOperator", "KeyConditions"};

constexpr size_t kKeyConditionExpressionAt = 2, kConditionalOperatorAt = 5;
static_assert(std::string_view(kExpressionParams[kKeyConditionExpressionAt]) == "KeyConditionExpression");
static_assert(std::string_view(kLegacyParams[kConditionalOperatorAt]) == "ConditionalOperator");

const json::Value* Member(const json::Value& input, const char* name) {
  auto it = input.FindMember(name);
  return it == input.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

constexpr std::string_view kEnvelope = "1 validation error detected: ";

// In the enveloped value layer (PutItem, UpdateItem, DeleteItem) DynamoDB reports problems with
// the request's expressions inside "1 validation error detected: " too; within a transaction it
// reports them bare.
template <typename F>
auto Enveloped(bool in_transaction, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const ApiError& e) {
    if (e.kind() != ErrorKind::kValidation) throw;
    const bool enveloped = std::string_view(e.message()).starts_with(kEnvelope);
    if (in_transaction && enveloped) throw ApiError::Validation(e.message().substr(kEnvelope.size()));
    if (in_transaction || enveloped || value::CurrentValueLayer() != value::ValueLayer::kEnveloped) throw;
    throw ApiError::Validation(std::string(kEnvelope) + e.message());
  }
}

expr::Substitutions ReadSubstitutions(const json::Value& input, bool in_transaction) {
  return Enveloped(in_transaction, [&] {
    return expr::Substitutions(Member(input, "ExpressionAttributeNames"), Member(input, "ExpressionAttributeValues"));
  });
}

}  // namespace

RequestExpressions::RequestExpressions(const json::Value& input, bool in_transaction)
    : input_(input), subs_(ReadSubstitutions(input, in_transaction)), in_transaction_(in_transaction) {
  // These refusals wait until the request's members have been validated (the first accessor
  // call): an invalid TableName, say, is reported before them.
  // One pass over the request's members (a handful) marks which parameters of each kind are there;
  // asking for each of the twelve by name cost ~1,800 instructions per GetItem.
  bool legacy_present[std::size(kLegacyParams)] = {}, modern_present[std::size(kExpressionParams)] = {};
  bool any_legacy = false, any_modern = false;
  for (auto it = input.MemberBegin(); it != input.MemberEnd(); ++it) {
    if (it->value.IsNull()) continue;
    const std::string_view name = json::View(it->name);
    for (size_t i = 0; i < std::size(kLegacyParams); ++i)
      if (name == kLegacyParams[i]) legacy_present[i] = any_legacy = true;
    for (size_t i = 0; i < std::size(kExpressionParams); ++i)
      if (name == kExpressionParams[i]) modern_present[i] = any_modern = true;
  }
  if (!any_legacy && !any_modern) return;  // the common case: nothing to refuse
  std::string legacy, modern;
  // Legacy KeyConditions go with FilterExpression or ProjectionExpression; only beside
  // KeyConditionExpression do they count as mixing.
  const bool key_condition_expression = modern_present[kKeyConditionExpressionAt];
  for (size_t i = 0; i < std::size(kLegacyParams); ++i)
    if (legacy_present[i] && (std::string_view(kLegacyParams[i]) != "KeyConditions" || key_condition_expression))
      legacy += (legacy.empty() ? "" : ", ") + std::string(kLegacyParams[i]);
  for (size_t i = 0; i < std::size(kExpressionParams); ++i)
    if (modern_present[i]) modern += (modern.empty() ? "" : ", ") + std::string(kExpressionParams[i]);
  if (!legacy.empty() && !modern.empty()) {
    refused_ =
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {" +
        legacy + "} Expression parameters: {" + modern + "}";
    return;
  }
  if (legacy_present[kConditionalOperatorAt]) {
    // It joins the conditions of a legacy Expected, QueryFilter or ScanFilter: DynamoDB refuses it
    // beside none (or an empty one), and beside a single condition.
    size_t conditions = 0;
    for (const char* legacy_conditions : {"Expected", "QueryFilter", "ScanFilter"})
      if (const json::Value* m = Member(input, legacy_conditions); m && m->IsObject())
        conditions = std::max<size_t>(conditions, m->MemberCount());
    if (conditions == 0) refused_ = "ConditionalOperator cannot be used without Filter or Expected";
    if (conditions == 1)
      refused_ = "ConditionalOperator can only be used when Filter or Expected has two or more elements";
  }
}

void RequestExpressions::ThrowIfRefused() const {
  if (refused_) throw ApiError::Validation(*refused_);
}

std::optional<expr::Node> RequestExpressions::WriteCondition() {
  ThrowIfRefused();
  return Enveloped(in_transaction_, [&] { return ParseWriteCondition(); });
}

std::optional<expr::Node> RequestExpressions::ParseWriteCondition() {
  if (auto text = input::String(input_, "ConditionExpression")) {
    any_expression_ = true;
    return expr::ParseCondition(*text, expr::Kind::kCondition, subs_);
  }
  if (const json::Value* expected = input::Object(input_, "Expected"))
    return expr::ConditionFromExpected(*expected, Member(input_, "ConditionalOperator"));
  return std::nullopt;
}

std::optional<expr::Node> RequestExpressions::Filter(const char* legacy_member) {
  ThrowIfRefused();
  if (auto text = input::String(input_, "FilterExpression")) {
    any_expression_ = true;
    return expr::ParseCondition(*text, expr::Kind::kFilter, subs_);
  }
  if (const json::Value* filter = input::Object(input_, legacy_member))
    return expr::ConditionFromFilter(*filter, Member(input_, "ConditionalOperator"));
  return std::nullopt;
}

std::optional<expr::Node> RequestExpressions::KeyCondition() {
  ThrowIfRefused();
  if (auto text = input::String(input_, "KeyConditionExpression")) {
    any_expression_ = true;
    return expr::ParseCondition(*text, expr::Kind::kKeyCondition, subs_);
  }
  if (const json::Value* conditions = input::Object(input_, "KeyConditions"))
    return expr::ConditionFromFilter(*conditions, nullptr);
  return std::nullopt;
}

std::optional<std::vector<expr::Path>> RequestExpressions::Projection() {
  ThrowIfRefused();
  return Enveloped(in_transaction_, [&] { return ParseProjection(); });
}

std::optional<std::vector<expr::Path>> RequestExpressions::ParseProjection() {
  if (auto text = input::String(input_, "ProjectionExpression")) {
    any_expression_ = true;
    return expr::ParseProjection(*text, subs_);
  }
  if (const json::Value* names = input::Array(input_, "AttributesToGet")) return expr::PathsFromAttributesToGet(*names);
  return std::nullopt;
}

std::optional<std::vector<expr::UpdateAction>> RequestExpressions::Update() {
  ThrowIfRefused();
  return Enveloped(in_transaction_, [&] { return ParseUpdate(); });
}

std::optional<std::vector<expr::UpdateAction>> RequestExpressions::ParseUpdate() {
  if (auto text = input::String(input_, "UpdateExpression")) {
    any_expression_ = true;
    return expr::ParseUpdate(*text, subs_);
  }
  if (const json::Value* updates = input::Object(input_, "AttributeUpdates"))
    return expr::ActionsFromAttributeUpdates(*updates);
  return std::nullopt;
}

void RequestExpressions::Finish() {
  ThrowIfRefused();
  if (in_transaction_ && !any_expression_) return;  // names and values beside no expression pass
  Enveloped(in_transaction_, [&] { subs_.CheckAllUsed(any_expression_); });
}

}  // namespace localddb::api
