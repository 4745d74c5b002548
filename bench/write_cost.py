#!/usr/bin/env python3
"""The write path's cost per request, measured in ways a busy machine does not disturb:

  --callgrind  instructions per request (all of the server's threads, valgrind's callgrind)
  --strace     bytes written per request to the WAL and to the database file (checkpoints), and
               fsync counts (strace attached to every thread during the timed phase)

It starts localddb on a file, creates the bench table (bench.py's: one GSI, items of ~1 KB),
preloads --items items with BatchWriteItem (not measured), then sends --requests PutItem (or
BatchWriteItem of 25 with --batch) with new random keys over --connections keep-alive
connections and divides. Example:

  bench/write_cost.py --callgrind --requests 5000
  bench/write_cost.py --strace --batch --requests 400
  bench/write_cost.py --callgrind --get --requests 20000   (GetItem of preloaded items, for the read path)
  bench/write_cost.py --callgrind --query --requests 5000  (Query20, as bench.py's: one partition, 20 items)
"""
import argparse
import glob
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (the table, items and headers bench.py uses)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


HEADERS = {"Content-Type": "application/x-amz-json-1.0", "Authorization": bench.AUTH, "X-Amz-Date": "20260101T000000Z"}


def put_body(rng, n):
    i = rng.randrange(1_000_000_000)
    return {"TableName": bench.TABLE, "Item": {"pk": {"S": "p%03d" % (i % bench.PARTITIONS)}, "sk": {"S": "w%d-%d" % (n, i)},
                                              "gpk": {"S": "g%03d" % (i % bench.GSI_PARTITIONS)}, "n": {"N": str(i)},
                                              "data": {"S": bench.PAYLOAD}}}


def batch_body(rng, n):
    puts = []
    for j in range(25):
        i = rng.randrange(1_000_000_000)
        puts.append({"PutRequest": {"Item": {"pk": {"S": "p%03d" % (i % bench.PARTITIONS)},
                                             "sk": {"S": "b%d-%d-%d" % (n, j, i)},
                                             "gpk": {"S": "g%03d" % (i % bench.GSI_PARTITIONS)},
                                             "data": {"S": bench.PAYLOAD}}}})
    return {"RequestItems": {bench.TABLE: puts}}


def get_body(rng, items):
    i = rng.randrange(items)
    return {"TableName": bench.TABLE, "Key": {"pk": {"S": "p%03d" % (i % bench.PARTITIONS)}, "sk": {"S": "s%06d" % i}}}


def query_body(rng):
    p = rng.randrange(bench.PARTITIONS)
    return {"TableName": bench.TABLE, "KeyConditionExpression": "pk = :p", "ScanIndexForward": False, "Limit": 20,
            "ExpressionAttributeValues": {":p": {"S": "p%03d" % p}}}


def send_all(port, op, bodies, connections):
    """Sends the bodies over `connections` keep-alive connections; fails on any non-200."""
    chunks = [bodies[k::connections] for k in range(connections)]
    errors = []

    def run(chunk):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        headers = dict(HEADERS, **{"X-Amz-Target": "DynamoDB_20120810." + op})
        for body in chunk:
            conn.request("POST", "/", body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            if resp.status != 200 or (op == "BatchWriteItem" and json.loads(data).get("UnprocessedItems")):
                errors.append((resp.status, data[:200]))
                return
        conn.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"write_cost: {len(errors)} failed requests, first: {errors[0]}")


def cpu_times(pid):
    """The process's user and system CPU seconds (every thread)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def wait_ready(port, proc, limit_s=120):
    deadline = time.time() + limit_s
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("write_cost: the server exited")
        try:
            bench.call(f"http://127.0.0.1:{port}", "ListTables", {})
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("write_cost: the server did not answer")


def preload(port, items, connections):
    bench.call(f"http://127.0.0.1:{port}", "CreateTable", {
        "TableName": bench.TABLE, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk", "gpk")],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [{"IndexName": "by-gpk", "Projection": {"ProjectionType": "ALL"},
                                    "KeySchema": [{"AttributeName": "gpk", "KeyType": "HASH"},
                                                  {"AttributeName": "sk", "KeyType": "RANGE"}]}]})
    bodies = [json.dumps({"RequestItems": {bench.TABLE: [{"PutRequest": {"Item": bench.item(i)}}
                                                         for i in range(s, min(items, s + 25))]}})
              for s in range(0, items, 25)]
    send_all(port, "BatchWriteItem", bodies, connections)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", default=bench.LOCALDDB_BIN)
    p.add_argument("--items", type=int, default=10000, help="items preloaded before measuring")
    p.add_argument("--requests", type=int, default=5000)
    p.add_argument("--connections", type=int, default=4)
    p.add_argument("--batch", action="store_true", help="BatchWriteItem of 25 instead of PutItem")
    p.add_argument("--get", action="store_true", help="GetItem of preloaded items instead of PutItem")
    p.add_argument("--query", action="store_true", help="Query of 20 preloaded items instead of PutItem")
    p.add_argument("--callgrind", action="store_true")
    p.add_argument("--strace", action="store_true")
    p.add_argument("--threads", type=int, default=1, help="the server's --threads")
    p.add_argument("--keep", help="copy the callgrind output here")
    args = p.parse_args()

    tmp = tempfile.mkdtemp(prefix="write_cost.")
    port = free_port()
    cmd = [args.bin, "--port", str(port), "--threads", str(args.threads), "--db", os.path.join(tmp, "db.sqlite"),
           "--log-level", "warn"]
    cg_out = os.path.join(tmp, "callgrind.out")
    if args.callgrind:
        cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={cg_out}"] + cmd
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port, proc)
        preload(port, args.items, args.connections)
        rng = random.Random(1)
        if args.get:
            op = "GetItem"
            bodies = [json.dumps(get_body(rng, args.items)) for _ in range(args.requests)]
        elif args.query:
            op = "Query"
            bodies = [json.dumps(query_body(rng)) for _ in range(args.requests)]
        else:
            op = "BatchWriteItem" if args.batch else "PutItem"
            make = batch_body if args.batch else put_body
            bodies = [json.dumps(make(rng, n)) for n in range(args.requests)]
        time.sleep(1.5)  # let the idle checkpoint of the preload pass
        strace = None
        trace = os.path.join(tmp, "strace.txt")
        if args.callgrind:
            subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], check=True, capture_output=True)
        if args.strace:
            tids = os.listdir(f"/proc/{proc.pid}/task")
            strace = subprocess.Popen(["strace", "-qq", "-y", "-e", "trace=pwrite64,fsync,fdatasync", "-o", trace] +
                                      [a for t in tids for a in ("-p", t)], stderr=subprocess.DEVNULL)
            time.sleep(1.0)
        cpu_before = cpu_times(proc.pid)
        start = time.time()
        send_all(port, op, bodies, args.connections)
        elapsed = time.time() - start
        time.sleep(1.5)  # the checkpointer's idle checkpoint belongs to these writes too
        cpu_after = cpu_times(proc.pid)
        items = args.requests * (25 if args.batch else 1)
        print(f"{op}: {args.requests} requests ({items} items) over {args.connections} connections in {elapsed:.1f} s")
        if not args.callgrind and not args.strace:
            user, system = (cpu_after[k] - cpu_before[k] for k in (0, 1))
            print(f"server CPU: user {user * 1e6 / args.requests:.0f} us + system {system * 1e6 / args.requests:.0f} us "
                  f"per request (user+system {(user + system) * 1e6 / items:.1f} us per item)")
        if args.callgrind:
            subprocess.run(["callgrind_control", "-d", str(proc.pid)], check=True, capture_output=True)
            time.sleep(1)
            dumps = sorted(glob.glob(cg_out + ".*"))
            total = 0
            for path in dumps:
                with open(path) as f:
                    for line in f:
                        m = re.match(r"(?:summary|totals):\s+(\d+)", line)
                        if m:
                            total = max(total, int(m.group(1)))
            print(f"instructions: {total:,} = {total / args.requests:,.0f} per request, {total / items:,.0f} per item")
            if args.keep and dumps:
                shutil.copy(dumps[-1], args.keep)
        if strace:
            strace.terminate()
            strace.wait()
            wal = db = syncs = 0
            for line in open(trace):
                m = re.search(r"pwrite64\(\d+<([^>]*)>.*=\s*(\d+)$", line)
                if m:
                    if m.group(1).endswith("-wal"):
                        wal += int(m.group(2))
                    elif m.group(1).endswith(".sqlite"):
                        db += int(m.group(2))
                elif "sync(" in line:
                    syncs += 1
            print(f"WAL bytes {wal:,} = {wal / items:,.0f} per item ({wal / items / 4096:.2f} pages of 4 KiB); "
                  f"database file (checkpoints) {db:,} = {db / items:,.0f} per item; fsyncs {syncs}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
