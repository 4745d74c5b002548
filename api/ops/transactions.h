// What TransactWriteItems and TransactGetItems share: the TransactItems list's limits, DynamoDB's
// split between request-level errors and per-action cancellation reasons, and the
// TransactionCanceledException that carries those reasons.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/error.h"
#include "api/json.h"

namespace localddb::api {

// TransactItems: present, an array of 1 to 100 members; throws ValidationException otherwise.
const json::Value& RequireTransactItems(const json::Value& input);

// One action's outcome, in request order ("None" for an action that would have succeeded).
struct CancellationReason {
  std::string code = "None";  // None, ConditionalCheckFailed, ValidationError
  std::string message;        // empty for None
  std::string item_json;      // ALL_OLD item on a failed condition, if asked for
};

// "Transaction cancelled, please refer cancellation reasons for specific reasons [A, B]" with
// CancellationReasons in the body.
ApiError TransactionCanceled(const std::vector<CancellationReason>& reasons);

// A key that fails validation becomes the action's ValidationError reason, except an empty string
// or binary key value, which DynamoDB refuses for the whole request. Rethrows the latter; returns
// the reason message for the former.
std::string KeyErrorReason(const ApiError& e);

// invalid[i]: action i's ValidationError message, or empty. If any is set, throws the
// cancellation: ValidationError for those, None for the rest. Nothing is read or written first.
void ThrowIfAnyInvalid(const std::vector<std::string>& invalid);

}  // namespace localddb::api
