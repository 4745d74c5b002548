// Command-line flags and their LOCALDDB_* environment equivalents (a flag wins over its variable).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/log.h"
#include "storage/database.h"
#include "streams/hook_settings.h"

namespace localddb::server {

struct Config {
  std::string host = "127.0.0.1";
  int port = 8000;
  std::string db_path = "./localddb.sqlite";
  bool in_memory = false;
  std::string region = "us-east-1";
  LogLevel log_level = LogLevel::kInfo;
  LogFormat log_format = LogFormat::kText;  // --log-format text | json
  bool log_requests = false;                // --log-requests: one line per request
  size_t request_log_size = 500;            // --request-log-size: requests kept for /_localddb/requests; 0: off
  int threads = 0;                          // 0: the number of cores
  bool fsync = false;
  int64_t mmap_mib = storage::kDefaultMmapBytes >> 20;  // --mmap-mib: how much of the file each reading thread maps
  std::string auth = "none";                            // none | sigv4
  std::vector<std::pair<std::string, std::string>> credentials;  // access key id -> secret
  size_t max_body_bytes = 16 * 1024 * 1024;
  // Stream hooks: the declared ones (--stream-hook), the settings of hooks that do not say (the
  // --stream-* flags), where hooks declared by function name invoke, and history kept.
  std::vector<streams::HookSpec> stream_hooks;
  streams::HookSettings stream_defaults;
  std::string lambda_endpoint;
  int stream_hook_history = 100;
  double stream_retention_hours = 24;
  int idle_timeout_seconds = 300;
  int request_timeout_seconds = 10;               // a request's header must arrive this soon after its first byte
  size_t max_connections = 4096;                  // also bounded by the file descriptor limit
  size_t max_inflight_bytes = 256 * 1024 * 1024;  // request bodies being read or handled
  // The admin API and browsers (see server/access_policy.h).
  std::string admin_token;                      // --admin-token
  std::vector<std::string> allow_hosts;         // --allow-host
  std::vector<std::string> allow_hook_targets;  // --allow-hook-target
  std::vector<std::string> cors_origins;        // --cors ("*" or origins); empty: no CORS
  // The test double.
  std::string namespace_by = "none";    // none | access-key
  std::string snapshot_dir;             // empty: beside the database
  std::string restore_snapshot;         // --restore-snapshot NAME (default namespace)
  std::vector<std::string> seed_paths;  // --seed PATH (files, or directories of them)
  bool clock_manual = false;            // --clock manual
  double clock_start = 0;               // --clock-start (seconds since the epoch); 0: now
  double ttl_sweep_interval = 1;        // seconds; 0: no background sweeps
  std::string faults_path;              // --faults FILE
  std::string s3_dir;                   // --s3-dir DIR: buckets of exports and imports; empty: <db>.s3
};

// Parses argv and the environment. Returns nullopt after printing --help / --version (exit 0);
// throws ConfigError with a user-facing message for a bad flag or value (exit 2).
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
std::optional<Config> ParseConfig(int argc, const char* const argv[]);

}  // namespace localddb::server
