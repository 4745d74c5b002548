#include "api/ops/transfer_jobs.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <random>

#include "api/catalog/describe.h"
#include "api/input/request.h"
#include "api/ops/table_lookup.h"

namespace localddb::api {
namespace {

// "A client token is valid for 8 hours after the first request that uses it is completed"
// (ExportTableToPointInTime and ImportTable, API reference).
constexpr double kClientTokenSeconds = 8 * 3600;

}  // namespace

std::string TransferJob::ToJson() const {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("started");
  w.Double(started);
  w.Key("table_arn");
  w.String(table_arn.c_str(), static_cast<rapidjson::SizeType>(table_arn.size()));
  w.Key("client_token");
  w.String(client_token.c_str(), static_cast<rapidjson::SizeType>(client_token.size()));
  w.Key("request");
  w.String(request.c_str(), static_cast<rapidjson::SizeType>(request.size()));
  w.Key("description");
  w.RawValue(description.c_str(), description.size(), rapidjson::kObjectType);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

TransferJob TransferJob::FromRow(const storage::JobRow& row) {
  TransferJob j;
  j.arn = row.id;
  json::Document d;
  if (json::Parse(d, row.description) != json::ParseStatus::kOk || !d.IsObject()) return j;
  if (auto it = d.FindMember("started"); it != d.MemberEnd() && it->value.IsNumber()) j.started = it->value.GetDouble();
  j.table_arn = json::StringOr(d, "table_arn");
  j.client_token = json::StringOr(d, "client_token");
  j.request = json::StringOr(d, "request");
  if (auto it = d.FindMember("description"); it != d.MemberEnd() && it->value.IsObject())
    j.description = json::Dump(it->value);
  return j;
}

std::vector<TransferJob> LoadTransferJobs(Context& ctx, std::string_view kind) {
  std::vector<TransferJob> out;
  for (const auto& row : ctx.db.reader().LoadJobs(kind)) out.push_back(TransferJob::FromRow(row));
  std::stable_sort(out.begin(), out.end(), [](const TransferJob& a, const TransferJob& b) {
    return a.started != b.started ? a.started < b.started : a.arn < b.arn;
  });
  return out;
}

std::optional<TransferJob> FindTransferJob(Context& ctx, std::string_view kind, std::string_view arn) {
  for (auto& j : LoadTransferJobs(ctx, kind))
    if (j.arn == arn) return std::move(j);
  return std::nullopt;
}

std::optional<TransferJob> FindByClientToken(Context& ctx, std::string_view kind, std::string_view token) {
  const double now = ctx.now();
  for (auto& j : LoadTransferJobs(ctx, kind))
    if (j.client_token == token && now - j.started < kClientTokenSeconds) return std::move(j);
  return std::nullopt;
}

void PutTransferJob(storage::WriteTxn& txn, std::string_view kind, const TransferJob& job) {
  txn.PutJob({std::string(kind), job.arn, job.ToJson()});
}

std::string NewJobId(double now) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  char id[32];
  std::snprintf(id, sizeof id, "%014" PRId64 "-%08x", static_cast<int64_t>(now * 1000),
                static_cast<unsigned>(random() & 0xffffffffu));
  return id;
}

std::string InProgress(const std::string& description, const char* status_member,
                       const std::vector<const char*>& finished_only) {
  json::Document d;
  json::Parse(d, description);
  if (!d.IsObject()) return description;
  for (const char* m : finished_only) d.RemoveMember(m);
  if (auto it = d.FindMember(status_member); it != d.MemberEnd()) it->value.SetString("IN_PROGRESS");
  return json::Dump(d);
}

std::string EncodePageToken(std::string_view arn) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : arn) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  // Padded with "00" (a NUL, which no ARN holds) to whole groups of 16 and at least 112 digits.
  while (out.size() < 112 || out.size() % 16 != 0) out += "00";
  return out;
}

std::optional<std::string> DecodePageToken(std::string_view token) {
  if (token.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < token.size(); i += 2) {
    int v = 0;
    for (char c : token.substr(i, 2)) {
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= c - '0';
      else if (c >= 'a' && c <= 'f')
        v |= c - 'a' + 10;
      else
        return std::nullopt;
    }
    if (v == 0) break;
    out += static_cast<char>(v);
  }
  return out;
}

void CopyMembers(json::Writer& w, const std::string& description, const std::vector<const char*>& members) {
  json::Document d;
  json::Parse(d, description);
  if (!d.IsObject()) return;
  for (const char* m : members) {
    auto it = d.FindMember(m);
    if (it == d.MemberEnd()) continue;
    w.Key(m);
    it->value.Accept(w);
  }
}

TransferJob RequireTransferJob(Context& ctx, const json::Value& input, std::string_view kind, const char* arn_member,
                               const char* arn_path, ErrorKind not_found, const char* noun) {
  input::RequireObject(input);
  auto arn = input::String(input, arn_member);
  input::Violations v;
  if (!arn)
    v.Missing(arn_path);
  else if (arn->size() < 37 || arn->size() > 1024)
    v.Add(arn_path, input::Quote(json::Excerpt(*arn, 64)),
          arn->size() < 37 ? "Member must have length greater than or equal to 37"
                           : "Member must have length less than or equal to 1024");
  v.ThrowIfAny();
  auto job = FindTransferJob(ctx, kind, *arn);
  // Wording unconfirmed.
  if (!job) throw ApiError(not_found, std::string(noun) + " not found: " + std::string(*arn));
  return std::move(*job);
}

std::string TransferJobPage(Context& ctx, std::string_view kind, std::optional<std::string_view> table_arn,
                            size_t count, std::optional<std::string_view> token, const char* list_member,
                            const std::vector<const char*>& summary_members) {
  std::vector<TransferJob> jobs = LoadTransferJobs(ctx, kind);
  if (table_arn) {
    const std::string canonical = TableArn(ctx.settings, TableNameOf(*table_arn));
    std::erase_if(jobs, [&](const TransferJob& j) { return j.table_arn != canonical; });
  }
  size_t first = 0;
  if (token) {
    auto start = DecodePageToken(*token);
    auto it = start ? std::find_if(jobs.begin(), jobs.end(), [&](const TransferJob& j) { return j.arn == *start; })
                    : jobs.end();
    if (it == jobs.end()) throw ApiError::Validation("Invalid NextToken");  // wording unconfirmed
    first = static_cast<size_t>(it - jobs.begin());
  }
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key(list_member);
  w.StartArray();
  size_t i = first;
  for (; i < jobs.size() && i < first + count; ++i) {
    w.StartObject();
    CopyMembers(w, jobs[i].description, summary_members);
    w.EndObject();
  }
  w.EndArray();
  if (i < jobs.size()) json::StringMember(w, "NextToken", EncodePageToken(jobs[i].arn));
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace localddb::api
