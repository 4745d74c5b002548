"""Concurrency: item writes racing schema changes (GSI create / delete, DeleteTable / CreateTable).

64 connections write (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems) while,
for several rounds, a GSI is created (with backfill) and deleted and the table is deleted and
created again. Every answer must be valid JSON; after quiescing the writers the index must hold
exactly the table's items that carry its key, item by item, and the table exactly what the writers
were told was written; writes racing a DeleteTable must answer 200 (applied before the delete) or
ResourceNotFoundException, and a recreated table holds only writes acknowledged after it was
created. At the end the server is stopped cleanly and the SQLite file is audited: no rows in
dropped spaces, no index entry pointing at a missing item, every item row owned by exactly one
base entry, and every live index entry agrees with its item.

Writers use raw HTTP (one persistent http.client connection per thread) so that every body can be
checked, not just the ones a client library manages to parse. Each writer owns its own keys, so
the expected content of the table is known exactly from what each writer was acknowledged.

LOCALDDB_CONCURRENCY_ROUNDS sets the number of rounds (default 4).
"""
import http.client
import json
import os
import random
import sqlite3
import threading
import time
import urllib.parse

import pytest

from conftest import AGAINST_LOCAL, Server

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="starts its own localddb process and audits its file")

WRITERS = 64
KEYS_PER_WRITER = 8
READERS = 2
TABLE = "conc"
INDEX = "by-gk"
GK_VALUES = [f"g{i}" for i in range(8)]
ROUNDS = int(os.environ.get("LOCALDDB_CONCURRENCY_ROUNDS", "4"))
HEADERS = {
    "Content-Type": "application/x-amz-json-1.0",
    # Well formed; the server's default --auth none accepts any credentials.
    "Authorization": "AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64,
    "X-Amz-Date": "20240101T000000Z",
}
EXPECTED_STATUS_OK = 200


class Problems:
    """Thread-safe tally of everything that went wrong: category -> count and a few examples."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.examples = {}

    def add(self, category, example=""):
        with self.lock:
            self.counts[category] = self.counts.get(category, 0) + 1
            ex = self.examples.setdefault(category, [])
            if len(ex) < 3 and example and example not in ex:
                ex.append(example)

    def __bool__(self):
        return bool(self.counts)

    def report(self):
        lines = []
        for cat in sorted(self.counts, key=lambda c: -self.counts[c]):
            lines.append(f"- {cat}: {self.counts[cat]}")
            for ex in self.examples.get(cat, []):
                lines.append(f"    e.g. {ex}")
        return "\n".join(lines)


def snippet(body, pos=None, width=160):
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    if pos is None or len(text) <= width:
        return repr(text[:width])
    start = max(0, pos - width // 2)
    return f"...{text[start:start + width]!r}... (error at char {pos} of {len(text)})"


class Conn:
    """One persistent HTTP connection; every answer must be a JSON object."""

    def __init__(self, endpoint, problems):
        url = urllib.parse.urlparse(endpoint)
        self.host, self.port = url.hostname, url.port
        self.problems = problems
        self.conn = None

    def call(self, op, payload):
        """Returns (status, parsed body or None if it was not valid JSON)."""
        data = json.dumps(payload).encode()
        headers = dict(HEADERS, **{"X-Amz-Target": f"DynamoDB_20120810.{op}"})
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request("POST", "/", body=data, headers=headers)
                resp = self.conn.getresponse()
                body = resp.read()
                status = resp.status
                if resp.getheader("Connection", "").lower() == "close":
                    self.close()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                # A keep-alive connection the server closed between requests; the request was not
                # read (retry once). A second failure is a real problem.
                self.close()
                if attempt == 1:
                    self.problems.add(f"{op}: connection failed", repr(e))
                    return None, None
        try:
            parsed = json.loads(body)
        except ValueError as e:
            self.problems.add(f"{op} answered HTTP {status} with a body that is not valid JSON",
                              snippet(body, getattr(e, "pos", None)))
            return status, None
        if not isinstance(parsed, dict):
            self.problems.add(f"{op} answered HTTP {status} with JSON that is not an object", snippet(body))
            return status, None
        if status >= 500:
            self.problems.add(f"{op} answered HTTP {status} (server error)", snippet(body))
        return status, parsed

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def error_type(parsed):
    return (parsed or {}).get("__type", "").rsplit("#", 1)[-1]


class Gate:
    """Lets the controller pause the writers and wait until none has a request in flight."""

    def __init__(self):
        self.cond = threading.Condition()
        self.paused = False
        self.stopping = False
        self.busy = 0

    def enter(self):
        with self.cond:
            while self.paused and not self.stopping:
                self.cond.wait()
            if self.stopping:
                return False
            self.busy += 1
            return True

    def leave(self):
        with self.cond:
            self.busy -= 1
            self.cond.notify_all()

    def pause(self, timeout=30):
        deadline = time.monotonic() + timeout
        with self.cond:
            self.paused = True
            while self.busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.busy} writers still had a request in flight after {timeout}s")
                self.cond.wait(left)

    def resume(self):
        with self.cond:
            self.paused = False
            self.cond.notify_all()

    def stop(self):
        with self.cond:
            self.stopping = True
            self.paused = False
            self.cond.notify_all()


def S(s):
    return {"S": s}


def apply_update(old, key, kind, values):
    """The item an UpdateItem of this kind leaves (UpdateItem creates a missing item)."""
    item = dict(old) if old is not None else {"pk": S(key)}
    if kind == "set-gk":
        item["gk"] = S(values["gk"])
    elif kind == "remove-gk":
        item.pop("gk", None)
    else:
        item["v"] = {"N": values["v"]}
    item["w"] = S(values["w"])
    return item


def update_request(key, kind, values):
    names = {"#w": "w"}
    vals = {":w": S(values["w"])}
    if kind == "set-gk":
        expr = "SET #g = :g, #w = :w"
        names["#g"] = "gk"
        vals[":g"] = S(values["gk"])
    elif kind == "remove-gk":
        expr = "REMOVE #g SET #w = :w"
        names["#g"] = "gk"
    else:
        expr = "SET #v = :v, #w = :w"
        names["#v"] = "v"
        vals[":v"] = {"N": values["v"]}
    return {"Key": {"pk": S(key)}, "UpdateExpression": expr, "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": vals}


class Writer(threading.Thread):
    """Writes only its own keys, so its model of them is exact (between DeleteTables)."""

    def __init__(self, tid, endpoint, gate, problems):
        super().__init__(daemon=True, name=f"writer-{tid}")
        self.tid = tid
        self.rng = random.Random(1000 + tid)
        self.conn = Conn(endpoint, problems)
        self.gate = gate
        self.problems = problems
        self.keys = [f"w{tid:02d}-k{k}" for k in range(KEYS_PER_WRITER)]
        self.model = {k: None for k in self.keys}  # key -> item as the table should hold it
        self.last = {}  # key -> (write id or None for a delete, send time, ack time) of the last acked write
        self.acked = {}  # write id -> (send time, ack time) of writes answered 200
        self.events = []  # (op, status, error type, send, ack) of every request
        self.seq = 0

    def wid(self):
        self.seq += 1
        return f"{self.tid}-{self.seq}"

    def new_item(self, key):
        item = {"pk": S(key), "w": S(self.wid()), "v": {"N": str(self.rng.randrange(10 ** 6))}}
        if self.rng.random() < 0.6:
            item["gk"] = S(self.rng.choice(GK_VALUES))
        if self.rng.random() < 0.3:
            item["pad"] = S("x" * self.rng.randrange(1, 400))
        return item

    def update_values(self, kind):
        values = {"w": self.wid()}
        if kind == "set-gk":
            values["gk"] = self.rng.choice(GK_VALUES)
        elif kind == "set-v":
            values["v"] = str(self.rng.randrange(10 ** 6))
        return values

    def one_write(self):
        """Builds one request; returns (op, payload, effects) where effects is [(key, new item or None, wid)]."""
        r = self.rng.random()
        if r < 0.3:
            key = self.rng.choice(self.keys)
            item = self.new_item(key)
            return "PutItem", {"TableName": TABLE, "Item": item}, [(key, item, item["w"]["S"])]
        if r < 0.6:
            key = self.rng.choice(self.keys)
            kind = self.rng.choice(["set-gk", "set-gk", "remove-gk", "set-v"])
            values = self.update_values(kind)
            payload = dict(TableName=TABLE, **update_request(key, kind, values))
            return "UpdateItem", payload, [(key, ("update", kind, values), values["w"])]
        if r < 0.7:
            key = self.rng.choice(self.keys)
            return "DeleteItem", {"TableName": TABLE, "Key": {"pk": S(key)}}, [(key, None, None)]
        keys = self.rng.sample(self.keys, self.rng.randint(2, 5))
        effects = []
        if r < 0.85:
            requests = []
            for key in keys:
                if self.rng.random() < 0.7:
                    item = self.new_item(key)
                    requests.append({"PutRequest": {"Item": item}})
                    effects.append((key, item, item["w"]["S"]))
                else:
                    requests.append({"DeleteRequest": {"Key": {"pk": S(key)}}})
                    effects.append((key, None, None))
            return "BatchWriteItem", {"RequestItems": {TABLE: requests}}, effects
        items = []
        for key in keys:
            c = self.rng.random()
            if c < 0.4:
                item = self.new_item(key)
                items.append({"Put": {"TableName": TABLE, "Item": item}})
                effects.append((key, item, item["w"]["S"]))
            elif c < 0.8:
                kind = self.rng.choice(["set-gk", "remove-gk", "set-v"])
                values = self.update_values(kind)
                items.append({"Update": dict(TableName=TABLE, **update_request(key, kind, values))})
                effects.append((key, ("update", kind, values), values["w"]))
            else:
                items.append({"Delete": {"TableName": TABLE, "Key": {"pk": S(key)}}})
                effects.append((key, None, None))
        return "TransactWriteItems", {"TransactItems": items}, effects

    def run(self):
        try:
            while self.gate.enter():
                try:
                    self.step()
                finally:
                    self.gate.leave()
        except Exception as e:  # a bug in the test itself must not pass silently
            self.problems.add("writer thread crashed", repr(e))
        finally:
            self.conn.close()

    def step(self):
        op, payload, effects = self.one_write()
        send = time.monotonic()
        status, parsed = self.conn.call(op, payload)
        ack = time.monotonic()
        err = error_type(parsed)
        self.events.append((op, status, err, send, ack))
        if status != EXPECTED_STATUS_OK or parsed is None:
            if status is not None and status < 500 and parsed is not None and err != "ResourceNotFoundException":
                self.problems.add(f"{op} answered {status} {err}", (parsed or {}).get("message", ""))
            return
        if op == "BatchWriteItem" and parsed.get("UnprocessedItems"):
            self.problems.add("BatchWriteItem returned UnprocessedItems", snippet(json.dumps(parsed)))
            return
        for key, new, wid in effects:
            if isinstance(new, tuple):
                _, kind, values = new
                new = apply_update(self.model[key], key, kind, values)
            self.model[key] = new
            self.last[key] = (wid, send, ack)
            if wid is not None:
                self.acked[wid] = (send, ack)


class Reader(threading.Thread):
    """GetItem on the table, Query and Scan on the index, all the time: every answer must be JSON."""

    def __init__(self, tid, endpoint, problems, done):
        super().__init__(daemon=True, name=f"reader-{tid}")
        self.rng = random.Random(tid)
        self.conn = Conn(endpoint, problems)
        self.problems = problems
        self.done = done
        self.count = 0

    def run(self):
        try:
            while not self.done.is_set():
                r = self.rng.random()
                if r < 0.4:
                    key = f"w{self.rng.randrange(WRITERS):02d}-k{self.rng.randrange(KEYS_PER_WRITER)}"
                    self.conn.call("GetItem", {"TableName": TABLE, "Key": {"pk": S(key)}})
                elif r < 0.8:
                    self.conn.call("Query", {"TableName": TABLE, "IndexName": INDEX,
                                             "KeyConditionExpression": "#g = :g",
                                             "ExpressionAttributeNames": {"#g": "gk"},
                                             "ExpressionAttributeValues": {":g": S(self.rng.choice(GK_VALUES))}})
                else:
                    self.conn.call("Scan", {"TableName": TABLE, "IndexName": INDEX, "Limit": 50})
                self.count += 1
        except Exception as e:
            self.problems.add("reader thread crashed", repr(e))
        finally:
            self.conn.close()


def scan_all(conn, problems, what, **params):
    """Every item of a paged Scan, or None if a page failed (already recorded)."""
    items, start = [], None
    while True:
        payload = dict(TableName=TABLE, Limit=100, **params)
        if start:
            payload["ExclusiveStartKey"] = start
        status, parsed = conn.call("Scan", payload)
        if status != 200 or parsed is None:
            if parsed is not None:
                problems.add(f"Scan of {what} answered {status} {error_type(parsed)}", parsed.get("message", ""))
            else:
                problems.add(f"Scan of {what} could not be compared (a page was not valid JSON)")
            return None
        items.extend(parsed.get("Items", []))
        start = parsed.get("LastEvaluatedKey")
        if not start:
            return items


def fmt(item):
    return json.dumps(item, sort_keys=True)[:200] if item is not None else "absent"


def projected(item, projection):
    if projection == "ALL":
        return item
    return {k: v for k, v in item.items() if k in ("pk", "gk", "v")}


def check_table_against_models(table_items, writers, problems, when):
    actual = {}
    for it in table_items:
        pk = it["pk"]["S"]
        if pk in actual:
            problems.add(f"{when}: table Scan returned a key twice", pk)
        actual[pk] = it
    for w in writers:
        for key, expected in w.model.items():
            got = actual.pop(key, None)
            if expected is None and got is not None:
                problems.add(f"{when}: table holds an item the writers deleted (or never wrote)",
                             f"{key}: {fmt(got)}")
            elif expected is not None and got is None:
                problems.add(f"{when}: an acknowledged item is missing from the table", f"{key}: {fmt(expected)}")
            elif expected != got:
                problems.add(f"{when}: table item differs from the acknowledged writes",
                             f"{key}: expected {fmt(expected)} got {fmt(got)}")
    for key, got in actual.items():
        problems.add(f"{when}: table holds an item with a key no writer uses", f"{key}: {fmt(got)}")


def check_index_against_table(index_items, table_items, projection, problems, when):
    expected = {it["pk"]["S"]: projected(it, projection) for it in table_items if "gk" in it}
    seen = set()
    for it in index_items:
        pk = it.get("pk", {}).get("S")
        if pk is None:
            problems.add(f"{when}: index Scan returned an item without the table key "
                         "(an empty item: an index entry whose item is gone?)", fmt(it))
            continue
        if pk in seen:
            problems.add(f"{when}: index holds the same item twice (stale entry)", f"{pk}: {fmt(it)}")
            continue
        seen.add(pk)
        want = expected.get(pk)
        if want is None:
            problems.add(f"{when}: index returned an item that is not in the table with gk "
                         "(deleted, or no longer carries the index key)", f"{pk}: {fmt(it)}")
        elif want != it:
            problems.add(f"{when}: index item differs from the table item (stale entry)",
                         f"{pk}: table {fmt(want)} index {fmt(it)}")
    for pk, want in expected.items():
        if pk not in seen:
            problems.add(f"{when}: table item carrying gk is missing from the index", f"{pk}: {fmt(want)}")


def wait_index_active(conn, problems, deadline=10):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        status, parsed = conn.call("DescribeTable", {"TableName": TABLE})
        if status == 200 and parsed:
            gsis = parsed["Table"].get("GlobalSecondaryIndexes", [])
            if any(g["IndexName"] == INDEX and g.get("IndexStatus") == "ACTIVE" for g in gsis):
                return True
        time.sleep(0.05)
    problems.add("GSI did not become ACTIVE within 10s")
    return False


def create_table_request():
    return {"TableName": TABLE, "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}


def expect_ok(conn, problems, op, payload):
    status, parsed = conn.call(op, payload)
    if status != 200:
        problems.add(f"controller: {op} answered {status} {error_type(parsed)}", (parsed or {}).get("message", ""))
        return False
    return True


def audit(db, problems):
    """Checks the SQLite file of a cleanly stopped server; returns a summary of what it holds."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        schema = "\n".join(r[0] for r in con.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"))
        for needed in ("CREATE TABLE tables", "CREATE TABLE entries", "CREATE TABLE items"):
            assert needed in schema, f"unexpected file layout (no {needed!r}):\n{schema}"
        columns = [r[1] for r in con.execute("PRAGMA table_info(entries)")]
        assert "ref" in columns, f"unexpected file layout (entries has no ref column: {columns}):\n{schema}"
        base_spaces, index_spaces = {}, {}  # space -> table name / (table name, index description)
        for tid, name, desc in con.execute("SELECT id, name, description FROM tables"):
            d = json.loads(desc)
            base_spaces[d["space"]] = name
            base_spaces.setdefault(tid, name)
            for i in d.get("indexes", []):
                index_spaces[i["space"]] = (d["space"], i)
        items = {}
        for iid, text in con.execute("SELECT id, item FROM items"):
            items[iid] = text
        entries = con.execute("SELECT space, hk, tk, ref FROM entries").fetchall()
    finally:
        con.close()

    counts = {}

    def orphan(kind, example=""):
        counts[kind] = counts.get(kind, 0) + 1
        problems.add(f"audit: {kind}", example)

    owners = {}  # item id -> number of live base entries referencing it
    base_refs = {}  # base space -> set of refs of its entries
    for space, hk, tk, ref in entries:
        is_index_entry = bytes(tk) != b""
        if space not in base_spaces and space not in index_spaces:
            orphan("index entries in dropped spaces (deleted table or deleted GSI)" if is_index_entry
                   else "base entries in dropped spaces (deleted table)", f"space {space} hk {bytes(hk)!r}")
            continue
        if space in base_spaces and is_index_entry:
            orphan("index-shaped entries in a table's space", f"space {space}")
            continue
        if space in index_spaces and not is_index_entry:
            orphan("base-shaped entries in an index space", f"space {space}")
            continue
        if ref is None:
            continue  # an inline (schema v2) entry: not written by this run
        if ref not in items:
            orphan("index entries pointing at a missing item row" if is_index_entry
                   else "base entries pointing at a missing item row", f"space {space} ref {ref}")
            continue
        if not is_index_entry:
            owners[ref] = owners.get(ref, 0) + 1
            base_refs.setdefault(space, set()).add(ref)

    for iid in items:
        n = owners.get(iid, 0)
        if n == 0:
            orphan("item rows owned by no live base entry (leaked)", f"item {iid}: {items[iid][:120]}")
        elif n > 1:
            orphan("item rows owned by several base entries", f"item {iid} owned {n} times")

    # Every live index entry must reference an item of its own table that carries the index key
    # with the entry's value, and every item of the table that carries it must be indexed once.
    indexed = {}
    for space, hk, tk, ref in entries:
        if space not in index_spaces or ref is None or ref not in items:
            continue
        table_space, index = index_spaces[space]
        attr = index["key"]["hash"]["name"]
        if ref not in base_refs.get(table_space, set()):
            orphan("index entries referencing an item of no live entry of their table", f"space {space} ref {ref}")
            continue
        item = json.loads(items[ref])
        value = item.get(attr, {}).get("S")
        if value is None:
            orphan("stale index entries (item no longer carries the index key)", f"ref {ref}: {items[ref][:120]}")
        elif value.encode() != bytes(hk):
            orphan("stale index entries (index key differs from the item's)",
                   f"ref {ref}: entry {bytes(hk)!r}, item {value!r}")
        indexed.setdefault(space, []).append(ref)
    for space, (table_space, index) in index_spaces.items():
        refs = indexed.get(space, [])
        if len(refs) != len(set(refs)):
            for _ in range(len(refs) - len(set(refs))):
                orphan("items indexed more than once in one index", f"space {space}")
        attr, refs = index["key"]["hash"]["name"], set(refs)
        for ref in base_refs.get(table_space, set()):
            if attr in json.loads(items[ref]) and ref not in refs:
                orphan("items carrying the index key missing from the index", f"ref {ref}: {items[ref][:120]}")
    return counts, len(entries), len(items), sorted(base_spaces), sorted(index_spaces)


def test_writes_racing_index_and_table_changes(tmp_path):
    started = time.monotonic()
    db = str(tmp_path / "conc.sqlite")
    server = Server("--db", db)
    problems = Problems()
    gate = Gate()
    done = threading.Event()
    ctl = Conn(server.endpoint, problems)
    writers, readers = [], []
    windows = []  # (DeleteTable sent, DeleteTable answered, CreateTable sent, CreateTable answered)
    rounds_done = 0
    audit_summary = ""
    try:
        assert expect_ok(ctl, problems, "CreateTable", create_table_request()), problems.report()
        writers = [Writer(i, server.endpoint, gate, problems) for i in range(WRITERS)]
        readers = [Reader(i, server.endpoint, problems, done) for i in range(READERS)]
        for t in writers + readers:
            t.start()
        time.sleep(0.3)

        def create_index_and_compare(label, projection):
            """(a) creates the GSI while the writers write, lets them write on, then compares."""
            proj = {"ProjectionType": "ALL"} if projection == "ALL" else \
                {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["v"]}
            expect_ok(ctl, problems, "UpdateTable", {
                "TableName": TABLE,
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                         {"AttributeName": "gk", "AttributeType": "S"}],
                "GlobalSecondaryIndexUpdates": [{"Create": {
                    "IndexName": INDEX, "KeySchema": [{"AttributeName": "gk", "KeyType": "HASH"}],
                    "Projection": proj}}]})
            wait_index_active(ctl, problems)
            time.sleep(0.4)
            gate.pause()
            when = f"{label} after creating the GSI ({projection})"
            table_items = scan_all(ctl, problems, "the table", ConsistentRead=True)
            index_items = scan_all(ctl, problems, "the new GSI", IndexName=INDEX)
            if table_items is not None:
                check_table_against_models(table_items, writers, problems, when)
                if index_items is not None:
                    check_index_against_table(index_items, table_items, projection, problems, when)
            gate.resume()

        for rnd in range(ROUNDS):
            create_index_and_compare(f"round {rnd + 1}", "ALL" if rnd % 2 == 0 else "INCLUDE")
            time.sleep(0.2)

            # (b) delete the GSI while the writers write.
            expect_ok(ctl, problems, "UpdateTable", {
                "TableName": TABLE, "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": INDEX}}]})
            time.sleep(0.3)

            # (c) delete the table while the writers write, leave it gone a moment, create it again.
            delete_sent = time.monotonic()
            expect_ok(ctl, problems, "DeleteTable", {"TableName": TABLE})
            delete_acked = time.monotonic()
            time.sleep(0.25)
            create_sent = time.monotonic()
            for _ in range(100):
                status, parsed = ctl.call("CreateTable", create_table_request())
                if status == 200 or error_type(parsed) != "ResourceInUseException":
                    break
                time.sleep(0.05)  # still being deleted
            if status != 200:
                problems.add(f"controller: CreateTable after DeleteTable answered {status} {error_type(parsed)}",
                             (parsed or {}).get("message", ""))
            create_acked = time.monotonic()
            windows.append((delete_sent, delete_acked, create_sent, create_acked))
            time.sleep(0.3)
            gate.pause()
            when = f"round {rnd + 1} after DeleteTable + CreateTable"
            table_items = scan_all(ctl, problems, "the recreated table", ConsistentRead=True)
            if table_items is not None:
                acked = {}
                for w in writers:
                    acked.update(w.acked)
                by_key = {it["pk"]["S"]: it for it in table_items}
                for it in table_items:
                    wid = it.get("w", {}).get("S")
                    ack = acked.get(wid)
                    if ack is None:
                        problems.add(f"{when}: recreated table holds an item no acknowledged write produced",
                                     fmt(it))
                    elif ack[1] < create_sent:
                        problems.add(f"{when}: recreated table holds an item from a write acknowledged "
                                     "before the table was recreated", fmt(it))
                for w in writers:
                    for key, (wid, send, _) in w.last.items():
                        if send < create_acked:
                            continue  # may have been applied to the old table
                        got = by_key.get(key)
                        got_wid = got.get("w", {}).get("S") if got else None
                        if got_wid != wid:
                            problems.add(f"{when}: the last acknowledged write of a key is not what the "
                                         "recreated table holds",
                                         f"{key}: acknowledged {wid or 'delete'}, table {fmt(got)}")
                # What the writers were acknowledged before the recreation is ambiguous (old or new
                # table); from here on their models are the recreated table's content.
                for w in writers:
                    for key in w.keys:
                        w.model[key] = by_key.get(key)
            gate.resume()
            rounds_done += 1
            time.sleep(0.2)

        # Once more with a live index, so the file audit also checks live index entries.
        create_index_and_compare("final", "ALL")
        time.sleep(0.2)
        gate.stop()
        for t in writers:
            t.join(30)
        done.set()
        for t in readers:
            t.join(30)
        ctl.close()
        exited = server.proc.poll()
        if exited is not None:
            problems.add(f"server exited during the run with status {exited}", server.proc.stderr.read()[-500:])
        code = server.stop()
        if code != 0:
            problems.add(f"server did not stop cleanly (exit status {code})")

        # Writes that raced a DeleteTable: 200 or ResourceNotFoundException only; never 200 for a
        # write sent after DeleteTable answered and answered before CreateTable was sent; never
        # ResourceNotFoundException outside a delete window.
        totals = {}
        for w in writers:
            for op, status, err, send, ack in w.events:
                totals[(op, status, err)] = totals.get((op, status, err), 0) + 1
                if status == 200:
                    for d_sent, d_acked, c_sent, c_acked in windows:
                        if send > d_acked and ack < c_sent:
                            problems.add(f"{op} answered 200 while the table did not exist "
                                         "(sent after DeleteTable answered, answered before CreateTable was sent)")
                elif err == "ResourceNotFoundException":
                    if not any(ack >= d_sent and send <= c_acked for d_sent, _, _, c_acked in windows):
                        problems.add(f"{op} answered ResourceNotFoundException while the table existed")
        if code == 0 or code is None:
            counts, n_entries, n_items, tables, indexes = audit(db, problems)
            audit_summary = (f"audit of {db}: {n_entries} entries, {n_items} item rows, live table spaces "
                             f"{tables}, live index spaces {indexes}, orphans {counts or 'none'}")
    finally:
        gate.stop()
        done.set()
        server.stop()

    elapsed = time.monotonic() - started
    n_writes = sum(len(w.events) for w in writers)
    n_reads = sum(r.count for r in readers)
    answers = {}
    for w in writers:
        for _, status, err, _, _ in w.events:
            label = f"{status} {err}".strip()
            answers[label] = answers.get(label, 0) + 1
    summary = (f"{rounds_done}/{ROUNDS} rounds, {n_writes} writes from {WRITERS} connections, {n_reads} reads, "
               f"{elapsed:.1f}s; write answers {answers}\n{audit_summary}")
    print(summary)
    assert not problems, f"concurrency failures ({summary}):\n{problems.report()}"
