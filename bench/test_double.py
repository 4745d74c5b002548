#!/usr/bin/env python3
"""Times the test-double operations against their targets (issue 13), with one localddb on a file:

  reset (drop) of 100 tables holding 100,000 items        <= 20 ms
  reset (truncate) of one table holding 50,000 items      <= 10 ms
  snapshot save and restore, 10,000 items in 5 tables with GSIs   <= 50 ms each
  seed of 10,000 items                                     <= 200 ms
  a new namespace and its first table                      <= 5 ms

Loading uses BatchWriteItem; every timing is one admin call (or one CreateTable) from a client on
the same machine, median of --runs.

Then the "test fixture cycle", side by side with dynalite (in memory, from bench/node_modules): what
a test suite does per test, with boto3: CreateTable with a GSI, 25 PutItem, a Query, DeleteTable
(waiting for the table as a test would); and, localddb only, the same with a truncate reset
instead of dropping and creating the table again.

Usage: bench/test_double.py [--binary build/localddb] [--runs 5] [--cycles 20] [--skip-dynalite]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "conformance", "python"))


def start(binary, db):
    proc = subprocess.Popen([binary, "--db", db, "--port", "0", "--log-level", "warn"], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    return proc, line.split(" on ", 1)[1].strip()


def call(endpoint, method, path, body=None):
    req = urllib.request.Request(endpoint + path, method=method, data=json.dumps(body or {}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read())


def client(endpoint):
    import boto3
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="bench", aws_secret_access_key="bench")


def create(ddb, name, gsi=False):
    params = dict(TableName=name, BillingMode="PAY_PER_REQUEST",
                  AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                        {"AttributeName": "g", "AttributeType": "S"}],
                  KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    if gsi:
        params["GlobalSecondaryIndexes"] = [{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                             "Projection": {"ProjectionType": "ALL"}}]
    else:
        params["AttributeDefinitions"] = params["AttributeDefinitions"][:1]
    ddb.create_table(**params)


def load(ddb, table, n, payload=100):
    for start_at in range(0, n, 25):
        ddb.batch_write_item(RequestItems={table: [
            {"PutRequest": {"Item": {"pk": {"S": f"k{i}"}, "g": {"S": f"g{i % 10}"}, "v": {"S": "x" * payload}}}}
            for i in range(start_at, min(n, start_at + 25))]})


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return (time.perf_counter() - t) * 1000, result


def wait_active(ddb, name):
    for _ in range(2000):  # dynalite creates and deletes tables asynchronously
        try:
            if ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE":
                return
        except ddb.exceptions.ResourceNotFoundException:
            pass
        time.sleep(0.005)


def wait_gone(ddb, name):
    for _ in range(2000):
        try:
            ddb.describe_table(TableName=name)
        except ddb.exceptions.ResourceNotFoundException:
            return
        time.sleep(0.005)


def fixture_cycle(ddb, endpoint, truncate):
    """One test's worth of fixture work; returns its milliseconds."""
    t = time.perf_counter()
    if truncate:
        call(endpoint, "POST", "/_localddb/reset", {"mode": "truncate"})
    else:
        create(ddb, "fixture", gsi=True)
        wait_active(ddb, "fixture")
    for i in range(25):
        ddb.put_item(TableName="fixture", Item={"pk": {"S": f"k{i}"}, "g": {"S": "g"}, "v": {"N": str(i)}})
    assert ddb.query(TableName="fixture", IndexName="by-g", KeyConditionExpression="g = :g",
                     ExpressionAttributeValues={":g": {"S": "g"}})["Count"] == 25
    if not truncate:
        ddb.delete_table(TableName="fixture")
        wait_gone(ddb, "fixture")
    return (time.perf_counter() - t) * 1000


def fixture_cycles(args, endpoint, truncate):
    ddb = client(endpoint)
    if truncate:
        create(ddb, "fixture", gsi=True)
    fixture_cycle(ddb, endpoint, truncate)  # warm-up
    return [fixture_cycle(ddb, endpoint, truncate) for _ in range(args.cycles)]


def dynalite_cycles(args):
    cli = os.path.join(HERE, "node_modules", "dynalite", "cli.js")
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(["node", cli, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            try:
                client(endpoint).list_tables()
                break
            except Exception:
                time.sleep(0.05)
        return fixture_cycles(args, endpoint, truncate=False)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(HERE, "..", "build", "localddb"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cycles", type=int, default=20)
    ap.add_argument("--skip-dynalite", action="store_true")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="localddb-td-bench.")
    proc, endpoint = start(args.binary, os.path.join(work, "data.sqlite"))
    ddb = client(endpoint)
    results = {}
    try:
        # reset (drop): 100 tables, 100,000 items
        drops = []
        for _ in range(args.runs):
            for t in range(100):
                create(ddb, f"tbl{t}")
                load(ddb, f"tbl{t}", 1000)
            ms, answer = timed(lambda: call(endpoint, "POST", "/_localddb/reset", {"mode": "drop"}))
            assert answer == {"tables": 100, "items": 100000}, answer
            drops.append(ms)
        results["reset drop, 100 tables / 100,000 items"] = (drops, 20)
        # reset (truncate): one table, 50,000 items
        create(ddb, "bigtable")
        truncates = []
        for _ in range(args.runs):
            load(ddb, "bigtable", 50000)
            ms, answer = timed(lambda: call(endpoint, "POST", "/_localddb/reset", {"mode": "truncate"}))
            assert answer == {"tables": 1, "items": 50000}, answer
            truncates.append(ms)
        results["reset truncate, 1 table / 50,000 items"] = (truncates, 10)
        call(endpoint, "POST", "/_localddb/reset")
        # snapshots: 10,000 items in 5 tables with GSIs
        for t in range(5):
            create(ddb, f"snap{t}", gsi=True)
            load(ddb, f"snap{t}", 2000)
        saves, restores = [], []
        for r in range(args.runs):
            ms, answer = timed(lambda: call(endpoint, "PUT", "/_localddb/snapshots/bench"))
            assert answer["items"] == 10000, answer
            saves.append(ms)
            ddb.put_item(TableName="snap0", Item={"pk": {"S": "extra"}, "g": {"S": "g"}})
            ms, _ = timed(lambda: call(endpoint, "POST", "/_localddb/snapshots/bench/restore"))
            restores.append(ms)
            assert ddb.describe_table(TableName="snap0")["Table"]["ItemCount"] == 2000
        results["snapshot save, 5 tables with GSIs / 10,000 items"] = (saves, 50)
        results["snapshot restore, 5 tables with GSIs / 10,000 items"] = (restores, 50)
        # seed: 10,000 items
        seeds = []
        for r in range(args.runs):
            call(endpoint, "POST", "/_localddb/reset")
            doc = {"tables": [{"TableName": "seeded", "BillingMode": "PAY_PER_REQUEST",
                               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}],
                   "items": {"seeded": [{"pk": {"S": f"k{i}"}, "v": {"S": "x" * 100}} for i in range(10000)]}}
            ms, answer = timed(lambda: call(endpoint, "POST", "/_localddb/seed", doc))
            assert answer == {"tables": 1, "items": 10000}, answer
            seeds.append(ms)
        results["seed, 10,000 items"] = (seeds, 200)
        # a new namespace and its first table
        firsts = []
        for r in range(args.runs):
            ns = client(f"{endpoint}/ns/bench{r}")
            ms, _ = timed(lambda: create(ns, "first"))
            firsts.append(ms)
        results["new namespace + first table"] = (firsts, 5)
        call(endpoint, "POST", "/_localddb/reset")
        cycles = {"localddb, drop and create": fixture_cycles(args, endpoint, truncate=False)}
        call(endpoint, "POST", "/_localddb/reset")
        cycles["localddb, truncate"] = fixture_cycles(args, endpoint, truncate=True)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    if not args.skip_dynalite and os.path.exists(os.path.join(HERE, "node_modules", "dynalite")):
        cycles["dynalite (memory), drop and create"] = dynalite_cycles(args)
    print("| operation | median ms | min ms | target ms |")
    print("|---|---|---|---|")
    for name, (samples, target) in results.items():
        print(f"| {name} | {statistics.median(samples):.1f} | {min(samples):.1f} | {target} |")
    print()
    print(f"Test fixture cycle (CreateTable with a GSI, 25 PutItem, a Query, DeleteTable; {args.cycles} cycles, boto3):")
    print()
    print("| server | median ms per cycle | p90 ms |")
    print("|---|---|---|")
    for name, samples in cycles.items():
        ordered = sorted(samples)
        print(f"| {name} | {statistics.median(samples):.1f} | {ordered[int(len(ordered) * 0.9) - 1]:.1f} |")


if __name__ == "__main__":
    main()
