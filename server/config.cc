#include "server/config.h"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cctype>
#include <functional>
#include <iostream>
#include <thread>

#include "common/server_clock.h"

namespace localddb::server {
namespace po = boost::program_options;

namespace {

// LOCALDDB_IN_MEMORY -> in-memory; unknown variables are ignored.
std::string EnvToOption(const std::string& env) {
  static const std::pair<const char*, const char*> kMap[] = {
      {"LOCALDDB_HOST", "host"},
      {"LOCALDDB_PORT", "port"},
      {"LOCALDDB_DB", "db"},
      {"LOCALDDB_IN_MEMORY", "in-memory"},
      {"LOCALDDB_REGION", "region"},
      {"LOCALDDB_LOG_LEVEL", "log-level"},
      {"LOCALDDB_THREADS", "threads"},
      {"LOCALDDB_FSYNC", "fsync"},
      {"LOCALDDB_MMAP_MIB", "mmap-mib"},
      {"LOCALDDB_AUTH", "auth"},
      {"LOCALDDB_CREDENTIALS", "credentials"},
      {"LOCALDDB_MAX_BODY", "max-body"},
      {"LOCALDDB_IDLE_TIMEOUT", "idle-timeout"},
      {"LOCALDDB_MAX_CONNECTIONS", "max-connections"},
      {"LOCALDDB_REQUEST_TIMEOUT", "request-timeout"},
      {"LOCALDDB_MAX_INFLIGHT_BYTES", "max-inflight-bytes"},
      {"LOCALDDB_STREAM_HOOK", "stream-hook"},
      {"LOCALDDB_STREAM_HOOKS", "stream-hook"},
      {"LOCALDDB_STREAM_BATCH_SIZE", "stream-batch-size"},
      {"LOCALDDB_STREAM_BATCH_WINDOW_MS", "stream-batch-window-ms"},
      {"LOCALDDB_STREAM_MAX_ATTEMPTS", "stream-max-attempts"},
      {"LOCALDDB_STREAM_MAX_RECORD_AGE", "stream-max-record-age"},
      {"LOCALDDB_STREAM_HOOK_TIMEOUT_MS", "stream-hook-timeout-ms"},
      {"LOCALDDB_STREAM_STARTING_POSITION", "stream-starting-position"},
      {"LOCALDDB_STREAM_MAX_RETRY_ATTEMPTS", "stream-max-retry-attempts"},
      {"LOCALDDB_STREAM_BISECT_ON_ERROR", "stream-bisect-on-error"},
      {"LOCALDDB_STREAM_FUNCTION_RESPONSE_TYPES", "stream-function-response-types"},
      {"LOCALDDB_STREAM_FILTER", "stream-filter"},
      {"LOCALDDB_STREAM_ON_FAILURE", "stream-on-failure"},
      {"LOCALDDB_STREAM_HOOK_HISTORY", "stream-hook-history"},
      {"LOCALDDB_LAMBDA_ENDPOINT", "lambda-endpoint"},
      {"LOCALDDB_STREAM_RETENTION_HOURS", "stream-retention-hours"},
      {"LOCALDDB_ADMIN_TOKEN", "admin-token"},
      {"LOCALDDB_ALLOW_HOST", "allow-host"},
      {"LOCALDDB_ALLOW_HOSTS", "allow-host"},
      {"LOCALDDB_ALLOW_HOOK_TARGET", "allow-hook-target"},
      {"LOCALDDB_ALLOW_HOOK_TARGETS", "allow-hook-target"},
      {"LOCALDDB_LOG_FORMAT", "log-format"},
      {"LOCALDDB_LOG_REQUESTS", "log-requests"},
      {"LOCALDDB_REQUEST_LOG_SIZE", "request-log-size"},
      {"LOCALDDB_CORS", "cors"},
      {"LOCALDDB_NAMESPACE_BY", "namespace-by"},
      {"LOCALDDB_SNAPSHOT_DIR", "snapshot-dir"},
      {"LOCALDDB_RESTORE_SNAPSHOT", "restore-snapshot"},
      {"LOCALDDB_SEED", "seed"},
      {"LOCALDDB_CLOCK", "clock"},
      {"LOCALDDB_CLOCK_START", "clock-start"},
      {"LOCALDDB_TTL_SWEEP_INTERVAL", "ttl-sweep-interval"},
      {"LOCALDDB_FAULTS", "faults"},
      {"LOCALDDB_S3_DIR", "s3-dir"},
  };
  for (const auto& [e, o] : kMap)
    if (env == e) return o;
  return {};
}

bool Truthy(const std::string& s) { return s == "1" || s == "true" || s == "yes" || s == "on"; }

// A switch's value (--in-memory, LOCALDDB_IN_MEMORY=1): refuses anything but a yes or a no, so
// `--in-memory 8001` does not quietly turn in-memory off.
bool Switch(const std::string& name, const std::string& value) {
  std::string v;
  for (char ch : value) v += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (Truthy(v)) return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  throw ConfigError("invalid value '" + value + "' for --" + name + ": it is a switch (write --" + name +
                    " alone, or --" + name + "=false); if '" + value +
                    "' was meant as another setting, give it its own flag (e.g. --port 8001)");
}

// One --stream-hook value (or LOCALDDB_STREAM_HOOKS): a JSON object or array of declarations, or
// TABLE=URL / TABLE=function:NAME items separated by commas or spaces. Needs the defaults and the
// Lambda endpoint already read.
void ParseStreamHooks(const std::string& value, Config& c) {
  const size_t start = value.find_first_not_of(" \t\n");
  if (start != std::string::npos && (value[start] == '{' || value[start] == '[')) {
    json::Document doc;
    if (json::Parse(doc, value) != json::ParseStatus::kOk)
      throw ConfigError("invalid value for --stream-hook: not JSON: " + json::Excerpt(value, 100));
    try {
      if (doc.IsArray()) {
        for (const auto& decl : doc.GetArray())
          c.stream_hooks.push_back(streams::ParseHookSpec(decl, c.stream_defaults, c.lambda_endpoint));
      } else {
        c.stream_hooks.push_back(streams::ParseHookSpec(doc, c.stream_defaults, c.lambda_endpoint));
      }
    } catch (const std::invalid_argument& e) {
      throw ConfigError(std::string("invalid value for --stream-hook: ") + e.what());
    }
    return;
  }
  size_t pos = 0;
  while (pos < value.size()) {
    size_t end = value.find_first_of(", ", pos);
    if (end == std::string::npos) end = value.size();
    const std::string pair = value.substr(pos, end - pos);
    pos = end + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string target = eq == std::string::npos ? "" : pair.substr(eq + 1);
    const bool function = target.rfind("function:", 0) == 0;
    if (eq == std::string::npos || eq == 0 || (!function && target.rfind("http://", 0) != 0))
      throw ConfigError("invalid value '" + pair +
                        "' for --stream-hook (expected TABLE=http://host:port/path or TABLE=function:NAME)");
    json::Document decl;
    decl.SetObject();
    auto& a = decl.GetAllocator();
    decl.AddMember("table", json::Value(pair.substr(0, eq), a), a);
    decl.AddMember(json::Value(function ? "function" : "url", a), json::Value(function ? target.substr(9) : target, a),
                   a);
    try {
      c.stream_hooks.push_back(streams::ParseHookSpec(decl, c.stream_defaults, c.lambda_endpoint));
    } catch (const std::invalid_argument& e) {
      throw ConfigError("invalid value '" + pair + "' for --stream-hook: " + e.what());
    }
  }
}

// The values of a repeatable option, each of which may itself be a comma-separated list (as the
// environment gives them); empty items are dropped.
std::vector<std::string> ListOption(const po::variables_map& vm, const char* name) {
  std::vector<std::string> out;
  if (!vm.count(name)) return out;
  for (const auto& group : vm[name].as<std::vector<std::string>>()) {
    size_t start = 0;
    while (start <= group.size()) {
      size_t end = group.find(',', start);
      if (end == std::string::npos) end = group.size();
      std::string item = group.substr(start, end - start);
      while (!item.empty() && item.front() == ' ') item.erase(item.begin());
      while (!item.empty() && item.back() == ' ') item.pop_back();
      if (!item.empty()) out.push_back(std::move(item));
      start = end + 1;
    }
  }
  return out;
}

// What --help prints above the flags.
constexpr const char* kUsage =
    "localddb: a local DynamoDB-compatible server\n\n"
    "Usage: localddb [options]            serve (every setting is a flag; no other words)\n"
    "       localddb health [--url URL]   exit 0 if the server at URL (default http://127.0.0.1:8000) is up\n"
    "       localddb version              print the version\n"
    "       localddb snapshot export --db FILE --out COPY\n\n"
    "Every flag --some-name also reads the environment variable LOCALDDB_SOME_NAME (e.g. LOCALDDB_PORT,\n"
    "LOCALDDB_IN_MEMORY=1, LOCALDDB_STREAM_HOOK); a repeatable flag's variable takes a comma-separated\n"
    "list and may also be spelled in the plural (LOCALDDB_STREAM_HOOKS). A flag on the command line wins.\n"
    "Exit status: 0 after a clean stop (SIGTERM, SIGINT) or --help; 1 when the server cannot start or\n"
    "stops on an error; 2 for a bad flag or value.";

// --help, the flags grouped by topic (every flag not named here lands in the last group).
void PrintHelp(const po::options_description& desc) {
  static const std::vector<std::pair<const char*, std::vector<std::string>>> kTopics = {
      {"Serving", {"help", "version", "host", "port", "db", "in-memory", "region", "threads", "fsync", "mmap-mib"}},
      {"Logging", {"log-level", "log-format", "log-requests", "request-log-size"}},
      {"Limits", {"max-body", "idle-timeout", "request-timeout", "max-connections", "max-inflight-bytes"}},
      {"Security and the admin API", {"auth", "credentials", "admin-token", "allow-host", "allow-hook-target", "cors"}},
      {"Stream hooks (Lambda event source mapping settings)",
       {"stream-hook", "lambda-endpoint", "stream-batch-size", "stream-batch-window-ms", "stream-starting-position",
        "stream-max-retry-attempts", "stream-max-attempts", "stream-max-record-age", "stream-bisect-on-error",
        "stream-function-response-types", "stream-filter", "stream-on-failure", "stream-hook-timeout-ms",
        "stream-hook-history", "stream-retention-hours"}},
      {"Test double",
       {"namespace-by", "snapshot-dir", "restore-snapshot", "seed", "clock", "clock-start", "ttl-sweep-interval",
        "faults", "s3-dir"}},
  };
  std::cout << kUsage << "\n";
  std::vector<bool> shown(desc.options().size(), false);
  auto print = [&](const char* title, const std::function<bool(const std::string&)>& wanted) {
    po::options_description group(title);
    for (size_t i = 0; i < desc.options().size(); ++i)
      if (!shown[i] && wanted(desc.options()[i]->long_name())) {
        group.add(desc.options()[i]);
        shown[i] = true;
      }
    if (!group.options().empty()) std::cout << "\n" << group;
  };
  for (const auto& topic : kTopics) {  // (clang 14 cannot capture a structured binding)
    const std::vector<std::string>& names = topic.second;
    print(topic.first, [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); });
  }
  print("Other", [](const std::string&) { return true; });
}

}  // namespace

std::optional<Config> ParseConfig(int argc, const char* const argv[]) {
  Config c;
  po::options_description desc(kUsage);
  // Boolean switches are strings so that the environment can say LOCALDDB_IN_MEMORY=1.
  desc.add_options()("help,h", "print this help and exit")("version", "print the version and exit")(
      "host", po::value<std::string>(), "address to listen on (default 127.0.0.1)")(
      "port", po::value<std::string>(), "port to listen on (default 8000; 0 picks a free port)")(
      "db", po::value<std::string>(), "SQLite database file (default ./localddb.sqlite)")(
      "in-memory", po::value<std::string>()->implicit_value("1"), "keep all data in memory")(
      "region", po::value<std::string>(), "region for ARNs and the health check (default us-east-1)")(
      "log-level", po::value<std::string>(), "error | warn | info | debug (default info)")(
      "log-format", po::value<std::string>(), "text | json: one line per message (default text)")(
      "log-requests", po::value<std::string>()->implicit_value("1"),
      "log one line per request: request id, operation, table, status, latency, error type")(
      "request-log-size", po::value<std::string>(),
      "requests (with their bodies, cut to 16 KiB) kept for GET /_localddb/requests and the console (default 500; "
      "0: none)")("threads", po::value<std::string>(), "HTTP worker threads (default: number of cores)")(
      "fsync", po::value<std::string>()->implicit_value("1"), "fsync every commit (survives power loss)")(
      "mmap-mib", po::value<std::string>(),
      "MiB of the database file each reading thread maps into memory (default 256; 0: read every page with a "
      "system call)")("auth", po::value<std::string>(), "none | sigv4 (default none: any well-formed credentials)")(
      "credentials", po::value<std::vector<std::string>>()->composing(),
      "AKID:SECRET accepted with --auth sigv4 (repeatable; env: comma-separated)")(
      "max-body", po::value<std::string>(), "largest request body in bytes (default 16 MiB)")(
      "idle-timeout", po::value<std::string>(), "seconds before an idle connection is closed (default 300)")(
      "request-timeout", po::value<std::string>(),
      "seconds a request's header may take to arrive once it has begun (default 10; the body then "
      "gets as long again plus a second per 64 KiB)")(
      "max-connections", po::value<std::string>(),
      "most connections open at once (default 4096, and never more than the file descriptor limit allows)")(
      "max-inflight-bytes", po::value<std::string>(),
      "most request body bytes being read or handled at once (default 256 MiB); more answers 503")(
      "stream-hook", po::value<std::vector<std::string>>()->composing(),
      "TABLE=URL or TABLE=function:NAME: deliver the table's stream records as Lambda events (POSTed to URL, or "
      "invoking NAME at --lambda-endpoint); or a JSON object {\"table\", \"url\"|\"function\", <ESM settings>} "
      "(repeatable; env: comma-separated, or a JSON array)")(
      "lambda-endpoint", po::value<std::string>(),
      "where hooks declared by function name are invoked (Lambda's Invoke API: a runtime interface emulator, "
      "sam local start-lambda or localddb-lambda), e.g. http://127.0.0.1:3001")(
      "stream-batch-size", po::value<std::string>(), "BatchSize: records per delivery (default 100, as Lambda)")(
      "stream-batch-window-ms", po::value<std::string>(),
      "MaximumBatchingWindowInSeconds, in ms: wait up to this long to fill a batch (default 0)")(
      "stream-starting-position", po::value<std::string>(),
      "StartingPosition of a new hook: TRIM_HORIZON (default: every record the stream holds) or LATEST")(
      "stream-max-retry-attempts", po::value<std::string>(),
      "MaximumRetryAttempts: retries of a failing batch before it is given up; -1: until the records expire "
      "(default -1)")(
      "stream-max-attempts", po::value<std::string>(),
      "attempts per batch before it is given up (MaximumRetryAttempts + 1); 0: until the records expire")(
      "stream-max-record-age", po::value<std::string>(),
      "MaximumRecordAgeInSeconds: records older are given up; 0 or -1: until they expire (default -1)")(
      "stream-bisect-on-error", po::value<std::string>()->implicit_value("true"),
      "BisectBatchOnFunctionError: split a failing batch in two and retry each half (default false)")(
      "stream-function-response-types", po::value<std::string>(),
      "FunctionResponseTypes: ReportBatchItemFailures (default: batchItemFailures are honoured) or none")(
      "stream-filter", po::value<std::string>(),
      "FilterCriteria as JSON: {\"Filters\": [{\"Pattern\": \"...\"}]}; records matching no filter are skipped")(
      "stream-on-failure", po::value<std::string>(),
      "DestinationConfig.OnFailure.Destination named in given-up batches' records (they are always kept)")(
      "stream-hook-timeout-ms", po::value<std::string>(), "timeout of one delivery (default 10000)")(
      "stream-hook-history", po::value<std::string>(),
      "deliveries kept per hook for the inspector (default 100; given-up batches: at least 1000)")(
      "stream-retention-hours", po::value<std::string>(), "how long stream records are kept (default 24)")(
      "admin-token", po::value<std::string>(),
      "token the admin API (/_localddb/) requires; without it one is generated when the API needs one "
      "(non-loopback --host or --auth sigv4)")(
      "allow-host", po::value<std::vector<std::string>>()->composing(),
      "another name clients use for this server (besides loopback names and --host), e.g. a docker-compose "
      "service name (repeatable; env: comma-separated)")(
      "allow-hook-target", po::value<std::vector<std::string>>()->composing(),
      "a non-loopback host stream hooks added at run time may POST to (repeatable; env: comma-separated)")(
      "cors", po::value<std::vector<std::string>>()->composing()->implicit_value(std::vector<std::string>{"*"}, "*"),
      "let web pages of these origins call the DynamoDB API from a browser ('*': any; repeatable)")(
      "namespace-by", po::value<std::string>(),
      "none | access-key: with access-key, each access key id is its own namespace (default none)")(
      "snapshot-dir", po::value<std::string>(), "directory of snapshot files (default: <db>.snapshots)")(
      "restore-snapshot", po::value<std::string>(), "restore this snapshot of the default namespace at start-up")(
      "seed", po::value<std::vector<std::string>>()->composing(),
      "a seed file, or a directory of them applied in name order, at start-up (repeatable)")(
      "clock", po::value<std::string>(), "real | manual (default real): a manual clock moves only when told to")(
      "clock-start", po::value<std::string>(), "the clock's time at start-up, ISO-8601 (with --clock manual)")(
      "ttl-sweep-interval", po::value<std::string>(),
      "seconds between background sweeps of expired TTL items (default 1; 0: none)")(
      "faults", po::value<std::string>(), "fault rules to load at start-up: a JSON file {\"rules\": [...]}")(
      "s3-dir", po::value<std::string>(),
      "directory standing in for S3 in table exports and imports: bucket B is its subdirectory B "
      "(default: <db>.s3; in memory: none, exports and imports are refused)");

  po::variables_map vm;
  try {
    // No positional words: `localddb 8001` is a mistake to report, not a word to ignore.
    po::store(po::command_line_parser(argc, argv).options(desc).positional(po::positional_options_description()).run(),
              vm);
    po::store(po::parse_environment(desc, EnvToOption), vm);
    po::notify(vm);
  } catch (const po::too_many_positional_options_error&) {
    std::string stray;
    for (int i = 1; i < argc; ++i)
      if (argv[i][0] != '-' &&
          (i == 1 || argv[i - 1][0] != '-' || std::string(argv[i - 1]).find('=') != std::string::npos))
        stray = argv[i];
    throw ConfigError("unexpected argument" + (stray.empty() ? std::string() : " '" + stray + "'") +
                      ": every setting is a flag (e.g. --port 8001); see localddb --help");
  } catch (const po::error& e) {
    throw ConfigError(std::string(e.what()) + " (see localddb --help)");
  }
  if (vm.count("help")) {
    PrintHelp(desc);
    return std::nullopt;
  }
  if (vm.count("version")) {
    std::cout << "localddb " << LOCALDDB_VERSION << "\n";
    return std::nullopt;
  }
  auto str = [&](const char* name) -> std::optional<std::string> {
    if (!vm.count(name)) return std::nullopt;
    return vm[name].as<std::string>();
  };
  auto integer = [&](const char* name, long min, long max) -> std::optional<long> {
    auto s = str(name);
    if (!s) return std::nullopt;
    try {
      size_t used = 0;
      long v = std::stol(*s, &used);
      if (used != s->size() || v < min || v > max) throw std::out_of_range("range");
      return v;
    } catch (const std::exception&) {
      throw ConfigError("invalid value '" + *s + "' for --" + name + " (expected a whole number from " +
                        std::to_string(min) + " to " + std::to_string(max) + ")");
    }
  };
  if (auto v = str("host")) c.host = *v;
  if (auto v = integer("port", 0, 65535)) c.port = static_cast<int>(*v);
  if (auto v = str("db")) c.db_path = *v;
  if (auto v = str("in-memory")) c.in_memory = Switch("in-memory", *v);
  if (auto v = str("region")) c.region = *v;
  if (auto v = str("log-level")) {
    if (*v == "error")
      c.log_level = LogLevel::kError;
    else if (*v == "warn")
      c.log_level = LogLevel::kWarn;
    else if (*v == "info")
      c.log_level = LogLevel::kInfo;
    else if (*v == "debug")
      c.log_level = LogLevel::kDebug;
    else
      throw ConfigError("invalid value '" + *v + "' for --log-level (expected error, warn, info or debug)");
  }
  if (auto v = integer("threads", 1, 256)) c.threads = static_cast<int>(*v);
  if (c.threads == 0) c.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (auto v = str("fsync")) c.fsync = Switch("fsync", *v);
  if (auto v = integer("mmap-mib", 0, 1 << 20)) c.mmap_mib = *v;
  if (auto v = str("log-requests")) c.log_requests = Switch("log-requests", *v);
  if (auto v = integer("request-log-size", 0, 10000)) c.request_log_size = static_cast<size_t>(*v);
  if (auto v = str("log-format")) {
    if (*v == "text")
      c.log_format = LogFormat::kText;
    else if (*v == "json")
      c.log_format = LogFormat::kJson;
    else
      throw ConfigError("invalid value '" + *v + "' for --log-format (expected text or json)");
  }
  if (auto v = str("auth")) {
    if (*v != "none" && *v != "sigv4")
      throw ConfigError("invalid value '" + *v + "' for --auth (expected none or sigv4)");
    c.auth = *v;
  }
  if (vm.count("credentials")) {
    for (const auto& group : vm["credentials"].as<std::vector<std::string>>()) {
      size_t start = 0;
      while (start <= group.size()) {
        size_t end = group.find(',', start);
        if (end == std::string::npos) end = group.size();
        std::string pair = group.substr(start, end - start);
        size_t colon = pair.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == pair.size())
          throw ConfigError("invalid value '" + pair + "' for --credentials (expected AKID:SECRET)");
        c.credentials.emplace_back(pair.substr(0, colon), pair.substr(colon + 1));
        start = end + 1;
      }
    }
  }
  if (c.auth == "sigv4" && c.credentials.empty())
    throw ConfigError("--auth sigv4 needs at least one --credentials AKID:SECRET");
  if (auto v = integer("max-body", 1024, 1L << 30)) c.max_body_bytes = static_cast<size_t>(*v);
  if (auto v = integer("idle-timeout", 1, 86400)) c.idle_timeout_seconds = static_cast<int>(*v);
  if (auto v = integer("request-timeout", 1, 3600)) c.request_timeout_seconds = static_cast<int>(*v);
  if (auto v = integer("max-connections", 1, 1000000)) c.max_connections = static_cast<size_t>(*v);
  if (auto v = integer("max-inflight-bytes", 1024, 1L << 40)) c.max_inflight_bytes = static_cast<size_t>(*v);
  if (c.max_inflight_bytes < c.max_body_bytes) c.max_inflight_bytes = c.max_body_bytes;
  streams::HookSettings& d = c.stream_defaults;
  if (auto v = integer("stream-batch-size", 1, 10000)) d.batch_size = static_cast<int>(*v);
  if (auto v = integer("stream-batch-window-ms", 0, 300000)) d.batching_window_s = static_cast<double>(*v) / 1000;
  if (auto v = str("stream-starting-position")) {
    if (*v != "TRIM_HORIZON" && *v != "LATEST")
      throw ConfigError("invalid value '" + *v + "' for --stream-starting-position (expected TRIM_HORIZON or LATEST)");
    d.start_at_latest = *v == "LATEST";
  }
  if (auto v = integer("stream-max-attempts", 0, 10001)) d.max_retry_attempts = *v == 0 ? -1 : static_cast<int>(*v) - 1;
  if (auto v = integer("stream-max-retry-attempts", -1, 10000)) d.max_retry_attempts = static_cast<int>(*v);
  if (auto v = integer("stream-max-record-age", -1, 604800)) d.max_record_age_s = *v <= 0 ? -1 : static_cast<int>(*v);
  if (auto v = str("stream-bisect-on-error")) d.bisect_on_error = Switch("stream-bisect-on-error", *v);
  if (auto v = str("stream-function-response-types")) {
    if (*v != "ReportBatchItemFailures" && *v != "none" && !v->empty())
      throw ConfigError("invalid value '" + *v +
                        "' for --stream-function-response-types (expected ReportBatchItemFailures or none)");
    d.report_item_failures = *v == "ReportBatchItemFailures";
  }
  if (auto v = str("stream-filter")) {
    json::Document doc;
    if (json::Parse(doc, *v) != json::ParseStatus::kOk)
      throw ConfigError("invalid value for --stream-filter: not JSON (expected {\"Filters\": [{\"Pattern\": ...}]})");
    try {
      d.filter = streams::EventFilter::Parse(doc);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(std::string("invalid value for --stream-filter: ") + e.what());
    }
  }
  if (auto v = str("stream-on-failure")) d.on_failure_destination = *v;
  if (auto v = integer("stream-hook-timeout-ms", 1, 600000)) d.timeout_ms = static_cast<int>(*v);
  if (auto v = integer("stream-hook-history", 1, 100000)) c.stream_hook_history = static_cast<int>(*v);
  if (auto v = str("lambda-endpoint")) {
    if (v->rfind("http://", 0) != 0)
      throw ConfigError("invalid value '" + *v + "' for --lambda-endpoint (expected http://host:port)");
    c.lambda_endpoint = *v;
  }
  if (vm.count("stream-hook"))
    for (const auto& group : vm["stream-hook"].as<std::vector<std::string>>()) ParseStreamHooks(group, c);
  if (auto v = integer("stream-retention-hours", 1, 24 * 365)) c.stream_retention_hours = static_cast<double>(*v);
  if (auto v = str("admin-token")) {
    if (v->size() < 8 || v->find_first_of(" \t\r\n") != std::string::npos)
      throw ConfigError("invalid value for --admin-token (expected at least 8 characters, no spaces)");
    c.admin_token = *v;
  }
  c.allow_hosts = ListOption(vm, "allow-host");
  c.allow_hook_targets = ListOption(vm, "allow-hook-target");
  c.cors_origins = ListOption(vm, "cors");
  if (auto v = str("namespace-by")) {
    if (*v != "none" && *v != "access-key")
      throw ConfigError("invalid value '" + *v + "' for --namespace-by (expected none or access-key)");
    c.namespace_by = *v;
  }
  if (auto v = str("snapshot-dir")) c.snapshot_dir = *v;
  if (auto v = str("restore-snapshot")) c.restore_snapshot = *v;
  if (auto v = str("faults")) c.faults_path = *v;
  if (auto v = str("s3-dir")) c.s3_dir = *v;
  c.seed_paths = ListOption(vm, "seed");
  if (auto v = str("clock")) {
    if (*v != "real" && *v != "manual")
      throw ConfigError("invalid value '" + *v + "' for --clock (expected real or manual)");
    c.clock_manual = *v == "manual";
  }
  if (auto v = str("clock-start")) {
    auto at = ParseIso8601(*v);
    if (!at)
      throw ConfigError("invalid value '" + *v + "' for --clock-start (expected ISO-8601, e.g. 2026-01-01T00:00:00Z)");
    c.clock_start = *at;
  }
  if (auto v = str("ttl-sweep-interval")) {
    try {
      size_t used = 0;
      c.ttl_sweep_interval = std::stod(*v, &used);
      if (used != v->size() || c.ttl_sweep_interval < 0 || c.ttl_sweep_interval > 86400) throw std::out_of_range("");
    } catch (const std::exception&) {
      throw ConfigError("invalid value '" + *v + "' for --ttl-sweep-interval (expected seconds from 0 to 86400)");
    }
  }
  return c;
}

}  // namespace localddb::server
