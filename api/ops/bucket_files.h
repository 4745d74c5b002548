// The directory standing in for Amazon S3 in table exports and imports (--s3-dir): bucket B is
// the subdirectory B, and an object's key is its path below the bucket ('/' separated). What
// ExportTableToPointInTime writes and ImportTable reads, plus the gzip and MD5 they need.
//
// Not thread-safe per object: a key is written by one export only (its ExportId is in the path).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "api/context.h"

namespace localddb::api {

// A failure of the stand-in S3 that DynamoDB reports in the job's FailureCode and FailureMessage
// (S3NoSuchBucket, ...), not as an error answer.
struct BucketError : std::runtime_error {
  BucketError(std::string code, const std::string& message) : std::runtime_error(message), code(std::move(code)) {}
  std::string code;
};

class Bucket {
 public:
  // The bucket's directory below settings.s3_dir. REQUIRES: settings.s3_dir not empty (see
  // RequireBucketDir) and name a valid bucket name (no '/').
  Bucket(const Settings& settings, std::string_view name);

  // BucketError S3NoSuchBucket when the directory does not exist.
  void RequireExists() const;

  // Writes the object (creating its directories), replacing any: through a temporary file and a
  // rename, so a reader never sees half an object. Throws BucketError on I/O failure.
  void Put(std::string_view key, std::string_view bytes) const;
  // The object's file (for streaming writes and reads; the caller creates parent directories
  // with MakeParents).
  std::filesystem::path PathOf(std::string_view key) const;
  void MakeParents(std::string_view key) const;

  // The keys of every object whose key starts with prefix (a string prefix, as S3's), sorted.
  std::vector<std::string> List(std::string_view prefix) const;

 private:
  std::filesystem::path dir_;
};

// S3Bucket's pattern in the export and import requests: ^[a-z0-9A-Z]+[\.\-\w]*[a-z0-9A-Z]+$.
// A name that matches is one path segment, never "." or "..".
bool ValidBucketName(std::string_view name);

// Refuses (ValidationException naming the flag) when the server has no directory for buckets
// (--in-memory without --s3-dir).
void RequireBucketDir(const Settings& settings, std::string_view operation);

// Refuses a key prefix that could leave the bucket's directory ("..", "." or empty path segments
// other than a trailing one): localddb's own rule, as S3 keys map to paths here.
void CheckKeyPrefix(std::string_view prefix, std::string_view member);

// A gzip file written a piece at a time. Throws BucketError on I/O failure.
class GzipFileWriter {
 public:
  explicit GzipFileWriter(const std::filesystem::path& path);
  ~GzipFileWriter();
  GzipFileWriter(const GzipFileWriter&) = delete;
  GzipFileWriter& operator=(const GzipFileWriter&) = delete;
  void Write(std::string_view bytes);
  void Close();

 private:
  void* file_ = nullptr;  // gzFile
  std::filesystem::path path_;
};

// Reads an object's lines (without their '\n'; a trailing '\r' is kept), decompressing gzip when
// gzip is set. Throws BucketError when the file cannot be read or (gzip) is not gzip data.
void ForEachLine(const std::filesystem::path& path, bool gzip, const std::function<void(std::string_view)>& visit);

// MD5 of a file's bytes, raw (16 bytes). Throws BucketError when it cannot be read.
std::string Md5OfFile(const std::filesystem::path& path);
std::string Md5(std::string_view bytes);
std::string Hex(std::string_view bytes);

// n random characters of S3-export file names ([a-z2-7], as base32 lowercase).
std::string RandomName(size_t n);

}  // namespace localddb::api
