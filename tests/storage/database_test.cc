#include "storage/database.h"

#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "storage/schema.h"

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
  Range all = Range::Whole(1);
  CHECK(Collect(r, all) == std::vector<std::string>{"qa", "pa", "pb", "pc", "pd", "ra"});
  Range part = Range::Whole(1);
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
  Range segment = Range::Whole(1);
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
  db->Submit([](WriteTxn& t) { t.Put(1, K(1, "ok1"), "x", 1); },
             [&](std::exception_ptr e) {
               CHECK_FALSE(e);
               ++done;
             });
  db->Submit(
      [](WriteTxn& t) {
        t.Put(1, K(1, "bad"), "x", 1);
        throw std::runtime_error("no");
      },
      [&](std::exception_ptr e) {
        failed = e;
        ++done;
      });
  db->Submit([](WriteTxn& t) { t.Put(1, K(1, "ok2"), "x", 1); },
             [&](std::exception_ptr e) {
               CHECK_FALSE(e);
               ++done;
             });
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

TEST_CASE("readers see the newest version of every page, mapped, past the map or in the WAL") {
  // A reader maps the first mmap_bytes of the file and reads the rest, and every page whose
  // newest version is in the WAL, with pread: whichever way a page comes, it must be current.
  for (int64_t mmap_bytes : {int64_t{0}, int64_t{64} << 10, int64_t{256} << 20}) {
    INFO("mmap_bytes " << mmap_bytes);
    Options o;
    o.path = TempPath("mapped.sqlite");
    o.mmap_bytes = mmap_bytes;
    auto db = Database::Open(o);
    const std::string payload(3000, 'x');
    auto value = [&](int i, int version) { return std::to_string(version) + ":" + std::to_string(i) + payload; };
    constexpr int kItems = 6000;  // ~18 MB: several times the checkpointer's 4 MiB of WAL, so pages are copied back
    for (int first = 0; first < kItems; first += 500)
      db->Write([&](WriteTxn& t) {
        for (int i = first; i < first + 500; ++i) t.Put(1, K(i, "k" + std::to_string(i)), value(i, 1), 1);
      });
    Reader& r = db->reader();
    for (int i = 0; i < kItems; i += 7) REQUIRE(r.Get(1, K(i, "k" + std::to_string(i))) == value(i, 1));
    db->Write([&](WriteTxn& t) {  // newer versions of pages the reader has read through the map
      for (int i = 0; i < kItems; i += 3) t.Put(1, K(i, "k" + std::to_string(i)), value(i, 2), 1);
    });
    for (int i = 0; i < kItems; i += 7)
      REQUIRE(r.Get(1, K(i, "k" + std::to_string(i))) == value(i, i % 3 == 0 ? 2 : 1));
    db->Close();
    auto again = Database::Open(o);  // reopened: every page now comes from the file itself
    for (int i = 1; i < kItems; i += 5)
      REQUIRE(again->reader().Get(1, K(i, "k" + std::to_string(i))) == value(i, i % 3 == 0 ? 2 : 1));
    again->Close();
  }
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

namespace {

int64_t CountRows(const std::string& path, const char* sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, sql, -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  int64_t n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(raw);
  return n;
}

}  // namespace

TEST_CASE("index entries reference their base item; overwrites happen in place") {
  std::string path = TempPath("refs.sqlite");
  Options o;
  o.path = path;
  auto db = Database::Open(o);
  int64_t ref = 0, again = 0;
  db->Write([&](WriteTxn& t) {
    ref = t.Put(1, K(5, "a", "1"), "{\"v\":1}", 7);
    t.PutIndex(2, K(9, "g", "", "a1"), 4, ref);
  });
  REQUIRE(ref != 0);
  std::vector<std::pair<std::string, int64_t>> seen;
  db->reader().Scan(Range::Whole(2), [&](const EntryView& e) {
    seen.emplace_back(std::string(e.item), e.ref);
    CHECK(e.size == 4);  // the index entry's own (projected) size
    return true;
  });
  CHECK(seen == std::vector<std::pair<std::string, int64_t>>{{"{\"v\":1}", ref}});

  // Overwriting the base item keeps its row, so the index entry sees the new item unchanged.
  db->Write([&](WriteTxn& t) { again = t.Put(1, K(5, "a", "1"), "{\"v\":2}", 8); });
  CHECK(again == ref);
  CHECK(Collect(db->reader(), Range::Whole(2)) == std::vector<std::string>{"{\"v\":2}"});
  CHECK(db->reader().CountSpace(1) == std::pair<int64_t, int64_t>{1, 8});

  // Dropping the index space keeps the item; deleting the base entry removes it.
  db->Write([&](WriteTxn& t) { t.DropSpace(2); });
  CHECK(db->reader().Get(1, K(5, "a", "1")) == "{\"v\":2}");
  db->Write([&](WriteTxn& t) { CHECK(t.Delete(1, K(5, "a", "1"))); });
  // Dropping a base space removes the items its entries own.
  db->Write([&](WriteTxn& t) {
    for (int i = 0; i < 5; ++i) t.Put(3, K(1, "k" + std::to_string(i)), "x", 1);
    t.Put(4, K(1, "other"), "y", 1);
    t.DropSpace(3);
  });
  db->Close();
  CHECK(CountRows(path, "SELECT count(*) FROM items") == 1);
  CHECK(CountRows(path, "SELECT count(*) FROM entries") == 1);
}

TEST_CASE("a schema v2 file, with items inline in their entries, is upgraded and stays readable") {
  std::string path = TempPath("v2.sqlite");
  {
    // What a v2 build left: entries holding their items (and index entries holding copies).
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    const char* v2 =
        "PRAGMA journal_mode=WAL; PRAGMA application_id=1279542338;"
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
        "INSERT INTO meta VALUES('next_id', 3), ('next_seq', 1);"
        "CREATE TABLE tables(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, description TEXT NOT NULL);"
        "CREATE TABLE entries(space INTEGER NOT NULL, h INTEGER NOT NULL, hk BLOB NOT NULL,"
        "  rk BLOB NOT NULL, tk BLOB NOT NULL, size INTEGER NOT NULL, item TEXT NOT NULL,"
        "  PRIMARY KEY(space, h, hk, rk, tk)) WITHOUT ROWID;"
        "CREATE TABLE stream_records(stream INTEGER NOT NULL, seq INTEGER NOT NULL, created REAL NOT NULL,"
        "  record TEXT NOT NULL, PRIMARY KEY(stream, seq)) WITHOUT ROWID;"
        "CREATE INDEX stream_records_by_time ON stream_records(created);"
        "CREATE TABLE stream_hooks(table_name TEXT NOT NULL, url TEXT NOT NULL, position INTEGER NOT NULL,"
        "  PRIMARY KEY(table_name, url)) WITHOUT ROWID;"
        "INSERT INTO entries VALUES(1, 5, x'61', x'', x'', 3, 'old'), (2, 9, x'67', x'', x'61', 3, 'cpy');"
        "INSERT INTO stream_records VALUES(7, 4, 100.0, 'r4'), (7, 5, 101.0, 'r5');"
        "UPDATE meta SET value=6 WHERE key='next_seq';"
        "PRAGMA user_version=2;";
    REQUIRE(sqlite3_exec(raw, v2, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
  }
  Options o;
  o.path = path;
  auto db = Database::Open(o);
  CHECK(db->reader().Get(1, K(5, "a")) == "old");
  std::vector<int64_t> refs;
  db->reader().Scan(Range::Whole(2), [&](const EntryView& e) {
    CHECK(e.item == "cpy");
    refs.push_back(e.ref);
    return true;
  });
  CHECK(refs == std::vector<int64_t>{0});
  std::vector<std::string> records;
  db->reader().ReadStream(7, 0, [&](int64_t seq, double, std::string_view r) {
    records.push_back(std::to_string(seq) + ":" + std::string(r));
    return true;
  });
  CHECK(records == std::vector<std::string>{"4:r4", "5:r5"});
  db->Write([&](WriteTxn& t) { CHECK(t.NextSequenceNumber() == 6); });
  // Overwriting an inline item moves it to the items table; deleting it leaves nothing behind.
  int64_t ref = 0;
  db->Write([&](WriteTxn& t) { ref = t.Put(1, K(5, "a"), "new", 3); });
  CHECK(ref != 0);
  CHECK(db->reader().Get(1, K(5, "a")) == "new");
  db->Write([&](WriteTxn& t) { t.Delete(1, K(5, "a")); });
  CHECK_FALSE(db->reader().Get(1, K(5, "a")));
  db->Close();
  CHECK(CountRows(path, "PRAGMA user_version") == kSchemaVersion);
  CHECK(CountRows(path, "SELECT count(*) FROM items") == 0);
}

TEST_CASE("stream records: per-stream reads, bounds, trimming by age, sequence numbers that survive a reopen") {
  std::string path = TempPath("streams.sqlite");
  Options o;
  o.path = path;
  auto db = Database::Open(o);
  db->Write([](WriteTxn& t) {
    for (int i = 0; i < 6; ++i)
      t.AppendStreamRecord(i % 2 ? 20 : 10, t.NextSequenceNumber(), 100.0 + i, "r" + std::to_string(i));
  });
  auto read = [&](int64_t stream, int64_t after) {
    std::vector<int64_t> seqs;
    db->reader().ReadStream(stream, after, [&](int64_t seq, double, std::string_view) {
      seqs.push_back(seq);
      return true;
    });
    return seqs;
  };
  CHECK(read(10, 0) == std::vector<int64_t>{1, 3, 5});
  CHECK(read(20, 2) == std::vector<int64_t>{4, 6});
  CHECK(db->reader().StreamBounds(20) == std::pair<int64_t, int64_t>{2, 6});
  CHECK(db->reader().StreamBounds(30) == std::pair<int64_t, int64_t>{0, 0});
  db->Write([](WriteTxn& t) { t.TrimStreams(103.0); });  // created 100, 101, 102 go
  CHECK(read(10, 0) == std::vector<int64_t>{5});
  CHECK(read(20, 0) == std::vector<int64_t>{4, 6});
  db->Write([](WriteTxn& t) { t.TrimStreams(1000.0); });  // everything goes
  CHECK(read(20, 0).empty());
  db->Close();
  db = Database::Open(o);
  // Numbers are never reused, even after every record was trimmed.
  db->Write([](WriteTxn& t) { CHECK(t.NextSequenceNumber() == 7); });
}

TEST_CASE("space counts are kept by committed writes only, and agree with a fresh count") {
  auto db = Memory();
  CHECK(db->reader().CountSpace(1) == std::pair<int64_t, int64_t>{0, 0});  // learned: empty
  db->Write([](WriteTxn& t) {
    for (int i = 0; i < 10; ++i) t.Put(1, K(i, "k" + std::to_string(i), ""), "item", 4);
  });
  CHECK(db->reader().CountSpace(1) == std::pair<int64_t, int64_t>{10, 40});
  // An overwrite changes the bytes, not the count; a delete takes one away.
  db->Write([](WriteTxn& t) {
    t.Put(1, K(0, "k0", ""), "bigger item", 11);
    t.Delete(1, K(1, "k1", ""));
  });
  CHECK(db->reader().CountSpace(1) == std::pair<int64_t, int64_t>{9, 43});
  // Work that fails is rolled back, and so are its counts.
  CHECK_THROWS(db->Write([](WriteTxn& t) {
    t.Put(1, K(50, "k50", ""), "item", 4);
    throw std::runtime_error("no");
  }));
  CHECK(db->reader().CountSpace(1) == std::pair<int64_t, int64_t>{9, 43});
  // Index entries (an unknown change) are counted again when asked for.
  db->Write([](WriteTxn& t) {
    t.PutIndex(2, K(1, "g", "", "t1"), 5, 1);
    t.PutIndex(2, K(1, "g", "", "t2"), 5, 2);
  });
  CHECK(db->reader().CountSpace(2) == std::pair<int64_t, int64_t>{2, 10});
  db->Write([](WriteTxn& t) { t.DropSpace(1); });
  CHECK(db->reader().CountSpace(1) == std::pair<int64_t, int64_t>{0, 0});
  db->Close();
}

TEST_CASE("a schema v6 file gains the jobs table; jobs are kept by kind across a reopen") {
  std::string path = TempPath("v6.sqlite");
  {
    Options o;
    o.path = path;
    auto db = Database::Open(o);
    db->Close();
  }
  {
    // What a v6 build left: everything but the jobs table.
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, "DROP TABLE jobs; PRAGMA user_version=6;", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
  }
  Options o;
  o.path = path;
  auto db = Database::Open(o);
  CHECK(db->reader().LoadJobs("export").empty());
  db->Write([](WriteTxn& t) {
    t.PutJob({"export", "b", "{\"n\":1}"});
    t.PutJob({"export", "a", "{\"n\":2}"});
    t.PutJob({"import", "a", "{\"n\":3}"});
    t.PutJob({"export", "b", "{\"n\":4}"});  // replaces
  });
  db->Close();
  CHECK(CountRows(path, "PRAGMA user_version") == kSchemaVersion);
  db = Database::Open(o);
  auto exports = db->reader().LoadJobs("export");
  REQUIRE(exports.size() == 2);
  CHECK(exports[0].id == "a");
  CHECK(exports[1].description == "{\"n\":4}");
  CHECK(db->reader().LoadJobs("import").size() == 1);
  db->Close();
}

TEST_CASE("a backup row is seen by the writer until it is deleted") {
  auto db = Memory();
  bool before = false, after = true, other = true;
  db->Write([&](WriteTxn& t) {
    t.PutBackup({"arn:b1", 7, "{}"});
    before = t.HasBackup("arn:b1");
    other = t.HasBackup("arn:b2");
  });
  db->Write([&](WriteTxn& t) {
    t.DeleteBackup("arn:b1");
    after = t.HasBackup("arn:b1");
  });
  CHECK(before);
  CHECK_FALSE(other);
  CHECK_FALSE(after);
}
