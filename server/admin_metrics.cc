// GET /_localddb/metrics: Prometheus text format. Request counts, latencies and errors come from
// RequestMetrics (recorded as requests are answered); tables, WAL, hooks and connections are read
// now, for every open namespace.
#include <sys/stat.h>

#include <atomic>
#include <cstdio>

#include "server/admin.h"
#include "server/metrics.h"
#include "server/namespaces.h"
#include "streams/hook_dispatcher.h"

namespace localddb::server {
namespace {

std::atomic<const std::atomic<size_t>*> g_connections{nullptr};

// A label value as Prometheus wants it: backslash, quote and newline escaped.
std::string Label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// Thousandths of a unit, printed as units ("12.5").
std::string Units(const std::atomic<uint64_t>& milli) {
  const uint64_t m = milli.load(std::memory_order_relaxed);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llu.%03llu", static_cast<unsigned long long>(m / 1000),
                static_cast<unsigned long long>(m % 1000));
  return buf;
}

void Family(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

int64_t Int(const json::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsNumber() ? static_cast<int64_t>(it->value.GetDouble()) : 0;
}

}  // namespace

void SetConnectionGauge(const std::atomic<size_t>* connections) { g_connections = connections; }

Response Admin::MetricsText(const Call& call) {
  if (call.req.method() != http::verb::get) return MethodNotAllowed(call, "GET");
  std::string out;
  Metrics().Write(out);

  std::string items, bytes, read_units, write_units, wal, checkpoints, delivered, failed, lag, age;
  for (const auto& name : namespaces_.Names()) {
    NamespaceRegistry::Lease ns = namespaces_.Find(name);
    if (!ns) continue;
    const std::string nl = "namespace=\"" + Label(name) + "\"";
    for (const auto& t : ns->catalog().List()) {
      const auto [count, size] = ns->ctx().db.reader().CountSpace(t->space);
      const std::string labels = "{" + nl + ",table=\"" + Label(t->name) + "\"} ";
      items += "localddb_table_items" + labels + std::to_string(count) + "\n";
      bytes += "localddb_table_bytes" + labels + std::to_string(size) + "\n";
      read_units += "localddb_consumed_read_capacity_units_total" + labels + Units(t->usage->read_milli) + "\n";
      write_units += "localddb_consumed_write_capacity_units_total" + labels + Units(t->usage->write_milli) + "\n";
    }
    struct stat st {};
    const std::string path = ns->ctx().db.path();
    if (!path.empty() && ::stat((path + "-wal").c_str(), &st) == 0)
      wal += "localddb_wal_bytes{" + nl + "} " + std::to_string(st.st_size) + "\n";
    checkpoints += "localddb_checkpoints_total{" + nl + "} " + std::to_string(ns->ctx().db.Checkpoints()) + "\n";
    json::Document hooks;
    if (json::Parse(hooks, ns->hooks().StateJson()) != json::ParseStatus::kOk || !hooks.IsObject()) continue;
    auto list = hooks.FindMember("hooks");
    if (list == hooks.MemberEnd() || !list->value.IsArray()) continue;
    for (const auto& h : list->value.GetArray()) {
      const std::string labels =
          "{" + nl + ",hook=\"" + Label(json::View(h["id"])) + "\",table=\"" + Label(json::View(h["table"])) + "\"} ";
      const json::Value* counters = h.HasMember("counters") ? &h["counters"] : nullptr;
      delivered += "localddb_stream_hook_records_delivered_total" + labels +
                   std::to_string(counters ? Int(*counters, "recordsDelivered") : 0) + "\n";
      failed += "localddb_stream_hook_failed_attempts_total" + labels +
                std::to_string(counters ? Int(*counters, "failedAttempts") : 0) + "\n";
      lag += "localddb_stream_hook_lag_records" + labels + std::to_string(Int(h, "lag")) + "\n";
      age += "localddb_stream_hook_iterator_age_seconds" + labels +
             std::to_string(static_cast<double>(Int(h, "iteratorAgeMs")) / 1000) + "\n";
    }
  }
  Family(out, "localddb_table_items", "gauge", "Items in each table.");
  out += items;
  Family(out, "localddb_table_bytes", "gauge", "DynamoDB size in bytes of each table's items.");
  out += bytes;
  Family(out, "localddb_consumed_read_capacity_units_total", "counter",
         "Read capacity units each table consumed (DynamoDB's formulas), since the server started.");
  out += read_units;
  Family(out, "localddb_consumed_write_capacity_units_total", "counter",
         "Write capacity units each table and its indexes consumed, since the server started.");
  out += write_units;
  Family(out, "localddb_wal_bytes", "gauge", "Size of each namespace's SQLite write-ahead log.");
  out += wal;
  Family(out, "localddb_checkpoints_total", "counter",
         "WAL checkpoints run (copies of the WAL back into the database file), per namespace.");
  out += checkpoints;
  Family(out, "localddb_stream_hook_records_delivered_total", "counter", "Stream records a hook delivered.");
  out += delivered;
  Family(out, "localddb_stream_hook_failed_attempts_total", "counter", "Failed delivery attempts of a hook.");
  out += failed;
  Family(out, "localddb_stream_hook_lag_records", "gauge", "Stream records a hook has not delivered yet.");
  out += lag;
  Family(out, "localddb_stream_hook_iterator_age_seconds", "gauge",
         "Age of the oldest record a hook has not delivered (Lambda's IteratorAge).");
  out += age;
  Family(out, "localddb_open_connections", "gauge", "Client connections open now.");
  const std::atomic<size_t>* connections = g_connections.load();
  out += "localddb_open_connections " + std::to_string(connections ? connections->load() : 0) + "\n";
  return MakeResponse(call.envelope, http::status::ok, std::move(out), "text/plain; version=0.0.4");
}

}  // namespace localddb::server
