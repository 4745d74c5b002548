// TrimRecoveryHistory: point-in-time history older than the longest recovery period is dropped;
// what a restore may still need is kept.
#include "api/admin/recovery_trim.h"

#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

namespace {
int64_t HistoryRows(HandlerFixture& f, int64_t space) {
  int64_t n = 0;
  f.db().Write([&](localddb::storage::WriteTxn& txn) {
    txn.ReadPitrAfter(space, 0, [&](const localddb::storage::PitrChange&) { ++n; });
  });
  return n;
}
}  // namespace

TEST_CASE("recovery history older than 35 days is trimmed, newer history kept") {
  HandlerFixture f;
  f.CreateTable("pitr");
  f.Ok("UpdateContinuousBackups",
       R"j({"TableName":"pitr","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}})j");
  const int64_t space = f.ctx().catalog.Find("pitr")->space;
  f.Ok("PutItem", R"j({"TableName":"pitr","Item":{"pk":{"S":"old"}}})j");
  f.Advance(36 * 86400.0);
  f.Ok("PutItem", R"j({"TableName":"pitr","Item":{"pk":{"S":"new"}}})j");
  REQUIRE(HistoryRows(f, space) == 2);
  localddb::api::TrimRecoveryHistory(f.ctx());
  CHECK(HistoryRows(f, space) == 1);  // the write of 36 days ago is past any recovery period
  f.Advance(34 * 86400.0);
  localddb::api::TrimRecoveryHistory(f.ctx());
  CHECK(HistoryRows(f, space) == 1);  // 34 days old: still restorable to
}

TEST_CASE("a deleted table's system backup is kept 35 days, then trimmed") {
  HandlerFixture f;
  f.CreateTable("gone");
  f.CreateTable("kept");
  for (const char* t : {"gone", "kept"})
    f.Ok("UpdateContinuousBackups",
         std::string(R"j({"TableName":")j") + t +
             R"j(","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}})j");
  f.Ok("PutItem", R"j({"TableName":"gone","Item":{"pk":{"S":"a"}}})j");
  f.Ok("DeleteTable", R"j({"TableName":"gone"})j");
  f.Ok("CreateBackup", R"j({"TableName":"kept","BackupName":"mine"})j");
  auto backups = [&](const char* type) {
    return f.Ok("ListBackups", std::string(R"j({"BackupType":")j") + type + "\"}")["BackupSummaries"].Size();
  };
  CHECK(backups("SYSTEM") == 1);
  CHECK(backups("USER") == 1);
  f.Advance(34 * 86400.0);
  localddb::api::TrimRecoveryHistory(f.ctx());
  CHECK(backups("SYSTEM") == 1);
  f.Advance(2 * 86400.0);
  localddb::api::TrimRecoveryHistory(f.ctx());
  CHECK(backups("SYSTEM") == 0);
  CHECK(backups("USER") == 1);  // a user's backup stays until they delete it
}
