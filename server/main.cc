// localddb: flags -> storage -> catalog -> HTTP. SIGINT/SIGTERM stop accepting, let in-flight
// requests finish, close SQLite cleanly and exit 0.
#include <fcntl.h>
#include <openssl/rand.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <functional>
#include <iostream>
#include <thread>
#include <vector>

#include "api/ops/operation.h"
#include "common/log.h"
#include "server/access_policy.h"
#include "server/config.h"
#include "server/http_server.h"
#include "server/namespaces.h"
#include "server/router.h"
#include "server/test_double.h"
#include "server/ttl_sweeper.h"
#include "storage/database_files.h"

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
  for (const auto& hook : config.stream_hooks) policy.hook_targets.emplace_back(server::UrlHost(hook.url));
  if (!config.lambda_endpoint.empty()) policy.hook_targets.emplace_back(server::UrlHost(config.lambda_endpoint));
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

// `localddb snapshot export --db FILE --out COPY`: a consistent, self-contained copy of a database
// file (which a running server may be using) that --db can open. Returns the exit status.
int SnapshotCommand(int argc, char** argv) {
  std::string db, out;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--db")
      db = argv[i + 1];
    else if (flag == "--out")
      out = argv[i + 1];
  }
  if (argc < 3 || std::string(argv[2]) != "export" || db.empty() || out.empty() || argc % 2 == 0) {
    std::cerr << "usage: localddb snapshot export --db FILE --out COPY\n";
    return 2;
  }
  try {
    storage::CopyDatabase(db, out);
  } catch (const std::exception& e) {
    std::cerr << "localddb: " << e.what() << "\n";
    return 1;
  }
  std::cout << "exported " << db << " to " << out << "\n";
  return 0;
}

// `localddb health [--url URL]`: asks a running server's /_localddb/health; exit 0 if it answers
// "ok", 1 otherwise. For container health checks: the image needs no curl.
int HealthCommand(int argc, char** argv) {
  std::string url = "http://127.0.0.1:8000";
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--url" && i + 1 < argc) {
      url = argv[++i];
    } else if (arg.rfind("--url=", 0) == 0) {
      url = arg.substr(6);
    } else {
      std::cerr << "usage: localddb health [--url http://HOST:PORT]\n";
      return 2;
    }
  }
  try {
    namespace beast = boost::beast;
    namespace http = beast::http;
    boost::system::result<boost::urls::url_view> parsed = boost::urls::parse_uri(url);
    if (!parsed || parsed->scheme() != "http") throw std::runtime_error("--url must be http://HOST:PORT, got " + url);
    const std::string host = parsed->host_address();
    const std::string port = parsed->has_port() ? std::string(parsed->port()) : "80";
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(3));
    stream.connect(resolver.resolve(host, port));
    std::string path(parsed->encoded_path());
    while (!path.empty() && path.back() == '/') path.pop_back();
    http::request<http::empty_body> req{http::verb::get, path + "/_localddb/health", 11};
    req.set(http::field::host, std::string(parsed->encoded_host_and_port()));
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    std::cout << res.body() << "\n";
    return res.result() == http::status::ok && res.body().find("\"ok\"") != std::string::npos ? 0 : 1;
  } catch (const boost::system::system_error& e) {
    std::cerr << "localddb health: " << url << ": " << e.code().message() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "localddb health: " << url << ": " << e.what() << "\n";
    return 1;
  }
}

// Where clients reach the server, for the ready line: IPv6 addresses in brackets.
std::string UrlHost(const std::string& host) {
  return host.find(':') != std::string::npos && host.front() != '[' ? "[" + host + "]" : host;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "snapshot") return SnapshotCommand(argc, argv);
  if (argc >= 2 && std::string(argv[1]) == "health") return HealthCommand(argc, argv);
  if (argc >= 2 && std::string(argv[1]) == "version") {
    std::cout << "localddb " << LOCALDDB_VERSION << "\n";
    return 0;
  }
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
  SetLogFormat(config->log_format);

  ServerClock clock;
  if (config->clock_manual) clock.Set(config->clock_start > 0 ? config->clock_start : clock.Now());
  server::NamespaceOptions ns_options;
  ns_options.db_path = config->db_path;
  ns_options.in_memory = config->in_memory;
  ns_options.fsync = config->fsync;
  ns_options.mmap_bytes = config->mmap_mib << 20;
  ns_options.region = config->region;
  ns_options.snapshot_dir = config->snapshot_dir;
  ns_options.s3_dir = config->s3_dir;
  ns_options.clock = &clock;
  ns_options.hooks.defaults = config->stream_defaults;
  ns_options.hooks.retention_hours = config->stream_retention_hours;
  ns_options.hooks.history = config->stream_hook_history;
  ns_options.hooks.lambda_endpoint = config->lambda_endpoint;
  ns_options.default_hooks = config->stream_hooks;
  std::unique_ptr<server::NamespaceRegistry> namespaces;
  try {
    namespaces = std::make_unique<server::NamespaceRegistry>(ns_options);
    // Before the ready line: a snapshot to start from, then seed data.
    if (!config->restore_snapshot.empty())
      server::RestoreSnapshot(*namespaces, server::NamespaceRegistry::kDefault, config->restore_snapshot);
    if (!config->faults_path.empty())
      server::AddFaultRulesFromFile(*namespaces, server::NamespaceRegistry::kDefault, config->faults_path);
    for (const auto& path : config->seed_paths)
      server::SeedFromPath(*namespaces, server::NamespaceRegistry::kDefault, path);
  } catch (const std::exception& e) {
    std::cerr << "localddb: " << e.what() << "\n";
    return 1;
  }
  boost::asio::io_context ioc{config->threads};

  server::AccessPolicy policy;
  try {
    policy = MakeAccessPolicy(*config);
  } catch (const std::exception& e) {
    std::cerr << "localddb: " << e.what() << "\n";
    return 1;
  }
  server::Router router(*namespaces, clock, *config, policy);
  server::HttpServer http(ioc, router, *config);
  try {
    http.Listen(config->host, config->port);
  } catch (const std::exception& e) {
    std::cerr << "localddb: " << e.what() << "\n";
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

  server::TtlSweeper sweeper(*namespaces, config->ttl_sweep_interval);
  http.StartAccepting();
  std::cout << "localddb listening on http://" << UrlHost(config->host) << ":" << http.port() << std::endl;
  Log(LogLevel::kInfo, std::string("serving ") + (config->in_memory ? "an in-memory database" : config->db_path) +
                           " with " + std::to_string(config->threads) + " threads, up to " +
                           std::to_string(http.max_connections()) + " connections");

  std::vector<std::thread> workers;
  for (int i = 1; i < config->threads; ++i) workers.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : workers) t.join();
  sweeper.Stop();
  namespaces.reset();
  Log(LogLevel::kInfo, "stopped");
  return 0;
}
