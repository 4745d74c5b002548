#include "streams/hook_settings.h"

#include <cctype>
#include <cstdio>
#include <functional>
#include <optional>
#include <stdexcept>
#include <vector>

namespace localddb::streams {
namespace {

using json::Value;

[[noreturn]] void Invalid(std::string_view member, std::string_view expected) {
  throw std::invalid_argument("invalid stream hook setting " + std::string(member) + ": expected " +
                              std::string(expected));
}

int IntIn(const Value& v, std::string_view member, int64_t lo, int64_t hi) {
  if (!v.IsInt64() || v.GetInt64() < lo || v.GetInt64() > hi)
    Invalid(member, "an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  return static_cast<int>(v.GetInt64());
}

bool Bool(const Value& v, std::string_view member) {
  if (!v.IsBool()) Invalid(member, "true or false");
  return v.GetBool();
}

// One setting: its Lambda name and how it is read into HookSettings.
struct Member {
  const char* name;
  std::function<void(const Value&, HookSettings&)> read;
};

const std::vector<Member>& Members() {
  static const std::vector<Member> members = {
      {"BatchSize", [](const Value& v, HookSettings& s) { s.batch_size = IntIn(v, "BatchSize", 1, 10000); }},
      {"MaximumBatchingWindowInSeconds",
       [](const Value& v, HookSettings& s) {
         s.batching_window_s = IntIn(v, "MaximumBatchingWindowInSeconds", 0, 300);
       }},
      {"StartingPosition",
       [](const Value& v, HookSettings& s) {
         if (!v.IsString() || (json::View(v) != "TRIM_HORIZON" && json::View(v) != "LATEST"))
           Invalid("StartingPosition", "TRIM_HORIZON or LATEST");
         s.start_at_latest = json::View(v) == "LATEST";
       }},
      {"MaximumRetryAttempts",
       [](const Value& v, HookSettings& s) { s.max_retry_attempts = IntIn(v, "MaximumRetryAttempts", -1, 10000); }},
      {"MaximumRecordAgeInSeconds",
       [](const Value& v, HookSettings& s) {
         const int age = IntIn(v, "MaximumRecordAgeInSeconds", -1, 604800);
         if (age == 0) Invalid("MaximumRecordAgeInSeconds", "-1 (until the records expire) or 1 to 604800");
         s.max_record_age_s = age;
       }},
      {"BisectBatchOnFunctionError",
       [](const Value& v, HookSettings& s) { s.bisect_on_error = Bool(v, "BisectBatchOnFunctionError"); }},
      {"FunctionResponseTypes",
       [](const Value& v, HookSettings& s) {
         if (!v.IsArray()) Invalid("FunctionResponseTypes", "a list: [] or [\"ReportBatchItemFailures\"]");
         s.report_item_failures = false;
         for (const auto& t : v.GetArray()) {
           if (!t.IsString() || json::View(t) != "ReportBatchItemFailures")
             Invalid("FunctionResponseTypes", "a list: [] or [\"ReportBatchItemFailures\"]");
           s.report_item_failures = true;
         }
       }},
      {"ParallelizationFactor",
       [](const Value& v, HookSettings& s) { s.parallelization_factor = IntIn(v, "ParallelizationFactor", 1, 10); }},
      {"Enabled", [](const Value& v, HookSettings& s) { s.enabled = Bool(v, "Enabled"); }},
      {"FilterCriteria", [](const Value& v, HookSettings& s) { s.filter = EventFilter::Parse(v); }},
      {"DestinationConfig",
       [](const Value& v, HookSettings& s) {
         const char* expected = "{\"OnFailure\": {\"Destination\": \"<ARN or name>\"}}";
         if (!v.IsObject()) Invalid("DestinationConfig", expected);
         s.on_failure_destination.clear();
         auto on_failure = v.FindMember("OnFailure");
         if (on_failure == v.MemberEnd()) return;
         if (!on_failure->value.IsObject()) Invalid("DestinationConfig", expected);
         auto dest = on_failure->value.FindMember("Destination");
         if (dest == on_failure->value.MemberEnd()) return;
         if (!dest->value.IsString()) Invalid("DestinationConfig", expected);
         s.on_failure_destination = json::View(dest->value);
       }},
      {"TimeoutMs", [](const Value& v, HookSettings& s) { s.timeout_ms = IntIn(v, "TimeoutMs", 1, 600000); }},
  };
  return members;
}

// Members of a declaration that are not settings.
constexpr std::string_view kTargetMembers[] = {"table", "url", "function", "FunctionName"};

bool IsTargetMember(std::string_view name) {
  for (auto m : kTargetMembers)
    if (m == name) return true;
  return false;
}

void ReadSettings(const Value& obj, HookSettings& s, bool allow_targets) {
  for (auto m = obj.MemberBegin(); m != obj.MemberEnd(); ++m) {
    const std::string_view name = json::View(m->name);
    if (allow_targets && IsTargetMember(name)) continue;
    if (name == "TumblingWindowInSeconds")
      throw std::invalid_argument(
          "TumblingWindowInSeconds is not supported by localddb's stream hooks (no tumbling-window aggregation)");
    bool known = false;
    for (const auto& member : Members())
      if (name == member.name) {
        member.read(m->value, s);
        known = true;
        break;
      }
    if (!known) {
      std::string names;
      for (const auto& member : Members()) names += std::string(names.empty() ? "" : ", ") + member.name;
      throw std::invalid_argument("unknown stream hook setting '" + json::Excerpt(name, 64) +
                                  "'; a hook takes table, url or function, and " + names);
    }
  }
}

uint32_t Fnv1a(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

}  // namespace

std::string HookSpec::Id() const {
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", Fnv1a(url));
  return table + "-" + hex;
}

std::string InvokeUrl(std::string_view endpoint, std::string_view function) {
  std::string base(endpoint);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/2015-03-31/functions/" + std::string(function) + "/invocations";
}

HookSettings ParseHookSettings(const json::Value& settings, const HookSettings& defaults) {
  HookSettings s = defaults;
  if (!settings.IsObject()) throw std::invalid_argument("stream hook settings are a JSON object");
  ReadSettings(settings, s, /*allow_targets=*/false);
  return s;
}

HookSpec ParseHookSpec(const json::Value& decl, const HookSettings& defaults, std::string_view lambda_endpoint) {
  if (!decl.IsObject())
    throw std::invalid_argument("a stream hook is a JSON object: {\"table\": ..., \"url\": ... or \"function\": ...}");
  auto text = [&](const char* name) -> std::optional<std::string> {
    auto it = decl.FindMember(name);
    if (it == decl.MemberEnd()) return std::nullopt;
    if (!it->value.IsString() || it->value.GetStringLength() == 0)
      throw std::invalid_argument(std::string("stream hook member '") + name + "' must be a non-empty string");
    return std::string(json::View(it->value));
  };
  HookSpec spec;
  spec.table = text("table").value_or("");
  if (spec.table.empty()) throw std::invalid_argument("a stream hook needs \"table\"");
  auto url = text("url");
  auto function = text("function");
  if (!function) function = text("FunctionName");
  if (url.has_value() == function.has_value())
    throw std::invalid_argument("a stream hook needs exactly one of \"url\" and \"function\"");
  if (url) {
    if (url->rfind("http://", 0) != 0)
      throw std::invalid_argument("stream hook url must start with http:// (got '" + json::Excerpt(*url, 100) + "')");
    spec.url = *url;
  } else {
    if (lambda_endpoint.empty())
      throw std::invalid_argument(
          "a stream hook declared by function name needs the server started with "
          "--lambda-endpoint URL (a Lambda runtime interface emulator or sam local "
          "start-lambda)");
    for (char c : *function)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != ':' && c != '.')
        throw std::invalid_argument("stream hook function name '" + json::Excerpt(*function, 100) +
                                    "' may hold letters, digits, '-', '_', '.' and ':' only");
    spec.function = *function;
    spec.url = InvokeUrl(lambda_endpoint, *function);
  }
  spec.settings = defaults;
  ReadSettings(decl, spec.settings, /*allow_targets=*/true);
  return spec;
}

void WriteHookSettings(json::Writer& w, const HookSettings& s) {
  w.Key("BatchSize");
  w.Int(s.batch_size);
  w.Key("MaximumBatchingWindowInSeconds");
  w.Int(static_cast<int>(s.batching_window_s));
  w.Key("StartingPosition");
  w.String(s.start_at_latest ? "LATEST" : "TRIM_HORIZON");
  w.Key("MaximumRetryAttempts");
  w.Int(s.max_retry_attempts);
  w.Key("MaximumRecordAgeInSeconds");
  w.Int(s.max_record_age_s);
  w.Key("BisectBatchOnFunctionError");
  w.Bool(s.bisect_on_error);
  w.Key("FunctionResponseTypes");
  w.StartArray();
  if (s.report_item_failures) w.String("ReportBatchItemFailures");
  w.EndArray();
  w.Key("ParallelizationFactor");
  w.Int(s.parallelization_factor);
  w.Key("Enabled");
  w.Bool(s.enabled);
  if (!s.filter.json().empty()) {
    json::Document d;
    if (json::Parse(d, s.filter.json()) == json::ParseStatus::kOk) {
      w.Key("FilterCriteria");
      d.Accept(w);
    }
  }
  if (!s.on_failure_destination.empty()) {
    w.Key("DestinationConfig");
    w.StartObject();
    w.Key("OnFailure");
    w.StartObject();
    w.Key("Destination");
    w.String(s.on_failure_destination);
    w.EndObject();
    w.EndObject();
  }
  w.Key("TimeoutMs");
  w.Int(s.timeout_ms);
}

std::string HookSettingsJson(const HookSettings& s) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  WriteHookSettings(w, s);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace localddb::streams
