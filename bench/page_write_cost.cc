// The kernel's cost of the writes a put makes, measured by itself (issue 17): how long one 4 KiB
// pwrite takes into the page cache, for the two patterns SQLite's WAL mode produces:
//   append      the WAL: frames of 4 KiB + 24 bytes written one after another
//   random      a checkpoint: 4 KiB pages copied to random offsets of the database file
// and, for reference, an fdatasync after every N appends (localddb's --fsync mode); then commit
// latency by itself: 10 s of commits of 36 frames (a group of ~11 puts) into a 4 MiB WAL that
// wraps around, paced at PutItem's write rate (~13k puts/s of 3.15 pages: 168 MB/s), each commit
// timed: the tail the file system alone gives a writer. (It showed that ext4 was not what made
// PutItem's p99 14 ms with 16 MiB checkpoints: commits here stay under 1 ms at p99.9.)
// Usage: page_write_cost [directory] [megabytes] [commit MB/s]   (default: ., 256 MB, 168)
// It prints one line per pattern: pages, seconds, microseconds per page, MB/s; then the commits'
// latency percentiles.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

void Report(const char* pattern, size_t pages, size_t bytes_each, double seconds) {
  std::printf("%-22s %8zu pages %8.3f s %8.2f us/page %8.1f MB/s\n", pattern, pages, seconds, seconds * 1e6 / pages,
              static_cast<double>(pages * bytes_each) / seconds / 1e6);
}

int OpenFresh(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    std::perror(path.c_str());
    std::exit(1);
  }
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : ".";
  const size_t megabytes = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 256;
  const size_t pages = megabytes * 1024 * 1024 / 4096;
  // Read first: a bad argument must not leave the test files behind.
  const double rate_mb_s = argc > 3 ? std::strtod(argv[3], nullptr) : 168;
  if (!(rate_mb_s > 0 && rate_mb_s < 1e6)) {  // 0 or garbage would make the pause between commits infinite
    std::fprintf(stderr, "page_write_cost: commit MB/s must be a number above 0, not '%s'\n", argv[3]);
    return 2;
  }
  std::vector<char> frame(4096 + 24, 'x');
  const std::string wal = dir + "/page_write_cost.wal", db = dir + "/page_write_cost.db";

  int fd = OpenFresh(wal);
  auto start = Clock::now();
  off_t at = 0;
  for (size_t i = 0; i < pages; ++i, at += static_cast<off_t>(frame.size()))
    if (::pwrite(fd, frame.data(), frame.size(), at) != static_cast<ssize_t>(frame.size())) return 1;
  Report("append (WAL frames)", pages, frame.size(), Seconds(start));

  // The same file again: the pages exist, as in a WAL that wraps around after a checkpoint.
  start = Clock::now();
  at = 0;
  for (size_t i = 0; i < pages; ++i, at += static_cast<off_t>(frame.size()))
    if (::pwrite(fd, frame.data(), frame.size(), at) != static_cast<ssize_t>(frame.size())) return 1;
  Report("overwrite (WAL reuse)", pages, frame.size(), Seconds(start));

  int dbfd = OpenFresh(db);
  if (::ftruncate(dbfd, static_cast<off_t>(pages) * 4096) != 0) return 1;
  std::mt19937_64 rng(42);
  start = Clock::now();
  for (size_t i = 0; i < pages; ++i) {
    const off_t page = static_cast<off_t>(rng() % pages);
    if (::pwrite(dbfd, frame.data(), 4096, page * 4096) != 4096) return 1;
  }
  Report("random (checkpoint)", pages, 4096, Seconds(start));

  const size_t synced = std::min<size_t>(pages, 4096);
  start = Clock::now();
  at = 0;
  for (size_t i = 0; i < synced; ++i, at += static_cast<off_t>(frame.size())) {
    if (::pwrite(fd, frame.data(), frame.size(), at) != static_cast<ssize_t>(frame.size())) return 1;
    if (i % 4 == 3 && ::fdatasync(fd) != 0) return 1;  // ~one put's frames per sync
  }
  Report("append + fdatasync/4", synced, frame.size(), Seconds(start));

  // Paced commits into a WAL that wraps at 4 MiB (the checkpointer's threshold), for 10 s.
  constexpr size_t kFramesPerCommit = 36, kWalFrames = 4 * 1024 * 1024 / 4096;
  const auto interval =
      std::chrono::duration<double>(static_cast<double>(kFramesPerCommit * frame.size()) / (rate_mb_s * 1e6));
  std::vector<double> latencies_us;
  const auto end = Clock::now() + std::chrono::seconds(10);
  auto next = Clock::now();
  size_t frame_no = 0;
  while (Clock::now() < end) {
    const auto t0 = Clock::now();
    for (size_t i = 0; i < kFramesPerCommit; ++i, frame_no = (frame_no + 1) % kWalFrames)
      if (::pwrite(fd, frame.data(), frame.size(), static_cast<off_t>(frame_no * frame.size())) !=
          static_cast<ssize_t>(frame.size()))
        return 1;
    latencies_us.push_back(Seconds(t0) * 1e6);
    next += std::chrono::duration_cast<Clock::duration>(interval);
    std::this_thread::sleep_until(next);
  }
  std::sort(latencies_us.begin(), latencies_us.end());
  auto pct = [&](double q) { return latencies_us[std::min(latencies_us.size() - 1, size_t(q * latencies_us.size()))]; };
  size_t over_ms =
      static_cast<size_t>(latencies_us.end() - std::upper_bound(latencies_us.begin(), latencies_us.end(), 1000.0));
  std::printf(
      "paced commits (%zu x 4 KiB at %.0f MB/s): %zu commits, p50 %.0f us, p99 %.0f us, p99.9 %.0f us, "
      "max %.0f us, %zu over 1 ms\n",
      kFramesPerCommit, rate_mb_s, latencies_us.size(), pct(0.5), pct(0.99), pct(0.999), latencies_us.back(), over_ms);

  ::close(fd);
  ::close(dbfd);
  ::unlink(wal.c_str());
  ::unlink(db.c_str());
  return 0;
}
