// Reading a request's expression parameters (and their legacy equivalents) into the engine's
// forms, with DynamoDB's cross-parameter rules. One RequestExpressions per request: it owns the
// Substitutions that all of the request's expressions share.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "api/expr/expression.h"
#include "api/json.h"

namespace localddb::api {

class RequestExpressions {
 public:
  // Reads ExpressionAttributeNames / ExpressionAttributeValues. Also notes DynamoDB's refusals of
  // parameter combinations (expression and legacy parameters mixed, a ConditionalOperator without
  // two legacy conditions), which every accessor below throws.
  // in_transaction: an item of TransactWriteItems or TransactGetItems, where DynamoDB words
  // expression errors without the validation envelope and lets ExpressionAttributeNames/Values
  // stand beside no expression at all.
  explicit RequestExpressions(const json::Value& input, bool in_transaction = false);

  // ConditionExpression, or legacy Expected (+ ConditionalOperator), if present.
  std::optional<expr::Node> WriteCondition();
  // FilterExpression, or the legacy legacy_member (QueryFilter / ScanFilter), if present.
  std::optional<expr::Node> Filter(const char* legacy_member);
  // KeyConditionExpression, or legacy KeyConditions, if present.
  std::optional<expr::Node> KeyCondition();
  // ProjectionExpression, or the legacy AttributesToGet, if present.
  std::optional<std::vector<expr::Path>> Projection();
  // UpdateExpression, or legacy AttributeUpdates, if present.
  std::optional<std::vector<expr::UpdateAction>> Update();

  // Reports unused names/values. Call after every expression of the request was parsed.
  void Finish();

 private:
  std::optional<expr::Node> ParseWriteCondition();
  std::optional<std::vector<expr::UpdateAction>> ParseUpdate();
  std::optional<std::vector<expr::Path>> ParseProjection();
  void ThrowIfRefused() const;

  const json::Value& input_;
  expr::Substitutions subs_;
  bool any_expression_ = false;
  bool in_transaction_ = false;
  std::optional<std::string> refused_;
};

}  // namespace localddb::api
