#!/usr/bin/env python3
"""Times the test-double operations against their targets (issue 13), with one localddb on a file:

  reset (drop) of 100 tables holding 100,000 items        <= 20 ms
  reset (truncate) of one table holding 50,000 items      <= 10 ms
  snapshot save and restore, 10,000 items in 5 tables with GSIs   <= 50 ms each
  seed of 10,000 items                                     <= 200 ms
  a new namespace and its first table                      <= 5 ms

Loading uses BatchWriteItem; every timing is one admin call (or one CreateTable) from a client on
the same machine, median of --runs. Usage: bench/test_double.py [--binary build/localddb] [--runs 5]
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(HERE, "..", "build", "localddb"))
    ap.add_argument("--runs", type=int, default=5)
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
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    print("| operation | median ms | min ms | target ms |")
    print("|---|---|---|---|")
    for name, (samples, target) in results.items():
        print(f"| {name} | {statistics.median(samples):.1f} | {min(samples):.1f} | {target} |")


if __name__ == "__main__":
    main()
