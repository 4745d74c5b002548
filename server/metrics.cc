#include "server/metrics.h"

#include <cstdio>

#include "api/ops/operation.h"

namespace localddb::server {
namespace {

size_t OperationCount() {
  size_t n = 0;
  api::AllOperations(&n);
  return n;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

RequestMetrics::RequestMetrics() : ops_(OperationCount() + 1) {}

void RequestMetrics::Record(int operation, bool ok, std::string_view error_type, double seconds) {
  const size_t index = operation < 0 || static_cast<size_t>(operation) >= ops_.size() - 1
                           ? ops_.size() - 1
                           : static_cast<size_t>(operation);
  PerOperation& op = ops_[index];
  (ok ? op.ok : op.error).fetch_add(1, std::memory_order_relaxed);
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  op.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  op.micros.fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
  if (!ok) {
    auto kind = api::ErrorKindByName(error_type);
    errors_[kind ? static_cast<size_t>(*kind) : errors_.size() - 1].fetch_add(1, std::memory_order_relaxed);
  }
}

void RequestMetrics::Write(std::string& out) const {
  size_t count = 0;
  const api::Operation* all = api::AllOperations(&count);
  auto name = [&](size_t i) { return i < count ? std::string(all[i].name) : std::string("unknown"); };

  out += "# HELP localddb_requests_total Requests answered, by operation and outcome.\n";
  out += "# TYPE localddb_requests_total counter\n";
  for (size_t i = 0; i < ops_.size(); ++i) {
    const uint64_t ok = ops_[i].ok.load(std::memory_order_relaxed);
    const uint64_t error = ops_[i].error.load(std::memory_order_relaxed);
    if (ok + error == 0) continue;
    out += "localddb_requests_total{operation=\"" + name(i) + "\",outcome=\"ok\"} " + std::to_string(ok) + "\n";
    out += "localddb_requests_total{operation=\"" + name(i) + "\",outcome=\"error\"} " + std::to_string(error) + "\n";
  }
  out += "# HELP localddb_request_duration_seconds Time from a request's arrival to its answer, by operation.\n";
  out += "# TYPE localddb_request_duration_seconds histogram\n";
  for (size_t i = 0; i < ops_.size(); ++i) {
    const PerOperation& op = ops_[i];
    const uint64_t total = op.ok.load(std::memory_order_relaxed) + op.error.load(std::memory_order_relaxed);
    if (total == 0) continue;
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += op.buckets[b].load(std::memory_order_relaxed);
      out += "localddb_request_duration_seconds_bucket{operation=\"" + name(i) + "\",le=\"" +
             (b < kBuckets.size() ? Number(kBuckets[b]) : std::string("+Inf")) + "\"} " + std::to_string(cumulative) +
             "\n";
    }
    out += "localddb_request_duration_seconds_sum{operation=\"" + name(i) + "\"} " +
           Number(static_cast<double>(op.micros.load(std::memory_order_relaxed)) / 1e6) + "\n";
    out +=
        "localddb_request_duration_seconds_count{operation=\"" + name(i) + "\"} " + std::to_string(cumulative) + "\n";
  }
  out += "# HELP localddb_errors_total Error answers, by DynamoDB error type.\n";
  out += "# TYPE localddb_errors_total counter\n";
  for (size_t k = 0; k < errors_.size(); ++k) {
    const uint64_t n = errors_[k].load(std::memory_order_relaxed);
    if (n == 0) continue;
    const std::string type = k < static_cast<size_t>(api::ErrorKind::kCount)
                                 ? std::string(api::ErrorName(static_cast<api::ErrorKind>(k)))
                                 : "other";
    out += "localddb_errors_total{type=\"" + type + "\"} " + std::to_string(n) + "\n";
  }
}

RequestMetrics& Metrics() {
  static RequestMetrics metrics;
  return metrics;
}

}  // namespace localddb::server
