// What a fault decision (server/faults.h) does to one request and its answer: answered at once
// (an error or a transaction conflict: nothing is applied), batch items taken out of the request
// and handed back as unprocessed, the answer delayed, dropped or given a wrong checksum.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/error.h"
#include "api/json.h"
#include "server/faults.h"
#include "server/wire.h"

namespace localddb::server {

struct PreparedFault {
  std::optional<api::ApiError> answer;  // answer this instead of running the operation
  std::optional<std::string> body;      // or this 200 body (every batch item was left unprocessed)
  std::string unprocessed_member;       // "UnprocessedItems" / "UnprocessedKeys" to merge into the answer
  std::string unprocessed_json;         // its value
};

// REQUIRES: decision.any(). May rewrite request (the unprocessed items taken out).
PreparedFault PrepareFault(const FaultDecision& decision, std::string_view operation, json::Document& request);

// A successful answer's body with the unprocessed items put in.
std::string MergeUnprocessed(const std::string& body, const PreparedFault& prepared);

// Marks an answer for the connection (latency, drop) and corrupts its checksum if asked.
void MarkResponse(Response& res, const FaultDecision& decision);

// The connection's side (server/http_server.cc): markers it reads and removes before writing.
constexpr std::string_view kDelayMarker = "X-Localddb-Fault-Delay-Ms";
constexpr std::string_view kDropMarker = "X-Localddb-Fault-Drop";

}  // namespace localddb::server
