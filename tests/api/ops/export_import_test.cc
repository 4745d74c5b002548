// ExportTableToPointInTime, DescribeExport, ListExports, ImportTable, DescribeImport, ListImports
// through the operation table, with a temporary directory standing in for S3.
// Expected behaviour: conformance/python/test_export_import.py.
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;
namespace fs = std::filesystem;
namespace json = localddb::json;

namespace {

// A fixture whose --s3-dir is a fresh temporary directory holding one bucket, "bkt".
struct S3Fixture : HandlerFixture {
  S3Fixture() {
    dir = fs::temp_directory_path() / ("localddb-export-test-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(dir / "bkt");
    ctx().settings.s3_dir = dir.string();
  }
  ~S3Fixture() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void Write(const std::string& key, const std::string& bytes) {
    fs::create_directories((dir / "bkt" / key).parent_path());
    std::ofstream(dir / "bkt" / key, std::ios::binary) << bytes;
  }
  void EnablePitr(std::string_view table) {
    Ok("UpdateContinuousBackups", R"({"TableName":")" + std::string(table) +
                                      R"(","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}})");
  }
  fs::path dir;
};

std::string Gunzip(const fs::path& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  REQUIRE(f != nullptr);
  std::string out;
  char buf[4096];
  for (int n; (n = gzread(f, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  gzclose(f);
  return out;
}

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string ExportRequest(std::string_view members) {
  return R"j({"TableArn":")j" + ArnOf("src") + R"j(","S3Bucket":"bkt")j" +
         (members.empty() ? "" : "," + std::string(members)) + "}";
}

constexpr const char* kCreation = R"j("TableCreationParameters":{"TableName":"dst","BillingMode":"PAY_PER_REQUEST",)j"
                                  R"j("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],)j"
                                  R"j("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]})j";

}  // namespace

TEST_CASE("An export writes the table's items and DynamoDB's manifests; the first answer says IN_PROGRESS") {
  S3Fixture f;
  f.CreateTable("src");
  f.EnablePitr("src");
  f.Put("src", R"({"pk":{"S":"a"},"n":{"N":"1.0"}})");
  json::Document first = f.Ok("ExportTableToPointInTime", ExportRequest(R"("S3Prefix":"p")"));
  const json::Value& d = first["ExportDescription"];
  CHECK(Str(d["ExportStatus"]) == "IN_PROGRESS");
  CHECK_FALSE(d.HasMember("ItemCount"));
  CHECK(d["StartTime"].GetDouble() == kNow);
  const std::string arn = Str(d["ExportArn"]);
  const std::string id = arn.substr(arn.rfind('/') + 1);
  CHECK(arn == ArnOf("src") + "/export/" + id);
  CHECK(id.size() == 23);
  CHECK(id.substr(0, 14) == "01767225600000");

  json::Document done = f.Ok("DescribeExport", R"({"ExportArn":")" + arn + "\"}");
  const json::Value& e = done["ExportDescription"];
  CHECK(Str(e["ExportStatus"]) == "COMPLETED");
  CHECK(e["ItemCount"].GetInt64() == 1);
  CHECK(e["BilledSizeBytes"].GetInt64() == 6);  // the item's DynamoDB size: "pk" "a" 3, "n" 1 and the number 2
  CHECK(Str(e["ExportManifest"]) == "p/AWSDynamoDB/" + id + "/manifest-summary.json");

  const fs::path base = f.dir / "bkt" / "p" / "AWSDynamoDB" / id;
  CHECK(fs::exists(base / "_started"));
  CHECK(Canon(Read(base / "manifest-summary.json")) ==
        Canon(R"j({"version":"2020-06-30","exportArn":")j" + arn +
              R"j(","startTime":"2026-01-01T00:00:00.000Z","endTime":"2026-01-01T00:00:00.000Z","tableArn":")j" +
              ArnOf("src") + R"j(","tableId":")j" + Str(e["TableId"]) +
              R"j(","exportTime":"2026-01-01T00:00:00.000Z","s3Bucket":"bkt","s3Prefix":"p",)j"
              R"j("s3SseAlgorithm":"AES256","s3SseKmsKeyId":null,"manifestFilesS3Key":"p/AWSDynamoDB/)j" +
              id + R"j(/manifest-files.json","billedSizeBytes":6,"itemCount":1,"outputFormat":"DYNAMODB_JSON"})j"));
  json::Document files;
  REQUIRE(json::Parse(files, Read(base / "manifest-files.json")) == json::ParseStatus::kOk);
  CHECK(files["itemCount"].GetInt64() == 1);
  const std::string data_key = Str(files["dataFileS3Key"]);
  CHECK(data_key.starts_with("p/AWSDynamoDB/" + id + "/data/"));
  CHECK(data_key.ends_with(".json.gz"));
  CHECK(Gunzip(f.dir / "bkt" / data_key) == "{\"Item\":{\"n\":{\"N\":\"1\"},\"pk\":{\"S\":\"a\"}}}\n");

  json::Document list = f.Ok("ListExports", "{}");
  CHECK(Canon(list) == Canon(R"j({"ExportSummaries":[{"ExportArn":")j" + arn +
                             R"j(","ExportStatus":"COMPLETED","ExportType":"FULL_EXPORT"}]})j"));
}

TEST_CASE("Export refusals: validation, a missing table, PITR off, no directory for buckets") {
  S3Fixture f;
  f.CreateTable("src");
  f.CheckErrors("ExportTableToPointInTime",
                {
                    {"{}", "ValidationException",
                     "2 validation errors detected: Value null at 'tableArn' failed to satisfy constraint: Member must "
                     "not be null; Value null at 's3Bucket' failed to satisfy constraint: Member must not be null"},
                    {ExportRequest(R"("ExportFormat":"CSV")"), "ValidationException",
                     "1 validation error detected: Value 'CSV' at 'exportFormat' failed to satisfy constraint: Member "
                     "must satisfy enum value set: [DYNAMODB_JSON, ION]"},
                    {ExportRequest(R"("ExportType":"PARTIAL")"), "ValidationException",
                     "1 validation error detected: Value 'PARTIAL' at 'exportType' failed to satisfy constraint: "
                     "Member must satisfy enum value set: [FULL_EXPORT, INCREMENTAL_EXPORT]"},
                    {R"j({"TableArn":"x","S3Bucket":"a/b"})j", "ValidationException",
                     "1 validation error detected: Value 'a/b' at 's3Bucket' failed to satisfy constraint: Member "
                     "must satisfy regular expression pattern: ^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$"},
                    {R"j({"TableArn":")j" + ArnOf("nope") + R"j(","S3Bucket":"bkt"})j", "TableNotFoundException",
                     "Table not found: " + ArnOf("nope")},
                    {ExportRequest(""), "PointInTimeRecoveryUnavailableException",
                     "Point in time recovery is not enabled for table 'src'"},
                    {ExportRequest(R"("ExportTime":1)"), "PointInTimeRecoveryUnavailableException",
                     "Point in time recovery is not enabled for table 'src'"},
                });
  f.EnablePitr("src");
  f.CheckErrors(
      "ExportTableToPointInTime",
      {
          {ExportRequest(R"("S3Prefix":"a/../b")"), "ValidationException", "segments", Match::kContains},
          {ExportRequest(R"("ExportTime":1)"), "InvalidExportTimeException", "before the earliest", Match::kContains},
          {ExportRequest(R"("ExportTime":1e10)"), "InvalidExportTimeException", "Export time is in the future"},
      });
  f.ctx().settings.s3_dir.clear();
  f.CheckErrors("ExportTableToPointInTime",
                {{ExportRequest(""), "ValidationException", "start localddb with --s3-dir DIR", Match::kContains}});
}

TEST_CASE("A missing bucket directory fails the export and the import later; the import creates no table") {
  S3Fixture f;
  f.CreateTable("src");
  f.EnablePitr("src");
  json::Document first =
      f.Ok("ExportTableToPointInTime", R"j({"TableArn":")j" + ArnOf("src") + R"j(","S3Bucket":"nob"})j");
  json::Document done =
      f.Ok("DescribeExport", R"({"ExportArn":")" + Str(first["ExportDescription"]["ExportArn"]) + "\"}");
  CHECK(Str(done["ExportDescription"]["ExportStatus"]) == "FAILED");
  CHECK(Str(done["ExportDescription"]["FailureCode"]) == "S3NoSuchBucket");
  CHECK(Str(done["ExportDescription"]["FailureMessage"]) == "The specified bucket does not exist");

  json::Document imp = f.Ok(
      "ImportTable", std::string(R"j({"S3BucketSource":{"S3Bucket":"nob"},"InputFormat":"CSV",)j") + kCreation + "}");
  json::Document later =
      f.Ok("DescribeImport", R"({"ImportArn":")" + Str(imp["ImportTableDescription"]["ImportArn"]) + "\"}");
  CHECK(Str(later["ImportTableDescription"]["ImportStatus"]) == "FAILED");
  CHECK(Str(later["ImportTableDescription"]["FailureCode"]) == "S3NoSuchBucket");
  CHECK(f.ctx().catalog.Find("dst") == nullptr);
}

TEST_CASE("An import reads DynamoDB JSON and CSV objects under its prefix, counting what it cannot read") {
  S3Fixture f;
  f.Write("in/a.json",
          "{\"Item\":{\"pk\":{\"S\":\"1\"}}}\n\n{\"Item\":{\"pk\":{\"N\":\"2\"}}}\n{\"Item\":{\"pk\":{\"S\":\"3\"}}}");
  f.Write("other/b.json", "{\"Item\":{\"pk\":{\"S\":\"not-me\"}}}\n");
  json::Document first =
      f.Ok("ImportTable",
           std::string(R"j({"S3BucketSource":{"S3Bucket":"bkt","S3KeyPrefix":"in/"},"InputFormat":"DYNAMODB_JSON",)j") +
               kCreation + "}");
  const json::Value& d = first["ImportTableDescription"];
  CHECK(Str(d["ImportStatus"]) == "IN_PROGRESS");
  CHECK(Str(d["TableArn"]) == ArnOf("dst"));
  json::Document done = f.Ok("DescribeImport", R"({"ImportArn":")" + Str(d["ImportArn"]) + "\"}");
  const json::Value& e = done["ImportTableDescription"];
  CHECK(Str(e["ImportStatus"]) == "FAILED");
  CHECK(e["ProcessedItemCount"].GetInt64() == 3);
  CHECK(e["ImportedItemCount"].GetInt64() == 2);
  CHECK(e["ErrorCount"].GetInt64() == 1);
  CHECK_THAT(Str(e["FailureMessage"]), Catch::Contains("in/a.json line 3: One or more parameter values were invalid"));
  CHECK(f.Get("dst", R"({"pk":{"S":"1"}})") == Canon(R"({"pk":{"S":"1"}})"));
  CHECK(f.Get("dst", R"({"pk":{"S":"3"}})") == Canon(R"({"pk":{"S":"3"}})"));
  CHECK(f.Get("dst", R"({"pk":{"S":"not-me"}})").empty());

  f.Write("csv/x.csv", "pk|note\r\nk1|\"a|b \"\"q\"\"\"\r\n");
  json::Document csv =
      f.Ok("ImportTable",
           R"j({"S3BucketSource":{"S3Bucket":"bkt","S3KeyPrefix":"csv/"},"InputFormat":"CSV",)j"
           R"j("InputFormatOptions":{"Csv":{"Delimiter":"|"}},"TableCreationParameters":{"TableName":"dst2",)j"
           R"j("BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],)j"
           R"j("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}})j");
  json::Document csv_done =
      f.Ok("DescribeImport", R"({"ImportArn":")" + Str(csv["ImportTableDescription"]["ImportArn"]) + "\"}");
  CHECK(Str(csv_done["ImportTableDescription"]["ImportStatus"]) == "COMPLETED");
  CHECK(f.Get("dst2", R"({"pk":{"S":"k1"}})") == Canon(R"({"pk":{"S":"k1"},"note":{"S":"a|b \"q\""}})"));
}

TEST_CASE("Import refusals") {
  S3Fixture f;
  f.CreateTable("dst");
  f.CheckErrors(
      "ImportTable",
      {
          {"{}", "ValidationException",
           "3 validation errors detected: Value null at 's3BucketSource' failed to satisfy constraint: "
           "Member must not be null; Value null at 'inputFormat' failed to satisfy constraint: Member must "
           "not be null; Value null at 'tableCreationParameters' failed to satisfy constraint: Member must "
           "not be null"},
          {std::string(R"j({"S3BucketSource":{"S3Bucket":"bkt"},"InputFormat":"DYNAMODB_JSON",)j") + kCreation + "}",
           "ResourceInUseException", "Table already exists: dst"},
          {std::string(R"j({"S3BucketSource":{"S3Bucket":"bkt"},"InputFormat":"ION",)j") + kCreation + "}",
           "ValidationException", "localddb does not support InputFormat ION yet"},
          {R"j({"S3BucketSource":{"S3Bucket":"bkt"},"InputFormat":"CSV","TableCreationParameters":{}})j",
           "ValidationException", "The parameter 'TableName' is required but was not present in the request"},
          {std::string(R"j({"S3BucketSource":{"S3Bucket":"bkt"},"InputFormat":"CSV",)j") +
               R"j("InputFormatOptions":{"Csv":{"Delimiter":"x"}},)j" + kCreation + "}",
           "ValidationException",
           "1 validation error detected: Value 'x' at 'inputFormatOptions.csv.delimiter' failed to satisfy "
           "constraint: Member must satisfy regular expression pattern: [,;:|\\t ]"},
      });
  f.CheckErrors("DescribeImport",
                {{R"j({"ImportArn":")j" + ArnOf("dst") + R"j(/import/01767225600000-00000000"})j",
                  "ImportNotFoundException", "Import not found: " + ArnOf("dst") + "/import/01767225600000-00000000"}});
  f.CheckErrors("ListImports",
                {{R"j({"NextToken":"abc"})j", "ValidationException",
                  "2 validation errors detected: Value 'abc' at 'nextToken' failed to satisfy constraint: Member must "
                  "have length greater than or equal to 112; Value 'abc' at 'nextToken' failed to satisfy "
                  "constraint: Member must satisfy regular expression pattern: ([0-9a-f]{16})+"},
                 {R"j({"NextToken":")j" + std::string(112, 'g') + R"j("})j", "ValidationException",
                  "1 validation error detected: Value '" + std::string(112, 'g') +
                      "' at 'nextToken' failed to satisfy constraint: Member must satisfy regular expression "
                      "pattern: ([0-9a-f]{16})+"},
                 {R"j({"PageSize":0})j", "ValidationException",
                  "1 validation error detected: Value '0' at 'pageSize' failed to satisfy constraint: Member must "
                  "have value greater than or equal to 1"}});
}
