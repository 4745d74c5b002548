#include "storage/entry_statements.h"

namespace localddb::storage {

EntryStatements::EntryStatements(Connection& conn)
    : conn_(conn),
      get_(conn,
           "SELECT coalesce(i.item, e.item) FROM entries e LEFT JOIN items i ON i.id=e.ref"
           " WHERE e.space=?1 AND e.h=?2 AND e.hk=?3 AND e.rk=?4 AND e.tk=?5"),
      count_(conn, "SELECT count(*), coalesce(sum(size),0) FROM entries WHERE space=?1") {}

void EntryStatements::BindKey(Statement& s, int first, const EntryKey& key) {
  s.BindInt(first, key.h);
  s.BindBlob(first + 1, key.hk);
  s.BindBlob(first + 2, key.rk);
  s.BindBlob(first + 3, key.tk);
}

std::optional<std::string> EntryStatements::Get(int64_t space, const EntryKey& key) {
  ResetOnExit reset(get_);
  get_.BindInt(1, space);
  BindKey(get_, 2, key);
  if (!get_.Step() || get_.Text(0).empty()) return std::nullopt;  // see Scan
  return std::string(get_.Text(0));
}

std::pair<int64_t, int64_t> EntryStatements::CountSpace(int64_t space) {
  ResetOnExit reset(count_);
  count_.BindInt(1, space);
  count_.Step();
  return {count_.Int(0), count_.Int(1)};
}

namespace {

// Bits of a range's SQL shape.
enum : int {
  kPartition = 1,
  kLowIncl = 2,
  kLowExcl = 4,
  kHighIncl = 8,
  kHighExcl = 16,
  kAfter = 32,
  kReverse = 64,
};

int ShapeOf(const Range& r) {
  int shape = 0;
  if (r.partition) {
    shape |= kPartition;
    if (r.rk_low) shape |= r.rk_low->inclusive ? kLowIncl : kLowExcl;
    if (r.rk_high) shape |= r.rk_high->inclusive ? kHighIncl : kHighExcl;
  }
  if (r.after) shape |= kAfter;
  if (!r.forward) shape |= kReverse;
  return shape;
}

// Parameters: ?1 space, ?2 h, ?3 hk (partition) or ?2 h_low, ?3 h_high (whole space), ?4 low,
// ?5 high, ?6..?9 the `after` position. Every shape walks the primary key index.
std::string ShapeSql(int shape) {
  // The resume point is written so SQLite seeks to it in the primary key: within a partition as
  // (rk,tk) beside the partition's equalities, across the space as (h,hk,rk,tk) with only the far
  // hash bound left as a filter. (A BETWEEN on h would make SQLite seek by h alone and walk every
  // earlier row of the segment.)
  const bool reverse = shape & kReverse;
  const bool after = shape & kAfter;
  const char* cmp = reverse ? "<" : ">";
  // The entries are walked in key order and each item fetched from its row by id.
  std::string sql =
      "SELECT e.h, e.hk, e.rk, e.tk, coalesce(i.item, e.item), e.size, coalesce(e.ref, 0)"
      " FROM entries e LEFT JOIN items i ON i.id=e.ref WHERE e.space=?1";
  if (shape & kPartition) {
    sql += " AND e.h=?2 AND e.hk=?3";
    if (shape & kLowIncl) sql += " AND e.rk>=?4";
    if (shape & kLowExcl) sql += " AND e.rk>?4";
    if (shape & kHighIncl) sql += " AND e.rk<=?5";
    if (shape & kHighExcl) sql += " AND e.rk<?5";
    if (after) sql += std::string(" AND (e.rk,e.tk)") + cmp + "(?8,?9)";
  } else if (after) {
    sql += std::string(" AND (e.h,e.hk,e.rk,e.tk)") + cmp + "(?6,?7,?8,?9)";
    sql += reverse ? " AND e.h>=?2" : " AND e.h<=?3";
  } else {
    sql += " AND e.h BETWEEN ?2 AND ?3";
  }
  sql += reverse ? " ORDER BY e.h DESC, e.hk DESC, e.rk DESC, e.tk DESC" : " ORDER BY e.h, e.hk, e.rk, e.tk";
  return sql;
}

}  // namespace

Statement& EntryStatements::ScanStatement(const Range& range) {
  const int shape = ShapeOf(range);
  auto it = scans_.find(shape);
  if (it == scans_.end()) it = scans_.emplace(shape, Statement(conn_, ShapeSql(shape))).first;
  return it->second;
}

void EntryStatements::Scan(const Range& range, const std::function<bool(const EntryView&)>& visit) {
  Statement& s = ScanStatement(range);
  ResetOnExit reset(s);
  s.BindInt(1, range.space);
  if (range.partition) {
    s.BindInt(2, range.partition->h);
    s.BindBlob(3, range.partition->hk);
    if (range.rk_low) s.BindBlob(4, range.rk_low->bytes);
    if (range.rk_high) s.BindBlob(5, range.rk_high->bytes);
  } else {
    s.BindInt(2, range.h_low);
    s.BindInt(3, range.h_high);
  }
  if (range.after) {
    if (range.partition) {
      s.BindBlob(8, range.after->rk);
      s.BindBlob(9, range.after->tk);
    } else {
      BindKey(s, 6, *range.after);
    }
  }
  while (s.Step()) {
    EntryView v{static_cast<uint32_t>(s.Int(0)), s.Blob(1), s.Blob(2), s.Blob(3), s.Text(4),
                static_cast<uint32_t>(s.Int(5)), s.Int(6)};
    // An entry whose item row is gone (damage written by an older build) is not an item: a reader
    // must never hand out an empty one.
    if (v.item.empty()) continue;
    if (!visit(v)) break;
  }
}

}  // namespace localddb::storage
