// The kernel's cost of the writes a put makes, measured by itself (issue 17): how long one 4 KiB
// pwrite takes into the page cache, for the two patterns SQLite's WAL mode produces:
//   append      the WAL: frames of 4 KiB + 24 bytes written one after another
//   random      a checkpoint: 4 KiB pages copied to random offsets of the database file
// and, for reference, an fdatasync after every N appends (localddb's --fsync mode).
// Usage: page_write_cost [directory] [megabytes]   (default: the current directory, 256 MB)
// It prints one line per pattern: pages, seconds, microseconds per page, MB/s.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
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

  ::close(fd);
  ::close(dbfd);
  ::unlink(wal.c_str());
  ::unlink(db.c_str());
  return 0;
}
