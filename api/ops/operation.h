// The operation contract: every DynamoDB (and DynamoDB Streams) operation is one Handler.
//
// Handlers never see HTTP. They take the parsed JSON request and a Respond callback, and call it
// exactly once, either before returning (reads) or later from the writer thread (writes, once the
// change has committed). A handler may also throw ApiError before it has responded; the caller
// turns that into the error response.
#pragma once

#include <string_view>

#include "api/context.h"
#include "api/json.h"
#include "api/outcome.h"
#include "api/value/json_codec.h"

namespace localddb::api {

using Handler = void (*)(Context& ctx, const json::Value& input, Respond respond);

enum class Service { kDynamoDB, kStreams };

struct Operation {
  std::string_view name;  // e.g. "PutItem"
  Service service;
  Handler handler;
  // Which wording the operation's attribute-value errors take (see value/json_codec.h); the
  // caller sets it around the handler.
  value::ValueLayer value_layer = value::ValueLayer::kBare;
};

// Every operation, in one fixed order (for per-operation counters: an operation's index is its
// position here).
const Operation* AllOperations(size_t* count);

// Looks up "DynamoDB_20120810.PutItem" / "DynamoDBStreams_20120810.GetRecords"; nullptr if none.
const Operation* FindOperation(std::string_view target);

// Runs an operation as the router does (its value layer set) and waits for its outcome, converting
// a thrown ApiError (or any other exception, as InternalServerError) into a failed Outcome. For
// tests and tools.
Outcome RunSync(Context& ctx, const Operation& op, const json::Value& input);

}  // namespace localddb::api
