#include "server/ttl_sweeper.h"

#include <chrono>

#include "api/admin/recovery_trim.h"
#include "api/admin/ttl_sweep.h"
#include "common/log.h"

namespace localddb::server {
namespace {
// Items deleted per writer transaction: large enough to be cheap, small enough that writes queued
// behind a sweep wait only milliseconds.
constexpr int64_t kBatch = 1000;
}  // namespace

TtlSweeper::TtlSweeper(NamespaceRegistry& namespaces, double interval_seconds)
    : namespaces_(namespaces), interval_(interval_seconds) {
  if (interval_ > 0) thread_ = std::thread([this] { Run(); });
}

TtlSweeper::~TtlSweeper() { Stop(); }

void TtlSweeper::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t TtlSweeper::SweepAll(NamespaceRegistry& namespaces, std::string_view ns) {
  NamespaceRegistry::Lease lease = namespaces.Find(ns);
  if (!lease) return 0;
  int64_t total = 0;
  for (;;) {
    const int64_t n = api::SweepExpired(lease->ctx(), kBatch);
    total += n;
    if (n < kBatch) return total;
  }
}

void TtlSweeper::Run() {
  double last_error_log = 0;
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::duration<double>(interval_), [&] { return stop_; });
    if (stop_) break;
    lock.unlock();
    for (const auto& name : namespaces_.OpenNames()) {
      try {
        SweepAll(namespaces_, name);
        if (NamespaceRegistry::Lease lease = namespaces_.Find(name)) api::TrimRecoveryHistory(lease->ctx());
      } catch (const std::exception& e) {
        const double now = api::SystemClock();
        if (now - last_error_log > 10) {
          last_error_log = now;
          Log(LogLevel::kWarn, "TTL sweep of namespace " + name + " failed: " + e.what());
        }
      }
    }
    lock.lock();
  }
}

}  // namespace localddb::server
