// A stream hook's declaration: its table, its target, and the settings of Lambda's DynamoDB event
// source mapping, read and written under the names CreateEventSourceMapping uses (BatchSize,
// StartingPosition, FilterCriteria, ...), so users copy them from their SAM or Terraform files.
// The same names serve the /_localddb/stream-hooks API, a --stream-hook flag given as JSON, and
// the database, where a hook's settings are kept as this JSON.
#pragma once

#include <string>
#include <string_view>

#include "api/json.h"
#include "streams/event_filter.h"

namespace localddb::streams {

struct HookSettings {
  int batch_size = 100;                // BatchSize (1..10000)
  double batching_window_s = 0;        // MaximumBatchingWindowInSeconds (0..300)
  bool start_at_latest = false;        // StartingPosition: TRIM_HORIZON (localddb's default) or LATEST
  int max_retry_attempts = -1;         // MaximumRetryAttempts (0..10000); -1: until the records expire
  int max_record_age_s = -1;           // MaximumRecordAgeInSeconds (1..604800); -1: until they expire
  bool bisect_on_error = false;        // BisectBatchOnFunctionError
  bool report_item_failures = true;    // FunctionResponseTypes; when not given, batchItemFailures are honoured
  int parallelization_factor = 1;      // ParallelizationFactor: accepted; delivery is serial per table
  bool enabled = true;                 // Enabled: false declares the hook paused
  EventFilter filter;                  // FilterCriteria
  std::string on_failure_destination;  // DestinationConfig.OnFailure.Destination (echoed in failure records)
  int timeout_ms = 10000;              // TimeoutMs (localddb's): the limit of one POST
};

// Where a hook sends its batches: a URL, or a function name invoked through Lambda's Invoke API
// at --lambda-endpoint (then url is that invocation URL).
struct HookSpec {
  std::string table;
  std::string url;
  std::string function;
  HookSettings settings;
  bool from_flag = false;  // declared by --stream-hook: lives for the process's lifetime only

  // The hook's id: the table's name and a hash of its target, so the same declaration gets the
  // same id in every run (scripts can hard-code it).
  std::string Id() const;
};

// Lambda's Invoke API path under an endpoint, e.g. http://127.0.0.1:3001 and "fn" ->
// http://127.0.0.1:3001/2015-03-31/functions/fn/invocations.
std::string InvokeUrl(std::string_view endpoint, std::string_view function);

// Reads a declaration: {"table": ..., "url": ... | "function"/"FunctionName": ..., <settings>}.
// Settings not given keep `defaults`. A function name needs lambda_endpoint. Throws
// std::invalid_argument saying which member is wrong and what it accepts.
HookSpec ParseHookSpec(const json::Value& decl, const HookSettings& defaults, std::string_view lambda_endpoint);

// Reads settings alone (the stored JSON); members not given keep `defaults`.
HookSettings ParseHookSettings(const json::Value& settings, const HookSettings& defaults);

// Writes the settings as members of the object being written.
void WriteHookSettings(json::Writer& w, const HookSettings& s);
// The settings as a JSON object (as stored).
std::string HookSettingsJson(const HookSettings& s);

}  // namespace localddb::streams
