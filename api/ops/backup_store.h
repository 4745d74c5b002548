// On-demand backups as localddb keeps them: a row per backup (storage/ BackupRow) whose
// description is the JSON below, and whose space holds a copy of the table's items. What
// CreateBackup, DescribeBackup, ListBackups, DeleteBackup and RestoreTableFromBackup share.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/ops/operation.h"
#include "storage/database.h"

namespace localddb::api {

// What DeleteTable keeps of a table that had point-in-time recovery on: a SYSTEM backup named
// "<table>$DeletedTableBackup", kept for 35 days, restorable like any other.
constexpr std::string_view kDeletedTableBackupSuffix = "$DeletedTableBackup";

struct Backup {
  std::string arn;
  int64_t space = 0;
  std::string name;
  std::string type = "USER";  // BackupType: USER (CreateBackup) or SYSTEM (DeleteTable)
  std::string table_name, table_id, table_arn;
  double created = 0;        // BackupCreationDateTime
  double table_created = 0;  // the source table's CreationDateTime
  int64_t items = 0;
  int64_t bytes = 0;
  std::string schema_json;  // the source table's TableSchema::ToJson() when backed up

  std::string ToJson() const;
  static Backup FromRow(const storage::BackupRow& row);
};

// A new backup's ARN: the table's, then /backup/<milliseconds>-<8 hex digits>.
std::string NewBackupArn(const std::string& table_arn, double now);

// Fills b (arn, names, times already set) with a consistent copy of table's items, in txn, and
// stores it.
void CopyIntoBackup(storage::WriteTxn& txn, const TableSchema& table, Backup& b);

// Every backup of the namespace (read through this thread's reader), ordered by ARN.
std::vector<Backup> LoadBackups(Context& ctx);
// DynamoDB's BackupNotFoundException for arn.
ApiError BackupNotFound(std::string_view arn);
// The backup with this ARN, or DynamoDB's BackupNotFoundException.
Backup RequireBackup(Context& ctx, std::string_view arn);

// One base entry of a space, copied out of a scan.
struct StoredEntry {
  storage::EntryKey key;
  std::string item;
  uint32_t size = 0;
};

// Visits a space's base entries in key order, a chunk at a time (so a large table is never held in
// memory whole); between chunks the visitor may write to other spaces in the same transaction.
void ForEachChunk(storage::WriteTxn& txn, int64_t space, const std::function<void(std::vector<StoredEntry>&)>& visit);

// Visits a table's items as they were at `at` (PITR on): the table now, with every change made
// after `at` undone (a changed key ends up as it was before its first change after `at`); only
// the changed keys are held in memory. Items come a chunk at a time, as ForEachChunk's; the
// visitor may write to other spaces. size: the item's DynamoDB size.
void ForEachItemAt(
    storage::WriteTxn& txn, int64_t space, double at,
    const std::function<void(const storage::EntryKey& key, const std::string& item, uint32_t size)>& visit);

// BackupDetails, as CreateBackup, DescribeBackup and DeleteBackup answer them.
void WriteBackupDetails(json::Writer& w, const Backup& b, std::string_view status);
// BackupDescription: BackupDetails, SourceTableDetails and SourceTableFeatureDetails.
void WriteBackupDescription(json::Writer& w, const Backup& b, std::string_view status);

}  // namespace localddb::api
