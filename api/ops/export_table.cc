// ExportTableToPointInTime, DescribeExport and ListExports. An export writes the table as it was
// at ExportTime (point-in-time recovery must be on, as in DynamoDB) into the bucket's directory
// in DynamoDB's export layout (S3DataExport.Output):
//   <S3Prefix>/AWSDynamoDB/<ExportId>/_started                 empty: the export has begun
//   <S3Prefix>/AWSDynamoDB/<ExportId>/data/<random>.json.gz    one {"Item": {...}} per line
//   <S3Prefix>/AWSDynamoDB/<ExportId>/manifest-files.json      one line per data file
//   <S3Prefix>/AWSDynamoDB/<ExportId>/manifest-summary.json    the export's summary
//   and manifest-files.md5, manifest-summary.md5               their MD5s
// localddb has one partition, so one data file (an empty table: an empty gzip file, as DynamoDB
// writes for an empty partition). The export runs on the writer thread, in one transaction, like
// CreateBackup (a consistent copy; writers wait for it). The first answer says IN_PROGRESS, as
// DynamoDB's does; DescribeExport then answers COMPLETED (or FAILED, e.g. S3NoSuchBucket).
#include <algorithm>

#include "api/catalog/describe.h"
#include "api/input/request.h"
#include "api/ops/backup_store.h"
#include "api/ops/bucket_files.h"
#include "api/ops/handlers.h"
#include "api/ops/table_lookup.h"
#include "api/ops/transfer_jobs.h"
#include "api/write/submit_write.h"
#include "common/server_clock.h"

namespace localddb::api {
namespace {

// Members of an ExportDescription that only a finished export has.
const std::vector<const char*> kFinishedOnly = {"EndTime",        "ItemCount",   "BilledSizeBytes",
                                                "ExportManifest", "FailureCode", "FailureMessage"};

// What an export was asked for, read and checked.
struct ExportRequest {
  std::string table_arn_given;
  std::string bucket, prefix, format, type, client_token, sse, bucket_owner;
  std::optional<double> export_time;
};

ExportRequest ReadRequest(const json::Value& input) {
  input::RequireObject(input);
  auto table_arn = input::String(input, "TableArn");
  auto bucket = input::String(input, "S3Bucket");
  auto prefix = input::String(input, "S3Prefix");
  auto format = input::String(input, "ExportFormat");
  auto type = input::String(input, "ExportType");
  auto token = input::String(input, "ClientToken");
  auto sse = input::String(input, "S3SseAlgorithm");
  auto owner = input::String(input, "S3BucketOwner");
  ExportRequest r;
  if (auto it = input.FindMember("ExportTime"); it != input.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsNumber()) throw ApiError::Serialization("Unexpected value type in payload");
    r.export_time = it->value.GetDouble();
  }
  input::Violations v;
  if (!table_arn) v.Missing("tableArn");
  input::CheckLength(table_arn, "tableArn", 1, 1024, v);
  if (!bucket)
    v.Missing("s3Bucket");
  else if (bucket->size() > 255)
    input::CheckLength(bucket, "s3Bucket", 0, 255, v);
  else if (!ValidBucketName(*bucket))
    v.Add("s3Bucket", input::Quote(*bucket),
          "Member must satisfy regular expression pattern: ^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$");
  input::CheckLength(prefix, "s3Prefix", 0, 1024, v);
  if (owner && (owner->size() != 12 || owner->find_first_not_of("0123456789") != std::string_view::npos))
    v.Add("s3BucketOwner", input::Quote(*owner), "Member must satisfy regular expression pattern: [0-9]{12}");
  input::CheckLength(input::String(input, "S3SseKmsKeyId"), "s3SseKmsKeyId", 1, 2048, v);
  input::CheckEnum(format, "exportFormat", {"DYNAMODB_JSON", "ION"}, v);
  input::CheckEnum(type, "exportType", {"FULL_EXPORT", "INCREMENTAL_EXPORT"}, v);
  input::CheckEnum(sse, "s3SseAlgorithm", {"AES256", "KMS"}, v);
  if (token && (token->empty() || token->find('$') != std::string_view::npos))
    v.Add("clientToken", input::Quote(*token), "Member must satisfy regular expression pattern: ^[^\\$]+$");
  v.ThrowIfAny();
  r.table_arn_given = std::string(*table_arn);
  r.bucket = std::string(*bucket);
  r.prefix = std::string(prefix.value_or(""));
  r.format = std::string(format.value_or("DYNAMODB_JSON"));
  r.type = std::string(type.value_or("FULL_EXPORT"));
  r.client_token = std::string(token.value_or(""));
  r.sse = std::string(sse.value_or(""));
  r.bucket_owner = std::string(owner.value_or(""));
  return r;
}

// The request's parameters a retry with the same ClientToken must repeat.
std::string Fingerprint(const ExportRequest& r) {
  return r.table_arn_given + "\n" + r.bucket + "\n" + r.prefix + "\n" + r.format + "\n" + r.type + "\n" + r.sse + "\n" +
         (r.export_time ? std::to_string(*r.export_time) : std::string());
}

// Keys below the bucket: "<prefix>/AWSDynamoDB/<id>/..." (no prefix: "AWSDynamoDB/<id>/...").
std::string ExportKeyPrefix(const std::string& prefix, const std::string& id) {
  std::string p = prefix;
  if (!p.empty() && p.back() != '/') p += '/';
  return p + "AWSDynamoDB/" + id + "/";
}

struct ExportResult {
  int64_t items = 0;
  int64_t bytes = 0;
  std::string manifest_key;  // ExportManifest: the summary manifest's key
  std::string failure_code, failure_message;
};

// The export's files, written from the table's items at `at` (on the writer thread).
ExportResult WriteExport(Context& ctx, storage::WriteTxn& txn, const TableSchema& table, const ExportRequest& r,
                         const std::string& export_arn, const std::string& id, double started, double at) {
  ExportResult out;
  const Bucket bucket(ctx.settings, r.bucket);
  bucket.RequireExists();
  const std::string base = ExportKeyPrefix(r.prefix, id);
  bucket.Put(base + "_started", "");
  const std::string data_key = base + "data/" + RandomName(26) + ".json.gz";
  bucket.MakeParents(data_key);
  {
    GzipFileWriter data(bucket.PathOf(data_key));
    std::string line;
    ForEachItemAt(txn, table.space, at, [&](const storage::EntryKey&, const std::string& item, uint32_t size) {
      line.assign("{\"Item\":").append(item).append("}\n");
      data.Write(line);
      ++out.items;
      out.bytes += size;
    });
    data.Close();
  }
  const std::string md5 = Md5OfFile(bucket.PathOf(data_key));

  rapidjson::StringBuffer files;
  {
    json::Writer w(files);
    w.StartObject();
    w.Key("itemCount");
    w.Int64(out.items);
    json::StringMember(w, "md5Checksum", value::Base64Encode(md5));
    json::StringMember(w, "etag", Hex(md5));  // a single-part upload's ETag: the object's MD5 in hex
    json::StringMember(w, "dataFileS3Key", data_key);
    w.EndObject();
  }
  const std::string files_manifest = std::string(files.GetString(), files.GetSize()) + "\n";
  const std::string files_key = base + "manifest-files.json";
  bucket.Put(files_key, files_manifest);
  bucket.Put(base + "manifest-files.md5", Hex(Md5(files_manifest)));

  rapidjson::StringBuffer summary;
  {
    json::Writer w(summary);
    w.StartObject();
    json::StringMember(w, "version", "2020-06-30");
    json::StringMember(w, "exportArn", export_arn);
    json::StringMember(w, "startTime", FormatIso8601(started));
    json::StringMember(w, "endTime", FormatIso8601(ctx.now()));
    json::StringMember(w, "tableArn", TableArn(ctx.settings, table.name));
    json::StringMember(w, "tableId", table.table_id);
    json::StringMember(w, "exportTime", FormatIso8601(at));
    json::StringMember(w, "s3Bucket", r.bucket);
    json::StringMember(w, "s3Prefix", r.prefix);
    json::StringMember(w, "s3SseAlgorithm", r.sse.empty() ? "AES256" : r.sse);
    w.Key("s3SseKmsKeyId");
    w.Null();
    json::StringMember(w, "manifestFilesS3Key", files_key);
    w.Key("billedSizeBytes");
    w.Int64(out.bytes);
    w.Key("itemCount");
    w.Int64(out.items);
    json::StringMember(w, "outputFormat", r.format);
    w.EndObject();
  }
  const std::string summary_json(summary.GetString(), summary.GetSize());
  out.manifest_key = base + "manifest-summary.json";
  bucket.Put(out.manifest_key, summary_json);
  bucket.Put(base + "manifest-summary.md5", Hex(Md5(summary_json)));
  return out;
}

std::string Description(Context& ctx, const TableSchema& table, const ExportRequest& r, const std::string& arn,
                        double started, double at, const ExportResult& result) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  json::StringMember(w, "ExportArn", arn);
  json::StringMember(w, "ExportStatus", result.failure_code.empty() ? "COMPLETED" : "FAILED");
  w.Key("StartTime");
  w.Double(started);
  w.Key("EndTime");
  w.Double(ctx.now());
  w.Key("ExportTime");
  w.Double(at);
  json::StringMember(w, "TableArn", TableArn(ctx.settings, table.name));
  json::StringMember(w, "TableId", table.table_id);
  json::StringMember(w, "S3Bucket", r.bucket);
  if (!r.bucket_owner.empty()) json::StringMember(w, "S3BucketOwner", r.bucket_owner);
  if (!r.prefix.empty()) json::StringMember(w, "S3Prefix", r.prefix);
  json::StringMember(w, "S3SseAlgorithm", r.sse.empty() ? "AES256" : r.sse);
  json::StringMember(w, "ExportFormat", r.format);
  json::StringMember(w, "ExportType", r.type);
  if (!r.client_token.empty()) json::StringMember(w, "ClientToken", r.client_token);
  if (result.failure_code.empty()) {
    json::StringMember(w, "ExportManifest", result.manifest_key);
    w.Key("ItemCount");
    w.Int64(result.items);
    w.Key("BilledSizeBytes");
    w.Int64(result.bytes);
  } else {
    json::StringMember(w, "FailureCode", result.failure_code);
    json::StringMember(w, "FailureMessage", result.failure_message);
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string Wrapped(const std::string& description) { return "{\"ExportDescription\":" + description + "}"; }

}  // namespace

void ExportTableToPointInTime(Context& ctx, const json::Value& input, Respond respond) {
  const ExportRequest r = ReadRequest(input);
  // localddb writes DynamoDB JSON full exports only (ION and incremental exports: not yet).
  if (r.format == "ION")
    throw ApiError::Validation("localddb does not support ExportFormat ION yet; use DYNAMODB_JSON");
  if (r.type == "INCREMENTAL_EXPORT")
    throw ApiError::Validation("localddb does not support ExportType INCREMENTAL_EXPORT yet; use FULL_EXPORT");
  CheckKeyPrefix(r.prefix, "S3Prefix");
  const std::string name = TableNameOf(r.table_arn_given);
  TableSchemaPtr table = ctx.catalog.Find(name);
  // "Table not found: <the ARN as given>" (moto's tests, verified against DynamoDB).
  if (!table) throw ApiError(ErrorKind::kTableNotFound, "Table not found: " + r.table_arn_given);
  if (!r.client_token.empty()) {
    if (auto earlier = FindByClientToken(ctx, kExportJob, r.client_token)) {
      // Wording unconfirmed: DynamoDB documents ExportConflictException for this case.
      if (earlier->request != Fingerprint(r))
        throw ApiError(ErrorKind::kExportConflict,
                       "There was a conflict when writing to the specified S3 bucket: an export with ClientToken " +
                           r.client_token + " and other parameters exists");
      respond(Outcome::Ok(Wrapped(earlier->description)));
      return;
    }
  }
  // "Point in time recovery is not enabled for table '<name>'" (moto's tests, verified).
  if (table->pitr_since <= 0)
    throw ApiError(ErrorKind::kPointInTimeRecoveryUnavailable,
                   "Point in time recovery is not enabled for table '" + name + "'");
  const double now = ctx.now();
  const double earliest = std::max(table->pitr_since, now - static_cast<double>(table->pitr_days) * 86400);
  const double at = r.export_time.value_or(now);
  // Wording unconfirmed (InvalidExportTimeException is DynamoDB's error for this).
  if (at > now) throw ApiError(ErrorKind::kInvalidExportTime, "Export time is in the future");
  if (at < earliest)
    throw ApiError(ErrorKind::kInvalidExportTime, "Export time " + FormatIso8601(at) +
                                                      " is before the earliest restorable time of table " + name +
                                                      " (" + FormatIso8601(earliest) + ")");
  RequireBucketDir(ctx.settings, "ExportTableToPointInTime");
  const std::string id = NewJobId(now);
  const std::string arn = TableArn(ctx.settings, name) + "/export/" + id;
  auto answer = std::make_shared<std::string>();
  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, table, r, arn, id, now, at, answer](storage::WriteTxn& txn) {
        TableSchemaPtr current = ctx.catalog.RequireCurrent(*table);
        ExportResult result;
        try {
          result = WriteExport(ctx, txn, *current, r, arn, id, now, at);
        } catch (const BucketError& e) {
          result = {};
          result.failure_code = e.code;
          result.failure_message = e.what();
        }
        TransferJob job;
        job.arn = arn;
        job.started = now;
        job.table_arn = TableArn(ctx.settings, current->name);
        job.client_token = r.client_token;
        job.request = Fingerprint(r);
        job.description = Description(ctx, *current, r, arn, now, at, result);
        PutTransferJob(txn, kExportJob, job);
        *answer = Wrapped(InProgress(job.description, "ExportStatus", kFinishedOnly));
      },
      [answer] { return *answer; });
}

void DescribeExport(Context& ctx, const json::Value& input, Respond respond) {
  const TransferJob job =
      RequireTransferJob(ctx, input, kExportJob, "ExportArn", "exportArn", ErrorKind::kExportNotFound, "Export");
  respond(Outcome::Ok(Wrapped(job.description)));
}

void ListExports(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  auto table_arn = input::String(input, "TableArn");
  auto max = input::Integer(input, "MaxResults");
  auto token = input::String(input, "NextToken");
  input::Violations v;
  input::CheckRange(max, "maxResults", 1, 25, v);
  v.ThrowIfAny();
  respond(Outcome::Ok(TransferJobPage(ctx, kExportJob, table_arn, max ? static_cast<size_t>(*max) : 25, token,
                                      "ExportSummaries", {"ExportArn", "ExportStatus", "ExportType"})));
}

}  // namespace localddb::api
