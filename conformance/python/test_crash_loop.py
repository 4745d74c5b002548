"""Crash loop: concurrent writers, kill -9 at a random moment, restart, check that nothing was lost.

Each round starts localddb on the same database file, runs 16 concurrent writers (PutItem,
conditional UpdateItem, BatchWriteItem, TransactWriteItems) against a table with a GSI and a stream
with a stream hook, and kills the server with SIGKILL at a random moment. The next start then
checks, before any new write:

- every key holds its last acknowledged state, or the state the one request cut off by the kill
  would have left (both outcomes are allowed for that request; a transaction is all or nothing);
- the GSI holds exactly the table's items that carry the index key, item by item;
- the stream holds exactly one record per applied change of each key, in order, with the right
  event name and images (so nothing acknowledged is missing and nothing unapplied is there);
- the stream hook receives every stream record at least once (and nothing that is not in the stream);
- the crashed file (a copy, so the server's own recovery is what the next round exercises) passes
  SQLite's PRAGMA integrity_check, and so does the real file after a final clean stop.

LOCALDDB_CRASH_ROUNDS sets the number of rounds (default 10, e.g. 100 for a long run);
LOCALDDB_CRASH_SEED fixes the seed that every failure message prints. The seed decides the
operations and the kill delays; thread scheduling still varies, so a seed narrows a failure down
rather than replaying it exactly.
"""
import json
import os
import random
import shutil
import sqlite3
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import AGAINST_LOCAL, Server, make_client

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="starts, kills and restarts its own localddb processes")

ROUNDS = int(os.environ.get("LOCALDDB_CRASH_ROUNDS") or 10)
SEED = int(os.environ.get("LOCALDDB_CRASH_SEED") or random.SystemRandom().randrange(1 << 32))
WRITERS = 16
KEYS_PER_WRITER = 8
TABLE = "crashloop"
INDEX = "by-g"
HOOK_PATH = "/crash-hook"
HOOK_WAIT_SECONDS = 15
KILL_AFTER_SECONDS = (0.02, 1.0)  # range of the random delay between starting the writers and kill -9


def S(text):
    return {"S": text}


def N(number):
    return {"N": str(number)}


# --------------------------------------------------------------------------------------------------
# The hook target


class Hook:
    """A stream hook target: records every Lambda event's records, in arrival order; answers 200 {}.

    It lives for the whole test, on one port, so every server generation delivers to it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.records = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                try:
                    body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                except (ValueError, TypeError, OSError):
                    return  # the sender was killed mid-request: nothing was delivered
                with hook.lock:
                    hook.records.extend(body["Records"])
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:
                    pass  # the sender was killed before the answer: it will deliver these again

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{HOOK_PATH}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def snapshot(self):
        with self.lock:
            return list(self.records)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


# --------------------------------------------------------------------------------------------------
# What the test knows about each key


class Key:
    """One key's history as the writers saw it. A key belongs to one writer, so the order of its
    writes is the order that writer issued them, and "the acknowledged value" is unambiguous."""

    def __init__(self, name):
        self.name = name
        self.image = None      # the item as of the last acknowledged (or resolved) write; None: absent
        self.inflight = None   # (new image or None, request label): the request cut off by the kill
        self.changes = []      # every applied change, in order: (eventName, old image, new image)
        self.version = 0       # every write sets a fresh v, so no two images of a key are equal
        self.resolved = None   # after a restart: (request label, whether it was applied)

    def apply(self, new):
        event = "REMOVE" if new is None else "INSERT" if self.image is None else "MODIFY"
        self.changes.append((event, self.image, new))
        self.image = new


def new_item(rng, key):
    """A fresh full item for a put. About a third carry no g, so the GSI is sparse."""
    key.version += 1
    item = {"pk": S(key.name), "v": N(key.version)}
    if rng.random() < 0.65:
        item["g"] = S(f"g{rng.randrange(4)}")
    if rng.random() < 0.3:
        item["pad"] = S("x" * rng.randrange(1, 300))
    return item


def update_of(rng, key):
    """An UpdateItem (or transaction Update) whose condition holds, and the image it leaves."""
    key.version += 1
    values = {":new": N(key.version)}
    if key.image is None:
        condition = "attribute_not_exists(pk)"  # creates the item
        new = {"pk": S(key.name)}
    else:
        condition = "v = :old"
        values[":old"] = key.image["v"]
        new = dict(key.image)
    new["v"] = N(key.version)
    expression = "SET v = :new"
    what = rng.choice(["set g", "remove g", "keep g"])
    if what == "set g":
        values[":g"] = S(f"g{rng.randrange(4)}")
        expression += ", g = :g"
        new["g"] = values[":g"]
    elif what == "remove g":
        expression += " REMOVE g"
        new.pop("g", None)
    params = dict(Key={"pk": S(key.name)}, UpdateExpression=expression, ConditionExpression=condition,
                  ExpressionAttributeValues=values)
    return params, new


# --------------------------------------------------------------------------------------------------
# The four kinds of writes. Each returns ([(Key, new image or None)], a function sending the
# request and returning the names of keys the server did not process).


def acknowledged(call, **params):
    call(**params)
    return set()  # every key was processed


def op_put(rng, keys, ddb):
    key = rng.choice(keys)
    item = new_item(rng, key)
    return [(key, item)], lambda: acknowledged(ddb.put_item, TableName=TABLE, Item=item)


def op_update(rng, keys, ddb):
    key = rng.choice(keys)
    params, new = update_of(rng, key)
    return [(key, new)], lambda: acknowledged(ddb.update_item, TableName=TABLE, **params)


def op_batch(rng, keys, ddb):
    effects, requests = [], []
    for key in rng.sample(keys, rng.randint(2, 5)):
        if key.image is not None and rng.random() < 0.35:
            key.version += 1
            effects.append((key, None))
            requests.append({"DeleteRequest": {"Key": {"pk": S(key.name)}}})
        else:
            item = new_item(rng, key)
            effects.append((key, item))
            requests.append({"PutRequest": {"Item": item}})

    def send():
        unprocessed = ddb.batch_write_item(RequestItems={TABLE: requests}).get("UnprocessedItems", {})
        names = set()
        for r in unprocessed.get(TABLE, []):  # not applied: allowed, just not acknowledged
            names.add((r.get("PutRequest", {}).get("Item") or r["DeleteRequest"]["Key"])["pk"]["S"])
        return names

    return effects, send


def op_transact(rng, keys, ddb):
    effects, actions = [], []
    for key in rng.sample(keys, rng.randint(2, 4)):
        kind = rng.choice(["put", "update", "delete"] if key.image is not None else ["put", "update"])
        if kind == "update":
            params, new = update_of(rng, key)
            actions.append({"Update": dict(TableName=TABLE, **params)})
        elif kind == "delete":
            key.version += 1
            new = None
            actions.append({"Delete": {"TableName": TABLE, "Key": {"pk": S(key.name)},
                                       "ConditionExpression": "v = :old",
                                       "ExpressionAttributeValues": {":old": key.image["v"]}}})
        else:
            old = key.image
            new = new_item(rng, key)
            put = {"TableName": TABLE, "Item": new}
            if old is None:
                put["ConditionExpression"] = "attribute_not_exists(pk)"
            else:
                put.update(ConditionExpression="v = :old", ExpressionAttributeValues={":old": old["v"]})
            actions.append({"Put": put})
        effects.append((key, new))
    return effects, lambda: acknowledged(ddb.transact_write_items, TransactItems=actions)


OPS = [(op_put, 3), (op_update, 3), (op_batch, 2), (op_transact, 2)]


def writer(ddb, rng, keys, killed, errors, label):
    """Writes until a request fails. After the kill that failure is expected and the request
    becomes each of its keys' in-flight write; before the kill any failure is a defect."""
    n = 0
    while True:
        op = rng.choices([o for o, _ in OPS], weights=[w for _, w in OPS])[0]
        effects, send = op(rng, keys, ddb)
        n += 1
        try:
            unprocessed = send()
        except Exception as e:  # noqa: BLE001 - connection reset, refused, ... all mean "cut off"
            if not killed.is_set():
                errors.append(f"{label}: request {n} ({op.__name__}) failed before the kill: {e!r}")
                return
            for key, new in effects:
                key.inflight = (new, f"{label}#{n} {op.__name__}")
            return
        for key, new in effects:
            if key.name not in unprocessed:
                key.apply(new)


# --------------------------------------------------------------------------------------------------
# Server, table, stream and file helpers


def start_server(db, hook):
    # --log-level warn: nobody reads the server's pipes while it runs, so keep them from filling.
    return Server("--db", db, "--stream-hook", f"{TABLE}={hook.url}", "--stream-batch-size", "100",
                  "--log-level", "warn")


def create_table(ddb):
    ddb.create_table(TableName=TABLE,
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "g", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     BillingMode="PAY_PER_REQUEST",
                     GlobalSecondaryIndexes=[{"IndexName": INDEX,
                                              "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "ALL"}}],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    ddb.get_waiter("table_exists").wait(TableName=TABLE, WaiterConfig={"Delay": 1})


def scan_all(ddb, **params):
    items, start = [], None
    while True:
        page = ddb.scan(TableName=TABLE, **params, **({"ExclusiveStartKey": start} if start else {}))
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def read_stream(streams, after=None):
    """The table's stream records from TRIM_HORIZON (or after a sequence number), page by page
    until a page comes back empty (an open shard always returns a next iterator)."""
    arn = streams.list_streams(TableName=TABLE)["Streams"][0]["StreamArn"]
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    assert len(shards) == 1, f"localddb keeps one shard per stream, found {shards}"
    position = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": after} if after else \
        {"ShardIteratorType": "TRIM_HORIZON"}
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shards[0]["ShardId"], **position)["ShardIterator"]
    records = []
    while it:
        page = streams.get_records(ShardIterator=it, Limit=1000)
        records += page["Records"]
        if not page["Records"] or page.get("NextShardIterator") == it:
            break
        it = page.get("NextShardIterator")
    return records


def integrity_check(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchall()
    finally:
        con.close()


def integrity_of_crashed_copy(db, scratch):
    """integrity_check of a copy of the crashed file and its WAL. Checking a copy leaves the real
    file exactly as the kill left it, so the next start runs the server's own recovery."""
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    copy = os.path.join(scratch, "copy.sqlite")
    for suffix in ("", "-wal"):
        if os.path.exists(db + suffix):
            shutil.copyfile(db + suffix, copy + suffix)
    try:
        return integrity_check(copy)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def hook_state(server):
    try:
        return urllib.request.urlopen(server.endpoint + "/_localddb/stream-hooks", timeout=5).read().decode()
    except OSError as e:
        return repr(e)


# --------------------------------------------------------------------------------------------------
# The checks after a restart


def check_items(ddb, keys, where):
    """Every key holds its acknowledged state or, for a key with a request cut off by the kill,
    the state that request would have left. Resolves in-flight writes so later checks are exact."""
    for key in keys:
        got = ddb.get_item(TableName=TABLE, Key={"pk": S(key.name)}, ConsistentRead=True).get("Item")
        if key.inflight is not None:
            new, label = key.inflight
            key.inflight = None
            if got == new and got != key.image:
                key.apply(new)  # the cut-off request was applied: fine, it now counts as acknowledged
                key.resolved = (label, True)
                continue
            key.resolved = (label, False)
            assert got == key.image, (f"{key.name} ({where}): holds {got}, neither the acknowledged "
                                      f"{key.image} nor {new} of the cut-off request {label}")
        else:
            key.resolved = None
            assert got == key.image, f"{key.name} ({where}): acknowledged {key.image}, holds {got}"


def check_transactions_atomic(keys, where):
    """A transaction cut off by the kill was applied to all of its keys or to none."""
    outcomes = {}
    for key in keys:
        if key.resolved and key.resolved[0].endswith("op_transact"):
            outcomes.setdefault(key.resolved[0], {})[key.name] = key.resolved[1]
    for label, applied in outcomes.items():
        assert len(set(applied.values())) == 1, f"transaction {label} half applied ({where}): {applied}"


def check_table_and_index(ddb, keys, where):
    expected = {k.name: k.image for k in keys if k.image is not None}
    table = {item["pk"]["S"]: item for item in scan_all(ddb, ConsistentRead=True)}
    for name in sorted(table.keys() | expected.keys()):
        assert table.get(name) == expected.get(name), (
            f"{name} ({where}): a consistent scan returns {table.get(name)}, acknowledged {expected.get(name)}")
    # The GSI must agree with the table item by item: every table item with g is in it, with the
    # same attributes (projection ALL), and nothing else is.
    index = {}
    for item in scan_all(ddb, IndexName=INDEX):
        assert item["pk"]["S"] not in index, f"{item['pk']['S']} ({where}): twice in the index"
        index[item["pk"]["S"]] = item
    with_g = {name: item for name, item in table.items() if "g" in item}
    for name in sorted(with_g.keys() | index.keys()):
        assert index.get(name) == with_g.get(name), (
            f"{name} ({where}): index holds {index.get(name)}, table holds {table.get(name)}")
    description = ddb.describe_table(TableName=TABLE)["Table"]
    assert description["ItemCount"] == len(table), f"table ItemCount ({where})"
    assert description["GlobalSecondaryIndexes"][0]["ItemCount"] == len(with_g), f"index ItemCount ({where})"


def check_stream(records, keys, where):
    """Per key, the stream holds exactly the applied changes, in order: one record per acknowledged
    change (plus the cut-off ones that were applied), none for anything that was not applied."""
    seqs = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert all(a < b for a, b in zip(seqs, seqs[1:])), f"stream sequence numbers not increasing ({where})"
    by_key = {}
    for r in records:
        by_key.setdefault(r["dynamodb"]["Keys"]["pk"]["S"], []).append(r)
    unknown = by_key.keys() - {k.name for k in keys}
    assert not unknown, f"stream records for keys never written ({where}): {sorted(unknown)}"
    for key in keys:
        got = [(r["eventName"], r["dynamodb"].get("OldImage"), r["dynamodb"].get("NewImage"))
               for r in by_key.get(key.name, [])]
        if got == key.changes:
            continue
        i = next((i for i, (a, b) in enumerate(zip(got, key.changes)) if a != b), min(len(got), len(key.changes)))
        raise AssertionError(
            f"{key.name} ({where}): stream has {len(got)} records, {len(key.changes)} changes were applied; "
            f"first difference at change {i}: stream {got[i] if i < len(got) else 'nothing'}, "
            f"expected {key.changes[i] if i < len(key.changes) else 'nothing'}")


def check_hook(hook, records, server, where):
    """Within a bounded wait the hook has received every stream record at least once, each as the
    stream holds it, first deliveries in stream order, and nothing the stream does not hold."""
    stream = {int(r["dynamodb"]["SequenceNumber"]): r for r in records}
    deadline = time.time() + HOOK_WAIT_SECONDS
    while True:
        delivered = hook.snapshot()
        missing = stream.keys() - {int(r["dynamodb"]["SequenceNumber"]) for r in delivered}
        if not missing or time.time() > deadline:
            break
        time.sleep(0.05)
    assert not missing, (f"hook ({where}): {len(missing)} of {len(stream)} stream records never delivered "
                         f"after {HOOK_WAIT_SECONDS} s, first {min(missing)}; hook state {hook_state(server)}")
    first_seen = {}
    for r in delivered:
        seq = int(r["dynamodb"]["SequenceNumber"])
        assert seq in stream, f"hook ({where}): delivered record {seq} the stream does not hold: {r}"
        first_seen.setdefault(seq, r)
    order = list(first_seen)
    assert order == sorted(order), f"hook ({where}): first deliveries out of stream order"
    for seq, r in first_seen.items():
        want = stream[seq]
        for field in ("Keys", "NewImage", "OldImage"):
            assert r["dynamodb"].get(field) == want["dynamodb"].get(field), (
                f"{want['dynamodb']['Keys']['pk']['S']} ({where}): hook record {seq} {field} "
                f"{r['dynamodb'].get(field)}, stream {want['dynamodb'].get(field)}")
        assert r["eventName"] == want["eventName"], f"hook record {seq} ({where}): eventName"


# --------------------------------------------------------------------------------------------------
# The test


class StreamLog:
    """Stream records read so far. Each round reads only the new ones (AFTER_SEQUENCE_NUMBER),
    so a long run stays linear; the final check re-reads everything from TRIM_HORIZON and compares."""

    def __init__(self):
        self.records = []

    def refresh(self, streams, full=False):
        if full or not self.records:
            everything = read_stream(streams)
            old = [r["dynamodb"]["SequenceNumber"] for r in self.records]
            assert [r["dynamodb"]["SequenceNumber"] for r in everything[:len(old)]] == old, \
                "records read in earlier rounds are no longer in the stream"
            self.records = everything
        else:
            self.records += read_stream(streams, after=self.records[-1]["dynamodb"]["SequenceNumber"])
        return self.records


def verify(server, keys, stream_log, hook, where, full=False):
    ddb = make_client(server.endpoint)
    check_items(ddb, keys, where)
    check_transactions_atomic(keys, where)
    check_table_and_index(ddb, keys, where)
    records = stream_log.refresh(make_client(server.endpoint, "dynamodbstreams"), full=full)
    check_stream(records, keys, where)
    check_hook(hook, records, server, where)
    cut_off = [k.resolved[1] for k in keys if k.resolved]
    return f"{len(records)} stream records, {sum(cut_off)} of {len(cut_off)} cut-off writes applied"


def crash(server, writer_keys, rng, where):
    """Runs the writers and kills the server under them at a random moment."""
    killed, errors = threading.Event(), []
    # Clients are made here, one per writer: boto3's default session is not safe to share
    # between threads while creating clients.
    clients = [make_client(server.endpoint) for _ in writer_keys]
    threads = [threading.Thread(target=writer, args=(clients[w], random.Random(rng.random()), keys, killed,
                                                     errors, f"writer {w}"), daemon=True)
               for w, keys in enumerate(writer_keys)]
    delay = rng.uniform(*KILL_AFTER_SECONDS)
    for t in threads:
        t.start()
    time.sleep(delay)
    alive = server.proc.poll() is None
    killed.set()
    returncode = server.stop("KILL")
    for t in threads:
        t.join(timeout=30)
        assert not t.is_alive(), f"a writer hangs after the kill ({where})"
    stderr = server.proc.stderr.read()
    assert alive and returncode == -9, f"server died before the kill ({where}): {returncode} {stderr}"
    assert not errors, f"writes failed while the server was up ({where}): {errors[:5]}; server stderr: {stderr}"
    return delay


def at(moment):
    """Where a failure happened, with what reproduces it."""
    return f"{moment}, seed {SEED}; rerun with LOCALDDB_CRASH_SEED={SEED}"


def test_crash_loop(tmp_path):
    # Printed first so that any failure, even an unexpected exception, shows it (pytest prints a
    # failed test's output).
    print(f"crash loop: {ROUNDS} rounds, LOCALDDB_CRASH_SEED={SEED}")
    rng = random.Random(SEED)
    db = str(tmp_path / "data.sqlite")
    scratch = str(tmp_path / "scratch")
    writer_keys = [[Key(f"w{w:02d}-k{i}") for i in range(KEYS_PER_WRITER)] for w in range(WRITERS)]
    keys = [k for ks in writer_keys for k in ks]
    hook, stream_log, server = Hook(), StreamLog(), None
    try:
        for rnd in range(1, ROUNDS + 1):
            where = at(f"round {rnd}/{ROUNDS}")
            server = start_server(db, hook)
            if rnd == 1:
                create_table(make_client(server.endpoint))
            else:
                summary = verify(server, keys, stream_log, hook, at(f"after the kill of round {rnd - 1}/{ROUNDS}"))
                print(f"round {rnd - 1}: killed after {delay:.3f} s; {summary}")
            delay = crash(server, writer_keys, rng, where)
            server = None
            rows = integrity_of_crashed_copy(db, scratch)
            assert rows == [("ok",)], f"integrity_check after the kill at {delay:.3f} s ({where}): {rows}"

        where = at(f"after the kill of round {ROUNDS}/{ROUNDS}")
        server = start_server(db, hook)
        summary = verify(server, keys, stream_log, hook, where, full=True)
        print(f"round {ROUNDS}: killed after {delay:.3f} s; {summary}")
        assert sum(len(k.changes) for k in keys) == len(stream_log.records), f"stream record count ({where})"
        assert server.stop() == 0, f"clean stop ({where})"
        server = None
        assert integrity_check(db) == [("ok",)], f"integrity_check after a clean stop ({where})"
        print(f"crash loop: {ROUNDS} rounds, seed {SEED}, {len(stream_log.records)} changes, all checked")
    finally:
        if server is not None:
            server.stop("KILL")
        hook.stop()
