// ImportTable, DescribeImport and ListImports. An import creates a new table from
// TableCreationParameters (CreateTable's validation) and fills it with the items of every object
// in the bucket's directory whose key starts with S3KeyPrefix, through the write path (ItemWriter:
// base entry and index entries; the new table has no stream, as TableCreationParameters cannot ask
// for one, so an import writes no stream records, as in DynamoDB). The import runs on the writer
// thread in one transaction (writers wait for it). The first answer says IN_PROGRESS; DescribeImport
// then answers COMPLETED, or FAILED:
//  - S3NoSuchBucket: the bucket's directory does not exist; no table is created (moto's tests,
//    verified against DynamoDB);
//  - items that could not be read or written are counted in ErrorCount and the others imported;
//    the import then ends FAILED with the table kept (moto's tests, verified against DynamoDB,
//    show ImportStatus FAILED, ErrorCount 1, ImportedItemCount 1 for one bad object of two).
#include <algorithm>

#include "api/catalog/describe.h"
#include "api/input/request.h"
#include "api/ops/bucket_files.h"
#include "api/ops/handlers.h"
#include "api/ops/import_source.h"
#include "api/ops/table_definition.h"
#include "api/ops/table_lookup.h"
#include "api/ops/transfer_jobs.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"
#include "api/write/item_key.h"
#include "api/write/item_writer.h"
#include "api/write/submit_write.h"
#include "common/log.h"

namespace localddb::api {
namespace {

const std::vector<const char*> kFinishedOnly = {
    "EndTime",           "FailureCode", "FailureMessage", "ProcessedSizeBytes", "ProcessedItemCount",
    "ImportedItemCount", "ErrorCount"};

// Wording unconfirmed: DynamoDB's FailureCode for items that failed validation, as remembered
// from its console; the message then names localddb's first error (there is no CloudWatch log).
constexpr const char* kItemValidationError = "ItemValidationError";

struct ImportRequest {
  std::string bucket, key_prefix, bucket_owner, format, compression, client_token;
  ImportFormat read;
  std::string options_json;         // InputFormatOptions as sent ("" if absent)
  std::string creation_parameters;  // TableCreationParameters as sent
};

ImportRequest ReadRequest(const json::Value& input) {
  input::RequireObject(input);
  const json::Value* source = input::Object(input, "S3BucketSource");
  auto format = input::String(input, "InputFormat");
  auto compression = input::String(input, "InputCompressionType");
  auto token = input::String(input, "ClientToken");
  const json::Value* options = input::Object(input, "InputFormatOptions");
  const json::Value* creation = input::Object(input, "TableCreationParameters");
  ImportRequest r;
  input::Violations v;
  if (!source) {
    v.Missing("s3BucketSource");
  } else {
    auto bucket = input::String(*source, "S3Bucket");
    auto prefix = input::String(*source, "S3KeyPrefix");
    auto owner = input::String(*source, "S3BucketOwner");
    if (!bucket)
      v.Missing("s3BucketSource.s3Bucket");
    else if (bucket->size() > 255)
      v.Add("s3BucketSource.s3Bucket", input::Quote(json::Excerpt(*bucket, 64)),
            "Member must have length less than or equal to 255");
    else if (!ValidBucketName(*bucket))
      v.Add("s3BucketSource.s3Bucket", input::Quote(*bucket),
            "Member must satisfy regular expression pattern: ^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$");
    if (prefix && prefix->size() > 1024)
      v.Add("s3BucketSource.s3KeyPrefix", input::Quote(json::Excerpt(*prefix, 64)),
            "Member must have length less than or equal to 1024");
    r.bucket = std::string(bucket.value_or(""));
    r.key_prefix = std::string(prefix.value_or(""));
    r.bucket_owner = std::string(owner.value_or(""));
  }
  if (!format) v.Missing("inputFormat");
  input::CheckEnum(format, "inputFormat", {"DYNAMODB_JSON", "ION", "CSV"}, v);
  input::CheckEnum(compression, "inputCompressionType", {"GZIP", "ZSTD", "NONE"}, v);
  if (token && (token->empty() || token->find('$') != std::string_view::npos))
    v.Add("clientToken", input::Quote(*token), "Member must satisfy regular expression pattern: ^[^\\$]+$");
  if (!creation) v.Missing("tableCreationParameters");
  if (options) {
    if (const json::Value* csv = input::Object(*options, "Csv")) {
      if (auto d = input::String(*csv, "Delimiter")) {
        if (d->size() != 1 || std::string_view(",;:|\t ").find((*d)[0]) == std::string_view::npos)
          v.Add("inputFormatOptions.csv.delimiter", input::Quote(*d),
                d->size() != 1 ? "Member must have length less than or equal to 1"
                               : "Member must satisfy regular expression pattern: [,;:|\\t ]");
        else
          r.read.delimiter = (*d)[0];
      }
      if (const json::Value* header = input::Array(*csv, "HeaderList")) {
        if (header->Empty() || header->Size() > 255)
          v.Add("inputFormatOptions.csv.headerList", "",
                header->Empty() ? "Member must have length greater than or equal to 1"
                                : "Member must have length less than or equal to 255");
        for (const auto& h : header->GetArray()) {
          if (!h.IsString()) throw ApiError::Serialization("Unexpected value type in payload");
          r.read.header.emplace_back(json::View(h));
        }
      }
    }
    r.options_json = json::Dump(*options);
  }
  v.ThrowIfAny();
  r.format = std::string(*format);
  r.compression = std::string(compression.value_or("NONE"));
  r.client_token = std::string(token.value_or(""));
  r.creation_parameters = json::Dump(*creation);
  r.read.csv = r.format == "CSV";
  r.read.gzip = r.compression == "GZIP";
  return r;
}

std::string Fingerprint(const ImportRequest& r) {
  return r.bucket + "\n" + r.key_prefix + "\n" + r.format + "\n" + r.compression + "\n" + r.options_json + "\n" +
         r.creation_parameters;
}

struct ImportResult {
  ImportCounts counts;
  std::string failure_code, failure_message;
};

std::string Description(Context& ctx, const TableSchema& table, const ImportRequest& r, const std::string& arn,
                        double started, const ImportResult& result) {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  json::StringMember(w, "ImportArn", arn);
  json::StringMember(w, "ImportStatus", result.failure_code.empty() ? "COMPLETED" : "FAILED");
  json::StringMember(w, "TableArn", TableArn(ctx.settings, table.name));
  json::StringMember(w, "TableId", table.table_id);
  if (!r.client_token.empty()) json::StringMember(w, "ClientToken", r.client_token);
  w.Key("S3BucketSource");
  w.StartObject();
  if (!r.bucket_owner.empty()) json::StringMember(w, "S3BucketOwner", r.bucket_owner);
  json::StringMember(w, "S3Bucket", r.bucket);
  if (!r.key_prefix.empty()) json::StringMember(w, "S3KeyPrefix", r.key_prefix);
  w.EndObject();
  json::StringMember(w, "InputFormat", r.format);
  if (!r.options_json.empty()) {
    w.Key("InputFormatOptions");
    w.RawValue(r.options_json.c_str(), r.options_json.size(), rapidjson::kObjectType);
  }
  json::StringMember(w, "InputCompressionType", r.compression);
  w.Key("TableCreationParameters");
  w.RawValue(r.creation_parameters.c_str(), r.creation_parameters.size(), rapidjson::kObjectType);
  w.Key("StartTime");
  w.Double(started);
  w.Key("EndTime");
  w.Double(ctx.now());
  w.Key("ProcessedSizeBytes");
  w.Int64(result.counts.processed_bytes);
  w.Key("ProcessedItemCount");
  w.Int64(result.counts.processed_items);
  w.Key("ImportedItemCount");
  w.Int64(result.counts.imported);
  w.Key("ErrorCount");
  w.Int64(result.counts.errors);
  if (!result.failure_code.empty()) {
    json::StringMember(w, "FailureCode", result.failure_code);
    json::StringMember(w, "FailureMessage", result.failure_message);
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string Wrapped(const std::string& description) { return "{\"ImportTableDescription\":" + description + "}"; }

// Writes one imported item into the new table through the write path. A later item with the same
// key replaces an earlier one (not an error, as in DynamoDB).
void WriteImported(ItemWriter& writer, const TableSchema& table, value::Item& item) {
  ItemImage image;
  image.size = value::ItemSize(item);
  if (image.size > value::kMaxItemSize) throw ApiError::Validation("Item size has exceeded the maximum allowed size");
  const storage::EntryKey key = KeyOfNewItem(table, item);
  image.json = value::ItemToJson(item);
  image.item = std::move(item);
  std::optional<ItemImage> old;
  if (writer.NeedsOldImage()) old = writer.Read(key);
  writer.Put(key, std::move(old), image);
}

ImportResult RunImport(Context& ctx, storage::WriteTxn& txn, const std::shared_ptr<TableSchema>& schema,
                       const ImportRequest& r) {
  ImportResult result;
  const Bucket bucket(ctx.settings, r.bucket);
  CreateTableInTxn(ctx, txn, schema);
  ItemWriter writer(txn, *schema, ctx);
  for (const std::string& key : bucket.List(r.key_prefix)) {
    try {
      ReadImportObject(bucket.PathOf(key), key, r.read, *schema, result.counts,
                       [&](value::Item& item) { WriteImported(writer, *schema, item); });
    } catch (const BucketError& e) {
      ++result.counts.processed_items;
      result.counts.Error(key, e.what());
    }
  }
  if (result.counts.errors > 0) {
    result.failure_code = kItemValidationError;
    result.failure_message =
        "Some of the items failed validation checks and were not imported. localddb has no CloudWatch log: the first "
        "of " +
        std::to_string(result.counts.errors) + " errors was " + result.counts.first_error;
    Log(LogLevel::kInfo, "ImportTable into " + schema->name + ": " + result.failure_message);
  }
  return result;
}

}  // namespace

void ImportTable(Context& ctx, const json::Value& input, Respond respond) {
  const ImportRequest r = ReadRequest(input);
  std::shared_ptr<TableSchema> schema = ReadTableDefinition(ctx, *input::Object(input, "TableCreationParameters"));
  if (r.format == "ION") throw ApiError::Validation("localddb does not support InputFormat ION yet");
  if (r.compression == "ZSTD") throw ApiError::Validation("localddb does not support InputCompressionType ZSTD yet");
  CheckKeyPrefix(r.key_prefix, "S3KeyPrefix");
  if (!r.client_token.empty()) {
    if (auto earlier = FindByClientToken(ctx, kImportJob, r.client_token)) {
      // Wording unconfirmed: DynamoDB documents ImportConflictException for this case.
      if (earlier->request != Fingerprint(r))
        throw ApiError(ErrorKind::kImportConflict,
                       "There was a conflict when importing from the specified S3 source: "
                       "an import with ClientToken " +
                           r.client_token + " and other parameters exists");
      respond(Outcome::Ok(Wrapped(earlier->description)));
      return;
    }
  }
  // As CreateTable words it (ImportTable's own wording unconfirmed).
  if (ctx.catalog.Find(schema->name)) throw ApiError::ResourceInUse("Table already exists: " + schema->name);
  RequireBucketDir(ctx.settings, "ImportTable");
  const double now = ctx.now();
  const std::string arn = TableArn(ctx.settings, schema->name) + "/import/" + NewJobId(now);
  auto answer = std::make_shared<std::string>();
  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, schema, r, arn, now, answer](storage::WriteTxn& txn) {
        ImportResult result;
        try {
          Bucket(ctx.settings, r.bucket).RequireExists();
          result = RunImport(ctx, txn, schema, r);
        } catch (const BucketError& e) {  // the bucket is missing: no table
          result.failure_code = e.code;
          result.failure_message = e.what();
        }
        TransferJob job;
        job.arn = arn;
        job.started = now;
        job.table_arn = TableArn(ctx.settings, schema->name);
        job.client_token = r.client_token;
        job.request = Fingerprint(r);
        job.description = Description(ctx, *schema, r, arn, now, result);
        PutTransferJob(txn, kImportJob, job);
        *answer = Wrapped(InProgress(job.description, "ImportStatus", kFinishedOnly));
      },
      [answer] { return *answer; },
      [&ctx, schema] {
        if (ctx.catalog.Find(schema->name) == schema) ctx.catalog.Remove(schema->name);
      });
}

void DescribeImport(Context& ctx, const json::Value& input, Respond respond) {
  const TransferJob job =
      RequireTransferJob(ctx, input, kImportJob, "ImportArn", "importArn", ErrorKind::kImportNotFound, "Import");
  respond(Outcome::Ok(Wrapped(job.description)));
}

void ListImports(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  auto table_arn = input::String(input, "TableArn");
  auto page_size = input::Integer(input, "PageSize");
  auto token = input::String(input, "NextToken");
  input::Violations v;
  input::CheckRange(page_size, "pageSize", 1, 25, v);
  input::CheckLength(token, "nextToken", 112, 1024, v);
  if (token && (token->size() % 16 != 0 || token->find_first_not_of("0123456789abcdef") != std::string_view::npos))
    v.Add("nextToken", input::Quote(*token), "Member must satisfy regular expression pattern: ([0-9a-f]{16})+");
  v.ThrowIfAny();
  respond(Outcome::Ok(TransferJobPage(
      ctx, kImportJob, table_arn, page_size ? static_cast<size_t>(*page_size) : 25, token, "ImportSummaryList",
      {"ImportArn", "ImportStatus", "TableArn", "S3BucketSource", "InputFormat", "StartTime", "EndTime"})));
}

}  // namespace localddb::api
