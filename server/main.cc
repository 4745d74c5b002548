// localddb: flags -> storage -> catalog -> HTTP. SIGINT/SIGTERM stop accepting, let in-flight
// requests finish, close SQLite cleanly and exit 0.
#include <fcntl.h>
#include <openssl/rand.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <iostream>
#include <thread>
#include <vector>

#include "api/catalog/catalog.h"
#include "api/ops/operation.h"
#include "common/log.h"
#include "server/access_policy.h"
#include "server/config.h"
#include "server/http_server.h"
#include "server/router.h"
#include "storage/database.h"
#include "streams/hook_dispatcher.h"

using namespace localddb;

namespace {

// Waits (on the io_context) until no request is in flight, then stops it. Bounded, so a stuck
// request cannot keep the process alive forever.
void DrainThenStop(boost::asio::io_context& ioc, server::Router& router,
                   std::shared_ptr<boost::asio::steady_timer> timer, std::chrono::steady_clock::time_point deadline) {
  if (router.in_flight() == 0 || std::chrono::steady_clock::now() > deadline) {
    ioc.stop();
    return;
  }
  timer->expires_after(std::chrono::milliseconds(5));
  timer->async_wait([&ioc, &router, timer, deadline](const boost::system::error_code&) {
    DrainThenStop(ioc, router, timer, deadline);
  });
}

// The access policy from the flags. The admin token is required whenever the server can be
// reached from other hosts or checks signatures; if none was given, one is generated, logged and
// written to a file only this user can read.
server::AccessPolicy MakeAccessPolicy(const server::Config& config) {
  server::AccessPolicy policy;
  policy.listen_host = config.host;
  policy.allowed_hosts = config.allow_hosts;
  policy.cors_origins = config.cors_origins;
  policy.hook_targets = config.allow_hook_targets;
  for (const auto& [table, url] : config.stream_hooks) policy.hook_targets.emplace_back(server::UrlHost(url));
  policy.admin_token = config.admin_token;
  policy.token_required =
      !config.admin_token.empty() || config.auth == "sigv4" || !server::IsLoopbackHost(server::HostName(config.host));
  if (policy.token_required && policy.admin_token.empty()) {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("cannot draw random bytes for the admin token");
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char b : bytes) {
      policy.admin_token.push_back(kHex[b >> 4]);
      policy.admin_token.push_back(kHex[b & 15]);
    }
    const std::string file = config.in_memory ? "/tmp/localddb-" + std::to_string(getpid()) + ".admin-token"
                                              : config.db_path + ".admin-token";
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const bool written = fd >= 0 && ::fchmod(fd, 0600) == 0 &&
                         ::write(fd, policy.admin_token.data(), policy.admin_token.size()) ==
                             static_cast<ssize_t>(policy.admin_token.size());
    if (fd >= 0) ::close(fd);
    Log(LogLevel::kInfo, "admin API token: " + policy.admin_token +
                             (written ? " (also in " + file + ", readable by this user only)" : std::string()));
  }
  return policy;
}

}  // namespace

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  // Past a file size limit (ulimit -f), a write fails with EFBIG (answered as a full disk) instead
  // of the signal killing the process.
  ::signal(SIGXFSZ, SIG_IGN);
  std::optional<server::Config> config;
  try {
    config = server::ParseConfig(argc, argv);
  } catch (const server::ConfigError& e) {
    std::cerr << "localddb: " << e.what() << "\n";
    return 2;
  }
  if (!config) return 0;
  SetLogLevel(config->log_level);

  std::unique_ptr<storage::Database> db;
  api::Catalog catalog;
  try {
    storage::Options options;
    options.path = config->db_path;
    options.in_memory = config->in_memory;
    options.fsync = config->fsync;
    db = storage::Database::Open(options);
    catalog.Load(db->reader());
  } catch (const std::exception& e) {
    std::cerr << "localddb: " << e.what() << "\n";
    return 1;
  }

  api::Context ctx{*db, catalog, api::Settings{config->region, "000000000000"}};
  boost::asio::io_context ioc{config->threads};
  streams::HookOptions hook_options;
  hook_options.batch_size = config->stream_batch_size;
  hook_options.batch_window_ms = config->stream_batch_window_ms;
  hook_options.max_attempts = config->stream_max_attempts;
  hook_options.max_record_age_s = config->stream_max_record_age_s;
  hook_options.timeout_ms = config->stream_hook_timeout_ms;
  hook_options.retention_hours = config->stream_retention_hours;
  streams::HookDispatcher hooks(ctx, hook_options);
  db->SetCommitListener([&hooks] { hooks.Notify(); });
  std::vector<streams::HookSpec> configured;
  for (const auto& [table, url] : config->stream_hooks) configured.push_back({table, url});
  hooks.Start(configured);

  server::AccessPolicy policy;
  try {
    policy = MakeAccessPolicy(*config);
  } catch (const std::exception& e) {
    std::cerr << "localddb: " << e.what() << "\n";
    return 1;
  }
  server::Router router(ctx, *config, policy, &hooks);
  server::HttpServer http(ioc, router, *config);
  try {
    http.Listen(config->host, config->port);
  } catch (const std::exception& e) {
    std::cerr << "localddb: " << e.what() << "\n";
    hooks.Stop();
    db->Close();
    return 1;
  }

  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    Log(LogLevel::kInfo,
        std::string("received ") + (signo == SIGINT ? "SIGINT" : "SIGTERM") + ", finishing in-flight requests");
    http.StopAccepting();
    DrainThenStop(ioc, router, std::make_shared<boost::asio::steady_timer>(ioc),
                  std::chrono::steady_clock::now() + std::chrono::seconds(30));
  });

  http.StartAccepting();
  std::cout << "localddb listening on http://" << config->host << ":" << http.port() << std::endl;
  Log(LogLevel::kInfo, std::string("serving ") + (config->in_memory ? "an in-memory database" : config->db_path) +
                           " with " + std::to_string(config->threads) + " threads, up to " +
                           std::to_string(http.max_connections()) + " connections");

  std::vector<std::thread> workers;
  for (int i = 1; i < config->threads; ++i) workers.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : workers) t.join();
  hooks.Stop();
  db->Close();
  Log(LogLevel::kInfo, "stopped");
  return 0;
}
