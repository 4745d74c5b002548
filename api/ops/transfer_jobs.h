// Table exports and imports as localddb keeps them (storage's jobs, kinds "export" and
// "import"): each job's description is DynamoDB's own ExportDescription or
// ImportTableDescription JSON in its final state (COMPLETED or FAILED), so Describe answers it as
// it is and List picks its summary members. What the export and import operations share: loading,
// ClientToken idempotency, the first answer (IN_PROGRESS), paging tokens, ids.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/error.h"
#include "api/ops/operation.h"
#include "storage/database.h"

namespace localddb::api {

inline constexpr std::string_view kExportJob = "export";
inline constexpr std::string_view kImportJob = "import";

struct TransferJob {
  std::string arn;
  double started = 0;
  std::string table_arn;
  std::string client_token;
  // The request's parameters that a retry with the same ClientToken must repeat.
  std::string request;
  std::string description;  // ExportDescription / ImportTableDescription, final

  std::string ToJson() const;
  static TransferJob FromRow(const storage::JobRow& row);
};

// Every job of a kind in the namespace, oldest first (through this thread's reader).
std::vector<TransferJob> LoadTransferJobs(Context& ctx, std::string_view kind);
// The job with this ARN, if any.
std::optional<TransferJob> FindTransferJob(Context& ctx, std::string_view kind, std::string_view arn);
// The job started with this ClientToken less than 8 hours ago (DynamoDB's idempotency window),
// if any.
std::optional<TransferJob> FindByClientToken(Context& ctx, std::string_view kind, std::string_view token);
void PutTransferJob(storage::WriteTxn& txn, std::string_view kind, const TransferJob& job);

// A new export or import id: 14 digits of milliseconds since the epoch, '-', 8 hex digits
// (DynamoDB's form, e.g. 01604474914028-a1b2c3d4).
std::string NewJobId(double now);

// The description as the first answer gives it: status IN_PROGRESS, without the members only a
// finished job has (`finished_only`).
std::string InProgress(const std::string& description, const char* status_member,
                       const std::vector<const char*>& finished_only);

// Paging: an opaque NextToken (hex, as ListImports requires: ([0-9a-f]{16})+, 112 to 1024
// characters) naming the job a page starts at; Decode returns nullopt for a token not made here.
std::string EncodePageToken(std::string_view arn);
std::optional<std::string> DecodePageToken(std::string_view token);

// DescribeExport / DescribeImport: the job whose ARN the request's `arn_member` names (its length
// checked at `arn_path`), else not_found with "<noun> not found: <arn>".
TransferJob RequireTransferJob(Context& ctx, const json::Value& input, std::string_view kind, const char* arn_member,
                               const char* arn_path, ErrorKind not_found, const char* noun);

// ListExports / ListImports once their own parameters are checked: the kind's jobs (of one table
// when table_arn is given, a name or an ARN), `count` from the one the token names, as
// {"<list_member>": [summaries], "NextToken": ...}.
std::string TransferJobPage(Context& ctx, std::string_view kind, std::optional<std::string_view> table_arn,
                            size_t count, std::optional<std::string_view> token, const char* list_member,
                            const std::vector<const char*>& summary_members);

// Copies members of a stored description into w (those present), for List summaries.
void CopyMembers(json::Writer& w, const std::string& description, const std::vector<const char*>& members);

}  // namespace localddb::api
