#include "storage/database.h"

#include <catch2/catch.hpp>
#include <sqlite3.h>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

using namespace localddb::storage;

namespace {

std::string TempPath(const char* name) {
  auto dir = std::filesystem::temp_directory_path() / ("localddb-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto p = dir / name;
  std::filesystem::remove(p);
  std::filesystem::remove(p.string() + "-wal");
  std::filesystem::remove(p.string() + "-shm");
  return p.string();
}

EntryKey K(uint32_t h, std::string hk, std::string rk = "", std::string tk = "") { return {h, hk, rk, tk}; }

std::vector<std::string> Collect(Reader& r, const Range& range) {
  std::vector<std::string> out;
  r.Scan(range, [&](const EntryView& e) {
    out.emplace_back(e.item);
    return true;
  });
  return out;
}

std::unique_ptr<Database> Memory() {
  Options o;
  o.in_memory = true;
  return Database::Open(o);
}

}  // namespace

TEST_CASE("put, get, replace and delete") {
  auto db = Memory();
  db->Write([](WriteTxn& t) { t.Put(1, K(5, "a", "1"), "one", 3); });
  CHECK(db->reader().Get(1, K(5, "a", "1")) == "one");
  CHECK_FALSE(db->reader().Get(2, K(5, "a", "1")));
  db->Write([](WriteTxn& t) { t.Put(1, K(5, "a", "1"), "uno", 3); });
  CHECK(db->reader().Get(1, K(5, "a", "1")) == "uno");
  bool removed = false;
  db->Write([&](WriteTxn& t) { removed = t.Delete(1, K(5, "a", "1")); });
  CHECK(removed);
  CHECK_FALSE(db->reader().Get(1, K(5, "a", "1")));
}

TEST_CASE("range reads follow key order, bounds, direction and resume points") {
  auto db = Memory();
  db->Write([](WriteTxn& t) {
    for (const char* rk : {"a", "b", "c", "d"}) t.Put(1, K(7, "p", rk), std::string("p") + rk, 1);
    t.Put(1, K(3, "q", "a"), "qa", 1);
    t.Put(1, K(9, "r", "a"), "ra", 1);
    t.Put(2, K(7, "p", "a"), "other-space", 1);
  });
  Reader& r = db->reader();
  Range all{1};
  CHECK(Collect(r, all) == std::vector<std::string>{"qa", "pa", "pb", "pc", "pd", "ra"});
  Range part{1};
  part.partition = Range::Partition{7, "p"};
  CHECK(Collect(r, part) == std::vector<std::string>{"pa", "pb", "pc", "pd"});
  part.rk_low = Bound{"b", true};
  part.rk_high = Bound{"d", false};
  CHECK(Collect(r, part) == std::vector<std::string>{"pb", "pc"});
  part.rk_low = Bound{"b", false};
  part.rk_high = Bound{"d", true};
  CHECK(Collect(r, part) == std::vector<std::string>{"pc", "pd"});
  part.forward = false;
  CHECK(Collect(r, part) == std::vector<std::string>{"pd", "pc"});
  part.rk_low.reset();
  part.rk_high.reset();
  part.after = K(7, "p", "c");
  CHECK(Collect(r, part) == std::vector<std::string>{"pb", "pa"});
  part.forward = true;
  CHECK(Collect(r, part) == std::vector<std::string>{"pd"});
  Range segment{1};
  segment.h_low = 4;
  segment.h_high = 8;
  CHECK(Collect(r, segment) == std::vector<std::string>{"pa", "pb", "pc", "pd"});
  auto [count, bytes] = r.CountSpace(1);
  CHECK(count == 6);
  CHECK(bytes == 6);
}

TEST_CASE("a failing piece of work rolls back alone; the rest of its group commits") {
  auto db = Memory();
  std::atomic<int> done{0};
  std::exception_ptr failed;
  db->Submit([](WriteTxn& t) { t.Put(1, K(1, "ok1"), "x", 1); }, [&](std::exception_ptr e) { CHECK_FALSE(e); ++done; });
  db->Submit(
      [](WriteTxn& t) {
        t.Put(1, K(1, "bad"), "x", 1);
        throw std::runtime_error("no");
      },
      [&](std::exception_ptr e) {
        failed = e;
        ++done;
      });
  db->Submit([](WriteTxn& t) { t.Put(1, K(1, "ok2"), "x", 1); }, [&](std::exception_ptr e) { CHECK_FALSE(e); ++done; });
  db->Write([](WriteTxn&) {});
  CHECK(done == 3);
  CHECK(failed);
  CHECK(db->reader().Get(1, K(1, "ok1")));
  CHECK(db->reader().Get(1, K(1, "ok2")));
  CHECK_FALSE(db->reader().Get(1, K(1, "bad")));
}

TEST_CASE("concurrent writers all land") {
  auto db = Memory();
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        db->Write([&](WriteTxn& txn) { txn.Put(1, K(1, std::to_string(t) + ":" + std::to_string(i)), "v", 1); });
    });
  for (auto& th : threads) th.join();
  CHECK(db->reader().CountSpace(1).first == 1600);
}

TEST_CASE("a file keeps everything across reopening") {
  std::string path = TempPath("reopen.sqlite");
  int64_t id = 0;
  {
    Options o;
    o.path = path;
    auto db = Database::Open(o);
    db->Write([&](WriteTxn& t) {
      id = t.AllocateId();
      t.PutTable({id, "tbl", "{\"d\":1}"});
      t.Put(id, K(1, "k"), "item", 4);
    });
    db->Close();
  }
  Options o;
  o.path = path;
  auto db = Database::Open(o);
  auto rows = db->reader().LoadCatalog();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].name == "tbl");
  CHECK(db->reader().Get(id, K(1, "k")) == "item");
  int64_t next = 0;
  db->Write([&](WriteTxn& t) { next = t.AllocateId(); });
  CHECK(next > id);  // ids are never reused
}

TEST_CASE("foreign, corrupt and newer files are refused clearly") {
  std::string garbage = TempPath("garbage.sqlite");
  std::ofstream(garbage) << std::string(4096, 'x');
  Options o;
  o.path = garbage;
  CHECK_THROWS_WITH(Database::Open(o), Catch::Contains("not a localddb database"));

  std::string newer = TempPath("newer.sqlite");
  {
    Options n;
    n.path = newer;
    auto db = Database::Open(n);
    db->Close();
  }
  {
    // Pretend a future build wrote it.
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(newer.c_str(), &raw) == SQLITE_OK);
    sqlite3_exec(raw, "PRAGMA user_version=99", nullptr, nullptr, nullptr);
    sqlite3_close(raw);
  }
  o.path = newer;
  CHECK_THROWS_WITH(Database::Open(o), Catch::Contains("newer localddb (schema version 99)"));
  o.path = "/nonexistent-dir/x/y.sqlite";
  CHECK_THROWS_WITH(Database::Open(o), Catch::Contains("/nonexistent-dir/x/y.sqlite"));
}
