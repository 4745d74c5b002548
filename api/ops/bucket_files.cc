#include "api/ops/bucket_files.h"

#include <openssl/evp.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <random>

#include "api/error.h"

namespace localddb::api {
namespace fs = std::filesystem;

namespace {

// DynamoDB's message for a bucket that does not exist, as S3 words it (the export's and the
// import's FailureMessage contain it: moto's tests verified against AWS).
constexpr const char* kNoSuchBucket = "The specified bucket does not exist";

BucketError IoError(const fs::path& path, const std::string& what) {
  return BucketError("S3AccessDenied", "localddb could not " + what + " " + path.string());
}

}  // namespace

Bucket::Bucket(const Settings& settings, std::string_view name) : dir_(fs::path(settings.s3_dir) / std::string(name)) {}

void Bucket::RequireExists() const {
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) throw BucketError("S3NoSuchBucket", kNoSuchBucket);
}

fs::path Bucket::PathOf(std::string_view key) const { return dir_ / std::string(key); }

void Bucket::MakeParents(std::string_view key) const {
  std::error_code ec;
  fs::create_directories(PathOf(key).parent_path(), ec);
  if (ec) throw IoError(PathOf(key).parent_path(), "create the directory");
}

void Bucket::Put(std::string_view key, std::string_view bytes) const {
  static std::atomic<uint64_t> counter{0};
  MakeParents(key);
  const fs::path path = PathOf(key);
  const fs::path temp = path.string() + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw IoError(path, "write");
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) {
    fs::remove(temp, ec);
    throw IoError(path, "write");
  }
}

std::vector<std::string> Bucket::List(std::string_view prefix) const {
  std::vector<std::string> keys;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir_, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string key = it->path().lexically_relative(dir_).generic_string();
    if (key.starts_with(prefix)) keys.push_back(std::move(key));
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

bool ValidBucketName(std::string_view b) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  if (b.size() < 2 || !alnum(b.front()) || !alnum(b.back())) return false;
  return std::all_of(b.begin(), b.end(), [&](char c) { return alnum(c) || c == '.' || c == '-' || c == '_'; });
}

void RequireBucketDir(const Settings& settings, std::string_view operation) {
  if (settings.s3_dir.empty())
    throw ApiError::Validation(std::string(operation) +
                               " needs a directory standing in for S3: start localddb with --s3-dir DIR (bucket B "
                               "is the subdirectory DIR/B); an --in-memory server has none by default");
}

void CheckKeyPrefix(std::string_view prefix, std::string_view member) {
  size_t start = 0;
  while (start < prefix.size()) {
    size_t end = prefix.find('/', start);
    if (end == std::string_view::npos) end = prefix.size();
    const std::string_view segment = prefix.substr(start, end - start);
    const bool last = end == prefix.size() || end + 1 == prefix.size();
    if (segment == ".." || segment == "." || (segment.empty() && !last) || prefix.front() == '/')
      throw ApiError::Validation(std::string(member) + " '" + std::string(prefix) +
                                 "' cannot be used by localddb: its keys are paths below the bucket's directory, "
                                 "so segments '.', '..' and empty ones are refused");
    start = end + 1;
  }
}

GzipFileWriter::GzipFileWriter(const fs::path& path) : path_(path) {
  file_ = gzopen(path.c_str(), "wb6");
  if (!file_) throw IoError(path, "write");
}

GzipFileWriter::~GzipFileWriter() {
  if (file_) gzclose(static_cast<gzFile>(file_));
}

void GzipFileWriter::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    const unsigned n = static_cast<unsigned>(std::min<size_t>(bytes.size(), 1 << 20));
    if (gzwrite(static_cast<gzFile>(file_), bytes.data(), n) != static_cast<int>(n)) throw IoError(path_, "write");
    bytes.remove_prefix(n);
  }
}

void GzipFileWriter::Close() {
  gzFile f = static_cast<gzFile>(file_);
  file_ = nullptr;
  if (gzclose(f) != Z_OK) throw IoError(path_, "write");
}

void ForEachLine(const fs::path& path, bool gzip, const std::function<void(std::string_view)>& visit) {
  if (gzip) {
    // gzread would pass plain data through unchanged; DynamoDB refuses what is not gzip.
    std::error_code ec;
    if (fs::file_size(path, ec) == 0 && !ec) return;  // an empty object: no lines
    std::ifstream probe(path, std::ios::binary);
    char magic[2] = {0, 0};
    probe.read(magic, 2);
    if (probe.gcount() < 2 || static_cast<unsigned char>(magic[0]) != 0x1f ||
        static_cast<unsigned char>(magic[1]) != 0x8b)
      throw BucketError("InvalidCompressionFormat", "The object is not in GZIP format: " + path.filename().string());
  }
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw IoError(path, "read");
  std::string pending;
  std::vector<char> buf(1 << 16);
  for (;;) {
    const int n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) {
      gzclose(f);
      throw BucketError("InvalidCompressionFormat",
                        "The object could not be decompressed: " + path.filename().string());
    }
    if (n == 0) break;
    pending.append(buf.data(), static_cast<size_t>(n));
    size_t start = 0;
    for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1)
      visit(std::string_view(pending).substr(start, nl - start));
    pending.erase(0, start);
  }
  gzclose(f);
  if (!pending.empty()) visit(pending);
}

std::string Md5(std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &len, EVP_md5(), nullptr);
  return {reinterpret_cast<char*>(out), len};
}

std::string Md5OfFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path, "read");
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_md5(), nullptr);
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx, buf.data(), static_cast<size_t>(in.gcount()));
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, out, &len);
  EVP_MD_CTX_free(ctx);
  return {reinterpret_cast<char*>(out), len};
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string RandomName(size_t n) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  static thread_local std::mt19937_64 random{std::random_device{}()};
  std::string out;
  for (size_t i = 0; i < n; ++i) out += kAlphabet[random() % 32];
  return out;
}

}  // namespace localddb::api
