// The write side of the database: WriteTxn over the writer's connection, with every statement
// prepared once. Used only by the writer thread (storage/database.cc).
#pragma once

#include "storage/database.h"
#include "storage/entry_statements.h"
#include "storage/space_counts.h"
#include "storage/sqlite.h"

namespace localddb::storage {

class SqliteWriteTxn final : public WriteTxn, public EntryStatements {
 public:
  SqliteWriteTxn(Connection& conn, SpaceCounts& counts)
      : EntryStatements(conn),
        counts_(counts),
        find_ref_(conn, "SELECT ref, size FROM entries WHERE space=?1 AND h=?2 AND hk=?3 AND rk=?4 AND tk=?5"),
        put_entry_(conn,
                   "INSERT OR REPLACE INTO entries(space,h,hk,rk,tk,size,item,ref) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)"),
        set_size_(conn, "UPDATE entries SET size=?6 WHERE space=?1 AND h=?2 AND hk=?3 AND rk=?4 AND tk=?5"),
        insert_item_(conn, "INSERT INTO items(item) VALUES(?1)"),
        update_item_(conn, "UPDATE items SET item=?2 WHERE id=?1"),
        delete_item_(conn, "DELETE FROM items WHERE id=?1"),
        delete_(conn, "DELETE FROM entries WHERE space=?1 AND h=?2 AND hk=?3 AND rk=?4 AND tk=?5"),
        drop_items_(conn, "DELETE FROM items WHERE id IN (SELECT ref FROM entries WHERE space=?1 AND tk=x'')"),
        drop_(conn, "DELETE FROM entries WHERE space=?1"),
        put_table_(conn, "INSERT OR REPLACE INTO tables(id,name,description) VALUES(?1,?2,?3)"),
        delete_table_(conn, "DELETE FROM tables WHERE id=?1"),
        set_next_id_(conn, "UPDATE meta SET value=?1 WHERE key='next_id'"),
        set_next_seq_(conn, "UPDATE meta SET value=?1 WHERE key='next_seq'"),
        append_record_(conn, "INSERT INTO stream_records(stream,seq,created,record) VALUES(?1,?2,?3,?4)"),
        // Records are in creation order: everything before the first record young enough to keep.
        trim_(conn,
              "DELETE FROM stream_records WHERE seq < coalesce((SELECT seq FROM stream_records WHERE created >= ?1"
              " ORDER BY seq LIMIT 1), 9223372036854775807)"),
        drop_stream_(conn, "DELETE FROM stream_records WHERE stream=?1"),
        put_expiry_(conn, "INSERT OR REPLACE INTO ttl(space,expires,h,hk,rk) VALUES(?1,?2,?3,?4,?5)"),
        delete_expiry_(conn, "DELETE FROM ttl WHERE space=?1 AND expires=?2 AND h=?3 AND hk=?4 AND rk=?5"),
        expired_(conn,
                 "SELECT h, hk, rk, expires FROM ttl WHERE space=?1 AND expires>=?2 AND expires<?3 ORDER BY expires "
                 "LIMIT ?4"),
        drop_expiries_(conn, "DELETE FROM ttl WHERE space=?1"),
        put_hook_(conn,
                  "INSERT OR REPLACE INTO stream_hooks(table_name,url,position,settings,paused,from_flag) "
                  "VALUES(?1,?2,?3,?4,?5,?6)"),
        delete_hook_(conn, "DELETE FROM stream_hooks WHERE table_name=?1 AND url=?2"),
        delete_hook_log_(conn, "DELETE FROM hook_log WHERE hook=?1"),
        put_hook_log_(conn, "INSERT OR REPLACE INTO hook_log(id, hook, kind, entry) VALUES(?1,?2,?3,?4)"),
        prune_hook_log_(conn,
                        "DELETE FROM hook_log WHERE hook=?1 AND kind=?2 AND id <= (SELECT id FROM hook_log "
                        "WHERE hook=?1 AND kind=?2 ORDER BY id DESC LIMIT 1 OFFSET ?3)"),
        put_backup_(conn, "INSERT OR REPLACE INTO backups(arn, space, description) VALUES(?1,?2,?3)"),
        delete_backup_(conn, "DELETE FROM backups WHERE arn=?1"),
        has_backup_(conn, "SELECT 1 FROM backups WHERE arn=?1"),
        put_job_(conn, "INSERT OR REPLACE INTO jobs(kind, id, description) VALUES(?1,?2,?3)"),
        append_pitr_(conn, "INSERT INTO pitr_log(space, time, h, hk, rk, old, size) VALUES(?1,?2,?3,?4,?5,?6,?7)"),
        read_pitr_(conn, "SELECT time, h, hk, rk, old, size FROM pitr_log WHERE space=?1 AND time>?2 ORDER BY id DESC"),
        trim_pitr_(conn, "DELETE FROM pitr_log WHERE time<?1"),
        drop_pitr_(conn, "DELETE FROM pitr_log WHERE space=?1") {
    next_id_ = conn.QueryInt("SELECT value FROM meta WHERE key='next_id'");
    next_seq_ = conn.QueryInt("SELECT value FROM meta WHERE key='next_seq'");
  }

  int64_t NextSequenceNumber() override {
    seq_dirty_ = true;  // stored once per transaction, by FinishTransaction
    return next_seq_++;
  }
  // Called by the writer just before COMMIT.
  void FinishTransaction() {
    if (!seq_dirty_) return;
    seq_dirty_ = false;
    ResetOnExit reset(set_next_seq_);
    set_next_seq_.BindInt(1, next_seq_);
    set_next_seq_.Step();
  }
  void AppendStreamRecord(int64_t stream, int64_t seq, double created, std::string_view record) override {
    ResetOnExit reset(append_record_);
    append_record_.BindInt(1, stream);
    append_record_.BindInt(2, seq);
    sqlite3_bind_double(append_record_.get(), 3, created);
    append_record_.BindText(4, record);
    append_record_.Step();
  }
  void TrimStreams(double created_before) override {
    ResetOnExit reset(trim_);
    sqlite3_bind_double(trim_.get(), 1, created_before);
    trim_.Step();
  }
  void PutExpiry(int64_t space, int64_t expires, const EntryKey& key) override {
    ResetOnExit reset(put_expiry_);
    BindExpiry(put_expiry_, space, expires, key);
    put_expiry_.Step();
  }
  void DeleteExpiry(int64_t space, int64_t expires, const EntryKey& key) override {
    ResetOnExit reset(delete_expiry_);
    BindExpiry(delete_expiry_, space, expires, key);
    delete_expiry_.Step();
  }
  std::vector<std::pair<int64_t, EntryKey>> Expired(int64_t space, int64_t from, int64_t before,
                                                    int64_t limit) override {
    ResetOnExit reset(expired_);
    expired_.BindInt(1, space);
    expired_.BindInt(2, from);
    expired_.BindInt(3, before);
    expired_.BindInt(4, limit);
    std::vector<std::pair<int64_t, EntryKey>> keys;
    while (expired_.Step())
      keys.emplace_back(expired_.Int(3), EntryKey{static_cast<uint32_t>(expired_.Int(0)),
                                                  std::string(expired_.Blob(1)),
                                                  std::string(expired_.Blob(2)),
                                                  {}});
    return keys;
  }
  void DropExpiries(int64_t space) override {
    ResetOnExit reset(drop_expiries_);
    drop_expiries_.BindInt(1, space);
    drop_expiries_.Step();
  }
  void DropStream(int64_t stream) override {
    ResetOnExit reset(drop_stream_);
    drop_stream_.BindInt(1, stream);
    drop_stream_.Step();
  }
  void PutHook(const StoredHook& h) override {
    ResetOnExit reset(put_hook_);
    put_hook_.BindText(1, h.table);
    put_hook_.BindText(2, h.url);
    put_hook_.BindInt(3, h.position);
    put_hook_.BindText(4, h.settings);
    put_hook_.BindInt(5, h.paused ? 1 : 0);
    put_hook_.BindInt(6, h.from_flag ? 1 : 0);
    put_hook_.Step();
  }
  void DeleteHook(std::string_view table, std::string_view url, std::string_view id) override {
    {
      ResetOnExit reset(delete_hook_);
      delete_hook_.BindText(1, table);
      delete_hook_.BindText(2, url);
      delete_hook_.Step();
    }
    ResetOnExit reset(delete_hook_log_);
    delete_hook_log_.BindText(1, id);
    delete_hook_log_.Step();
  }
  void PutHookLog(const HookLogRow& row, int64_t keep) override {
    {
      ResetOnExit reset(put_hook_log_);
      put_hook_log_.BindInt(1, row.id);
      put_hook_log_.BindText(2, row.hook);
      put_hook_log_.BindText(3, row.kind);
      put_hook_log_.BindText(4, row.entry);
      put_hook_log_.Step();
    }
    ResetOnExit reset(prune_hook_log_);
    prune_hook_log_.BindText(1, row.hook);
    prune_hook_log_.BindText(2, row.kind);
    prune_hook_log_.BindInt(3, keep);
    prune_hook_log_.Step();
  }

  std::optional<std::string> Get(int64_t space, const EntryKey& key) override {
    return EntryStatements::Get(space, key);
  }
  int64_t Put(int64_t space, const EntryKey& key, std::string_view item, uint32_t size) override {
    auto [ref, old_size] = FindRef(space, key);
    counts_.Record(space, old_size < 0 ? 1 : 0, static_cast<int64_t>(size) - std::max<int64_t>(old_size, 0));
    if (ref != 0) {
      // Overwrite in place: the entry (and every index entry referencing the item) stays put.
      ResetOnExit reset(update_item_);
      update_item_.BindInt(1, ref);
      update_item_.BindText(2, item);
      update_item_.Step();
      if (old_size != size) {
        ResetOnExit reset_size(set_size_);
        set_size_.BindInt(1, space);
        BindKey(set_size_, 2, key);
        set_size_.BindInt(6, size);
        set_size_.Step();
      }
      return ref;
    }
    {
      // A new item row gets the next id, so new items append to the end of the items b-tree.
      ResetOnExit reset(insert_item_);
      insert_item_.BindText(1, item);
      insert_item_.Step();
      ref = sqlite3_last_insert_rowid(conn_.get());
    }
    PutEntry(space, key, size, ref, {});
    return ref;
  }
  void PutIndex(int64_t space, const EntryKey& key, uint32_t size, int64_t ref, std::string_view inline_item) override {
    counts_.Unknown(space);  // a new entry or a replaced one: not known without a lookup
    PutEntry(space, key, size, ref, inline_item);
  }
  bool Delete(int64_t space, const EntryKey& key) override {
    const auto [ref, old_size] = key.tk.empty() ? FindRef(space, key) : std::pair<int64_t, int64_t>{0, -1};
    ResetOnExit reset(delete_);
    delete_.BindInt(1, space);
    BindKey(delete_, 2, key);
    delete_.Step();
    const bool removed = sqlite3_changes(conn_.get()) > 0;
    if (removed && old_size >= 0)
      counts_.Record(space, -1, -old_size);
    else if (removed)
      counts_.Unknown(space);
    if (ref != 0) {
      ResetOnExit reset_item(delete_item_);
      delete_item_.BindInt(1, ref);
      delete_item_.Step();
    }
    return removed;
  }
  void Scan(const Range& range, const std::function<bool(const EntryView&)>& visit) override {
    EntryStatements::Scan(range, visit);
  }
  void DropSpace(int64_t space) override {
    counts_.Reset(space);
    {
      ResetOnExit reset(drop_items_);  // only base entries (tk empty) own their item rows
      drop_items_.BindInt(1, space);
      drop_items_.Step();
    }
    ResetOnExit reset(drop_);
    drop_.BindInt(1, space);
    drop_.Step();
    DropPitr(space);  // a dropped table's recovery history goes with it
  }
  void PutBackup(const BackupRow& row) override {
    ResetOnExit reset(put_backup_);
    put_backup_.BindText(1, row.arn);
    put_backup_.BindInt(2, row.space);
    put_backup_.BindText(3, row.description);
    put_backup_.Step();
  }
  void DeleteBackup(std::string_view arn) override {
    ResetOnExit reset(delete_backup_);
    delete_backup_.BindText(1, arn);
    delete_backup_.Step();
  }
  bool HasBackup(std::string_view arn) override {
    ResetOnExit reset(has_backup_);
    has_backup_.BindText(1, arn);
    return has_backup_.Step();
  }
  void PutJob(const JobRow& row) override {
    ResetOnExit reset(put_job_);
    put_job_.BindText(1, row.kind);
    put_job_.BindText(2, row.id);
    put_job_.BindText(3, row.description);
    put_job_.Step();
  }
  void AppendPitr(int64_t space, const PitrChange& c) override {
    ResetOnExit reset(append_pitr_);
    append_pitr_.BindInt(1, space);
    sqlite3_bind_double(append_pitr_.get(), 2, c.time);
    append_pitr_.BindInt(3, c.key.h);
    append_pitr_.BindBlob(4, c.key.hk);
    append_pitr_.BindBlob(5, c.key.rk);
    if (!c.old_item.empty()) append_pitr_.BindText(6, c.old_item);  // else NULL: the item did not exist
    append_pitr_.BindInt(7, c.old_size);
    append_pitr_.Step();
  }
  void ReadPitrAfter(int64_t space, double after, const std::function<void(const PitrChange&)>& visit) override {
    ResetOnExit reset(read_pitr_);
    read_pitr_.BindInt(1, space);
    sqlite3_bind_double(read_pitr_.get(), 2, after);
    while (read_pitr_.Step()) {
      PitrChange c;
      c.time = sqlite3_column_double(read_pitr_.get(), 0);
      c.key.h = static_cast<uint32_t>(read_pitr_.Int(1));
      c.key.hk = std::string(read_pitr_.Blob(2));
      c.key.rk = std::string(read_pitr_.Blob(3));
      if (sqlite3_column_type(read_pitr_.get(), 4) != SQLITE_NULL) c.old_item = std::string(read_pitr_.Text(4));
      c.old_size = static_cast<uint32_t>(read_pitr_.Int(5));
      visit(c);
    }
  }
  void TrimPitr(double before) override {
    ResetOnExit reset(trim_pitr_);
    sqlite3_bind_double(trim_pitr_.get(), 1, before);
    trim_pitr_.Step();
  }
  void DropPitr(int64_t space) override {
    ResetOnExit reset(drop_pitr_);
    drop_pitr_.BindInt(1, space);
    drop_pitr_.Step();
  }
  int64_t AllocateId() override {
    int64_t id = next_id_++;
    ResetOnExit reset(set_next_id_);
    set_next_id_.BindInt(1, next_id_);
    set_next_id_.Step();
    return id;
  }
  void PutTable(const TableRow& row) override {
    ResetOnExit reset(put_table_);
    put_table_.BindInt(1, row.id);
    put_table_.BindText(2, row.name);
    put_table_.BindText(3, row.description);
    put_table_.Step();
  }
  void DeleteTable(int64_t id) override {
    ResetOnExit reset(delete_table_);
    delete_table_.BindInt(1, id);
    delete_table_.Step();
  }

 private:
  SpaceCounts& counts_;

  void BindExpiry(Statement& s, int64_t space, int64_t expires, const EntryKey& key) {
    s.BindInt(1, space);
    s.BindInt(2, expires);
    s.BindInt(3, key.h);
    s.BindBlob(4, key.hk);
    s.BindBlob(5, key.rk);
  }

  // The entry's item ref (0 if absent or inline) and stored size.
  std::pair<int64_t, int64_t> FindRef(int64_t space, const EntryKey& key) {
    ResetOnExit reset(find_ref_);
    find_ref_.BindInt(1, space);
    BindKey(find_ref_, 2, key);
    if (!find_ref_.Step()) return {0, -1};
    return {find_ref_.Int(0), find_ref_.Int(1)};
  }
  void PutEntry(int64_t space, const EntryKey& key, uint32_t size, int64_t ref, std::string_view inline_item) {
    ResetOnExit reset(put_entry_);
    put_entry_.BindInt(1, space);
    BindKey(put_entry_, 2, key);
    put_entry_.BindInt(6, size);
    put_entry_.BindText(7, inline_item.empty() ? std::string_view("") : inline_item);  // never NULL
    if (ref != 0) put_entry_.BindInt(8, ref);                                          // else NULL: the item is inline
    put_entry_.Step();
  }

  Statement find_ref_, put_entry_, set_size_, insert_item_, update_item_, delete_item_, delete_, drop_items_, drop_,
      put_table_, delete_table_, set_next_id_, set_next_seq_, append_record_, trim_, drop_stream_, put_expiry_,
      delete_expiry_, expired_, drop_expiries_, put_hook_, delete_hook_, delete_hook_log_, put_hook_log_,
      prune_hook_log_, put_backup_, delete_backup_, has_backup_, put_job_, append_pitr_, read_pitr_, trim_pitr_,
      drop_pitr_;
  // Ids and sequence numbers only grow; a rolled-back allocation just leaves a gap.
  int64_t next_id_ = 1;
  int64_t next_seq_ = 1;
  bool seq_dirty_ = false;
};

}  // namespace localddb::storage
