#include "api/ops/expression_input.h"

#include "api/error.h"
#include "api/expr/legacy.h"
#include "api/input/request.h"
#include "api/value/json_codec.h"

namespace localddb::api {
namespace {

constexpr const char* kExpressionParams[] = {"ProjectionExpression", "FilterExpression", "KeyConditionExpression",
                                             "ConditionExpression", "UpdateExpression"};
constexpr const char* kLegacyParams[] = {"AttributesToGet", "QueryFilter",      "ScanFilter",         "KeyConditions",
                                         "Expected",        "AttributeUpdates", "ConditionalOperator"};

bool Present(const json::Value& input, const char* name) {
  auto it = input.FindMember(name);
  return it != input.MemberEnd() && !it->value.IsNull();
}

const json::Value* Member(const json::Value& input, const char* name) {
  auto it = input.FindMember(name);
  return it == input.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

// In the enveloped value layer (PutItem, UpdateItem, DeleteItem) DynamoDB reports problems with
// the request's expressions inside "1 validation error detected: " too.
template <typename F>
auto Enveloped(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const ApiError& e) {
    constexpr std::string_view kEnvelope = "1 validation error detected: ";
    if (e.kind() != ErrorKind::kValidation || value::CurrentValueLayer() != value::ValueLayer::kEnveloped ||
        std::string_view(e.message()).starts_with(kEnvelope))
      throw;
    throw ApiError::Validation(std::string(kEnvelope) + e.message());
  }
}

expr::Substitutions ReadSubstitutions(const json::Value& input) {
  return Enveloped([&] {
    return expr::Substitutions(Member(input, "ExpressionAttributeNames"), Member(input, "ExpressionAttributeValues"));
  });
}

}  // namespace

RequestExpressions::RequestExpressions(const json::Value& input) : input_(input), subs_(ReadSubstitutions(input)) {
  std::string legacy, modern;
  for (const char* p : kLegacyParams)
    if (Present(input, p)) legacy += (legacy.empty() ? "" : ", ") + std::string(p);
  for (const char* p : kExpressionParams)
    if (Present(input, p)) modern += (modern.empty() ? "" : ", ") + std::string(p);
  if (!legacy.empty() && !modern.empty())
    throw ApiError::Validation(
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {" +
        legacy + "} Expression parameters: {" + modern + "}");
}

std::optional<expr::Node> RequestExpressions::WriteCondition() {
  return Enveloped([&] { return ParseWriteCondition(); });
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
  if (auto text = input::String(input_, "FilterExpression")) {
    any_expression_ = true;
    return expr::ParseCondition(*text, expr::Kind::kFilter, subs_);
  }
  if (const json::Value* filter = input::Object(input_, legacy_member))
    return expr::ConditionFromFilter(*filter, Member(input_, "ConditionalOperator"));
  return std::nullopt;
}

std::optional<expr::Node> RequestExpressions::KeyCondition() {
  if (auto text = input::String(input_, "KeyConditionExpression")) {
    any_expression_ = true;
    return expr::ParseCondition(*text, expr::Kind::kKeyCondition, subs_);
  }
  if (const json::Value* conditions = input::Object(input_, "KeyConditions"))
    return expr::ConditionFromFilter(*conditions, nullptr);
  return std::nullopt;
}

std::optional<std::vector<expr::Path>> RequestExpressions::Projection() {
  return Enveloped([&] { return ParseProjection(); });
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
  return Enveloped([&] { return ParseUpdate(); });
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
  Enveloped([&] { subs_.CheckAllUsed(any_expression_); });
}

}  // namespace localddb::api
