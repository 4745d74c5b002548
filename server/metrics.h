// Request metrics for GET /_localddb/metrics (Prometheus text format). Recording is a few relaxed
// atomic increments per request, no lock and no allocation: counts by operation and outcome, a
// latency histogram per operation, errors by DynamoDB error type. Everything else the endpoint
// reports (tables, WAL, hooks, connections) is read when it is scraped.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "api/error.h"

namespace localddb::server {

class RequestMetrics {
 public:
  RequestMetrics();

  // operation: index in api::AllOperations, or -1 when the request named none; error_type: the
  // answer's DynamoDB error name when it failed, else empty.
  void Record(int operation, bool ok, std::string_view error_type, double seconds);

  // Appends the request families in Prometheus text format.
  void Write(std::string& out) const;

  // Latency bucket bounds, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   0.5,    2.5};

 private:
  struct PerOperation {
    std::atomic<uint64_t> ok{0}, error{0};
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};  // the last: +Inf
    std::atomic<uint64_t> micros{0};                                   // sum of latencies
  };
  std::vector<PerOperation> ops_;  // AllOperations order, then one for "unknown"
  std::array<std::atomic<uint64_t>, static_cast<size_t>(api::ErrorKind::kCount) + 1> errors_{};  // + other
};

// The process's request metrics (one server per process).
RequestMetrics& Metrics();

// Where the open-connection count lives (the HTTP server's budget), for the metrics endpoint.
void SetConnectionGauge(const std::atomic<size_t>* connections);

}  // namespace localddb::server
