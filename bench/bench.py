#!/usr/bin/env python3
"""localddb's benchmark: the same workloads against localddb, dynalite and an nginx ceiling,
in one run, with CPU pinning (server on core 0, wrk on core 1), warm-up, several runs per cell
and medians. Writes bench/out/results.md and bench/out/results.json. Run it through bench/run.sh.
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")
TABLE = "bench"
AUTH = ("AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=host;x-amz-date;x-amz-target, Signature=" + "0" * 64)
PARTITIONS, GSI_PARTITIONS = 500, 250
PAYLOAD = "x" * 900  # items of about 1 KB
LOCALDDB_BIN = os.environ.get("LOCALDDB_BIN") or os.path.join(REPO, "build", "localddb")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(endpoint, op, body):
    req = urllib.request.Request(endpoint + "/", data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810." + op,
        "Authorization": AUTH, "X-Amz-Date": "20260101T000000Z"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return resp.status, json.loads(resp.read() or b"{}")


def item(i):
    return {"pk": {"S": "p%03d" % (i % PARTITIONS)}, "sk": {"S": "s%06d" % i},
            "gpk": {"S": "g%03d" % (i % GSI_PARTITIONS)}, "n": {"N": str(i)}, "data": {"S": PAYLOAD}}


def create_and_load(endpoint, items, stream=False):
    extra = {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}} if stream else {}
    call(endpoint, "CreateTable", {
        **extra,
        "TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk", "gpk")],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [{"IndexName": "by-gpk", "Projection": {"ProjectionType": "ALL"},
                                    "KeySchema": [{"AttributeName": "gpk", "KeyType": "HASH"},
                                                  {"AttributeName": "sk", "KeyType": "RANGE"}]}]})
    for _ in range(200):  # dynalite creates tables asynchronously
        if call(endpoint, "DescribeTable", {"TableName": TABLE})[1]["Table"]["TableStatus"] == "ACTIVE":
            break
        time.sleep(0.05)
    for start in range(0, items, 25):
        batch = [{"PutRequest": {"Item": item(i)}} for i in range(start, min(items, start + 25))]
        status, out = call(endpoint, "BatchWriteItem", {"RequestItems": {TABLE: batch}})
        assert status == 200 and not out.get("UnprocessedItems"), out


# wrk scripts: each builds a stream of valid requests; done() prints one JSON line.
LUA_COMMON = r'''
wrk.method = "POST"
-- wrk.format() uses the headers it is given instead of wrk.headers, so every request carries all.
local function hdr(op)
  return {["Content-Type"] = "application/x-amz-json-1.0", ["Authorization"] = "%s",
          ["X-Amz-Date"] = "20260101T000000Z", ["X-Amz-Target"] = "DynamoDB_20120810." .. op}
end
math.randomseed(os.time())
local n = 0
local payload = string.rep("x", 900)
done = function(summary, latency, requests)
  io.write(string.format('RESULT {"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p99_us":%%d,"errors":%%d,"non2xx":%%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
''' % AUTH

WORKLOADS = {
    "PutItem": ("PutItem", r'''
request = function()
  n = n + 1
  local i = math.random(0, 1000000000)
  local body = string.format('{"TableName":"bench","Item":{"pk":{"S":"p%%03d"},"sk":{"S":"w%%d-%%d"},"gpk":{"S":"g%%03d"},"n":{"N":"%%d"},"data":{"S":"%%s"}}}',
    i %% %d, n, i, i %% %d, i, payload)
  return wrk.format(nil, "/", hdr("PutItem"), body)
end
''' % (PARTITIONS, GSI_PARTITIONS)),
    "GetItem": ("GetItem", r'''
request = function()
  local i = math.random(0, ITEMS - 1)
  local body = string.format('{"TableName":"bench","Key":{"pk":{"S":"p%%03d"},"sk":{"S":"s%%06d"}}}', i %% %d, i)
  return wrk.format(nil, "/", hdr("GetItem"), body)
end
''' % PARTITIONS),
    "Query20": ("Query", r'''
request = function()
  local body = string.format('{"TableName":"bench","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p%%03d"}},"ScanIndexForward":false,"Limit":20}',
    math.random(0, %d))
  return wrk.format(nil, "/", hdr("Query"), body)
end
''' % (PARTITIONS - 1)),
    "QueryGSI20": ("Query", r'''
request = function()
  local body = string.format('{"TableName":"bench","IndexName":"by-gpk","KeyConditionExpression":"gpk = :g","ExpressionAttributeValues":{":g":{"S":"g%%03d"}},"Limit":20}',
    math.random(0, %d))
  return wrk.format(nil, "/", hdr("Query"), body)
end
''' % (GSI_PARTITIONS - 1)),
    "Scan100": ("Scan", r'''
request = function()
  local i = math.random(0, ITEMS - 1)
  local body = string.format('{"TableName":"bench","Limit":100,"ExclusiveStartKey":{"pk":{"S":"p%%03d"},"sk":{"S":"s%%06d"}}}', i %% %d, i)
  return wrk.format(nil, "/", hdr("Scan"), body)
end
''' % PARTITIONS),
    "BatchWrite25": ("BatchWriteItem", r'''
request = function()
  n = n + 1
  local puts = {}
  for j = 1, 25 do
    local i = math.random(0, 1000000000)
    puts[j] = string.format('{"PutRequest":{"Item":{"pk":{"S":"p%%03d"},"sk":{"S":"b%%d-%%d-%%d"},"gpk":{"S":"g%%03d"},"data":{"S":"%%s"}}}}',
      i %% %d, n, j, i, i %% %d, payload)
  end
  local body = '{"RequestItems":{"bench":[' .. table.concat(puts, ",") .. ']}}'
  return wrk.format(nil, "/", hdr("BatchWriteItem"), body)
end
''' % (PARTITIONS, GSI_PARTITIONS)),
}


# Scan pages at the two ends of the table's (hash) order: from a random start key among the first
# tenth of the table, and among the last tenth (START_KEYS: filled in by scan_end_keys).
SCAN_FROM_KEYS = r'''
local keys = {START_KEYS}
request = function()
  local k = keys[math.random(1, #keys)]
  return wrk.format(nil, "/", hdr("Scan"), '{"TableName":"bench","Limit":100,"ExclusiveStartKey":' .. k .. '}')
end
'''


def scan_end_keys(endpoint, first):
    """Start keys spread over the first (or last) tenth of the scan order: the first key of each of
    100 of 1000 parallel-scan segments."""
    keys = []
    for seg in (range(0, 100) if first else range(900, 1000)):
        out = call(endpoint, "Scan", {"TableName": TABLE, "Limit": 1, "Segment": seg, "TotalSegments": 1000,
                                      "ProjectionExpression": "pk, sk"})[1]
        keys += ["[[" + json.dumps(i) + "]]" for i in out["Items"]]
    return SCAN_FROM_KEYS.replace("{START_KEYS}", "{" + ",".join(keys) + "}")


# Loads items FIRST..LAST-1 (the same items create_and_load writes), 25 per BatchWriteItem; once
# past LAST it only reads, so a fixed-length wrk run can overshoot harmlessly.
LOADER = r'''
local next_item = FIRST
request = function()
  if next_item >= LAST then
    return wrk.format(nil, "/", hdr("GetItem"), '{"TableName":"bench","Key":{"pk":{"S":"p000"},"sk":{"S":"s000000"}}}')
  end
  local puts = {}
  for j = 0, 24 do
    local i = next_item + j
    if i >= LAST then break end
    puts[#puts + 1] = string.format('{"PutRequest":{"Item":{"pk":{"S":"p%%03d"},"sk":{"S":"s%%06d"},"gpk":{"S":"g%%03d"},"n":{"N":"%%d"},"data":{"S":"%%s"}}}}',
      i %% %d, i, i %% %d, i, payload)
  end
  next_item = next_item + 25
  return wrk.format(nil, "/", hdr("BatchWriteItem"), '{"RequestItems":{"bench":[' .. table.concat(puts, ",") .. ']}}')
end
''' % (PARTITIONS, GSI_PARTITIONS)


def validate(endpoint, items):
    """One real request per workload, checked, before anything is timed."""
    checks = {
        "PutItem": ("PutItem", {"TableName": TABLE, "Item": item(items + 7)}, lambda o: True),
        "GetItem": ("GetItem", {"TableName": TABLE, "Key": {"pk": item(3)["pk"], "sk": item(3)["sk"]}},
                    lambda o: o["Item"]["n"]["N"] == "3"),
        "Query20": ("Query", {"TableName": TABLE, "KeyConditionExpression": "pk = :p",
                              "ExpressionAttributeValues": {":p": {"S": "p001"}}, "ScanIndexForward": False,
                              "Limit": 20}, lambda o: len(o["Items"]) == min(20, items // PARTITIONS)),
        "QueryGSI20": ("Query", {"TableName": TABLE, "IndexName": "by-gpk", "KeyConditionExpression": "gpk = :g",
                                 "ExpressionAttributeValues": {":g": {"S": "g001"}}, "Limit": 20},
                       lambda o: len(o["Items"]) == min(20, items // GSI_PARTITIONS)),
        "Scan100": ("Scan", {"TableName": TABLE, "Limit": 100}, lambda o: len(o["Items"]) == min(100, items)),
        "BatchWrite25": ("BatchWriteItem", {"RequestItems": {TABLE: [{"PutRequest": {"Item": item(items + 100 + j)}}
                                                                      for j in range(25)]}},
                         lambda o: o["UnprocessedItems"] == {}),
    }
    for name, (op, body, ok) in checks.items():
        status, out = call(endpoint, op, body)
        if status != 200 or not ok(out):
            raise SystemExit(f"bench: validation of {name} failed: {status} {str(out)[:300]}")


def wrk(endpoint, name, items, seconds, connections, pin, scripts_dir, body=None):
    if body is None:
        body = WORKLOADS[name][1]
    script = os.path.join(scripts_dir, name + ".lua")
    with open(script, "w") as f:
        f.write(LUA_COMMON + body.replace("ITEMS", str(items)))
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, endpoint + "/"]
    if pin:
        cmd = ["taskset", "-c", "1"] + cmd
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    line = next((l for l in out.splitlines() if l.startswith("RESULT ")), None)
    if not line:
        raise SystemExit(f"bench: wrk produced no result for {name}:\n{out}")
    r = json.loads(line[len("RESULT "):])
    if r["non2xx"] or r["errors"]:
        raise SystemExit(f"bench: {name} against {endpoint}: {r['non2xx']} non-2xx and {r['errors']} socket errors")
    r["ops"] = r["requests"] / (r["duration_us"] / 1e6)
    return r


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except OSError:
        return 0


def settle(proc, limit_s=20):
    """After a write run: wait until the server has finished its background work (checkpoints,
    compaction) and the kernel has written its dirty pages, so the next server's run starts on a
    quiet machine."""
    os.sync()
    deadline, last, quiet = time.time() + limit_s, cpu_ticks(proc.proc.pid), 0
    while time.time() < deadline and quiet < 3:
        time.sleep(0.1)
        now = cpu_ticks(proc.proc.pid)
        quiet = quiet + 1 if now == last else 0
        last = now
    os.sync()


def rss_kib(pid, field="VmRSS"):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:  # the server is gone: read in a finally, this must not hide why
        pass
    return 0


def rss_parts_kib(pid):
    """Resident size and its parts: anonymous memory (heaps, page caches) and mapped files (the
    kernel's file cache, clean, which the kernel may drop at any time)."""
    return {f: rss_kib(pid, f) for f in ("VmRSS", "RssAnon", "RssFile", "RssShmem")}


class Proc:
    def __init__(self, cmd, endpoint, pin):
        self.endpoint = endpoint
        if pin:
            cmd = ["taskset", "-c", "0"] + cmd
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:  # startup: until the first answered ListTables
            try:
                call(endpoint, "ListTables", {})
                break
            except Exception:
                if self.proc.poll() is not None or time.perf_counter() - t0 > 30:
                    raise SystemExit(f"bench: {cmd} did not start")
                time.sleep(0.0005)
        self.startup_ms = (time.perf_counter() - t0) * 1000

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def servers(args, tmp):
    """(name, start(existing_file?) -> Proc) for every server measured."""
    localddb = LOCALDDB_BIN
    dynalite = os.path.join(HERE, "node_modules", "dynalite", "cli.js")
    out = []
    out.append(("localddb (disk)", lambda port: Proc([localddb, "--port", str(port), "--threads", "1" if args.pin else "2",
                                                      "--db", os.path.join(tmp, "localddb.sqlite"), "--log-level", "warn"],
                                                     f"http://127.0.0.1:{port}", args.pin)))
    if not args.skip_dynalite:
        out.append(("dynalite (memory)", lambda port: Proc(["node", dynalite, "--port", str(port)],
                                                           f"http://127.0.0.1:{port}", args.pin)))
        out.append(("dynalite (disk)", lambda port: Proc(["node", dynalite, "--port", str(port), "--path",
                                                          os.path.join(tmp, "dynalite")],
                                                         f"http://127.0.0.1:{port}", args.pin)))
    return out


def nginx_ceiling(args, tmp, seconds):
    port = free_port()
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""worker_processes 1; daemon off; pid {tmp}/nginx.pid; error_log /dev/null;
events {{ worker_connections 1024; }}
http {{ access_log off; server {{ listen 127.0.0.1:{port}; location / {{ return 200 "ok"; }} }} }}
""")
    cmd = ["nginx", "-c", conf, "-p", tmp]
    if args.pin:
        cmd = ["taskset", "-c", "0"] + cmd
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    try:
        wcmd = ["wrk", "-t1", f"-c{args.connections}", f"-d{seconds}s", f"http://127.0.0.1:{port}/"]
        if args.pin:
            wcmd = ["taskset", "-c", "1"] + wcmd
        text = subprocess.run(wcmd, capture_output=True, text=True, timeout=seconds + 30).stdout
        for line in text.splitlines():
            if line.startswith("Requests/sec:"):
                return float(line.split()[1])
    finally:
        proc.terminate()
    return 0.0


class HookTarget:
    """A stream-hook target that answers at once and notes when each record arrived."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        import threading
        self.arrivals = {}  # pk -> arrival time
        target = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                now = time.time()
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                for r in body["Records"]:
                    target.arrivals[r["dynamodb"]["Keys"]["sk"]["S"]] = now
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/2015-03-31/functions/function/invocations"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def stream_hook_bench(args, tmp):
    """PutItem throughput on a table with a NEW_IMAGE stream and a hook against the same table
    without stream or hook, for a hook of batch size 1 (every record its own POST) and one of batch
    size 100 (the default), the three servers prepared alike and their runs alternated; whether the
    batch-size-100 hook keeps up with the saturating writer (records behind when the writes stop,
    time to catch up, records delivered per second); and the time from sending a write to its
    record reaching the batch-size-1 hook (measured once it caught up)."""
    target = HookTarget()

    def start(name, batch_size):
        port = free_port()
        cmd = [LOCALDDB_BIN, "--port", str(port), "--threads", "1" if args.pin else "2", "--log-level", "warn",
               "--db", os.path.join(tmp, name + ".sqlite")]
        if batch_size:
            cmd += ["--stream-hook", f"{TABLE}={target.url}", "--stream-batch-size", str(batch_size)]
        proc = Proc(cmd, f"http://127.0.0.1:{port}", args.pin)
        create_and_load(proc.endpoint, min(args.items, 5000), stream=bool(batch_size))
        return proc

    def hook(proc):
        with urllib.request.urlopen(proc.endpoint + "/_localddb/stream-hooks") as resp:
            return json.loads(resp.read())["hooks"][0]

    def caught_up(proc, poll_s=0.2):
        deadline = time.time() + 120
        while hook(proc)["lag"] and time.time() < deadline:
            time.sleep(poll_s)

    plain, one, hundred = start("plain", 0), start("hooked1", 1), start("hooked100", 100)
    try:
        # Alternated, so a machine whose speed drifts treats all alike; before each run every hook
        # has caught up (a backlog's delivery must not eat into another server's time).
        for p in (plain, one, hundred):
            wrk(p.endpoint, "PutItem", args.items, 1, args.connections, args.pin, tmp)
        runs = {"plain": [], "one": [], "hundred": []}
        drain = []
        for _ in range(args.runs):
            for name, p in (("plain", plain), ("one", one), ("hundred", hundred)):
                for h in (one, hundred):
                    caught_up(h)
                if p is hundred:
                    delivered0, t0 = hook(p)["counters"]["recordsDelivered"], time.time()
                runs[name].append(wrk(p.endpoint, "PutItem", args.items, args.duration, args.connections, args.pin, tmp)["ops"])
                if p is hundred:
                    t1 = time.time()
                    lag_at_stop = hook(p)["lag"]
                    caught_up(p, poll_s=0.01)
                    t2 = time.time()
                    delivered = hook(p)["counters"]["recordsDelivered"] - delivered0
                    drain.append({"lag_at_stop": lag_at_stop, "catch_up_s": t2 - t1, "records": delivered,
                                  "delivered_per_s": delivered / (t2 - t0)})
        plain.stop()
        hundred.stop()
        without = statistics.median(runs["plain"])
        ops, ops100 = statistics.median(runs["one"]), statistics.median(runs["hundred"])
        caught_up(one)  # latency is measured once delivery has caught up
        latencies = []
        for i in range(50 if args.quick else 300):
            sk = f"lat{i}"
            sent = time.time()
            call(one.endpoint, "PutItem", {"TableName": TABLE, "Item": {"pk": {"S": "lat"}, "sk": {"S": sk}}})
            deadline = sent + 5
            while sk not in target.arrivals and time.time() < deadline:
                time.sleep(0.0002)
            if sk in target.arrivals:
                latencies.append((target.arrivals[sk] - sent) * 1000)
        latencies.sort()
        pct = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")
        return {"put_ops": ops, "put_ops_without": without, "ratio": ops / without if without else None,
                "put_ops_batch100": ops100, "ratio_batch100": ops100 / without if without else None,
                "runs": runs, "drain": {"runs": drain,
                                        "delivered_per_s": statistics.median(d["delivered_per_s"] for d in drain),
                                        "max_lag_at_stop": max(d["lag_at_stop"] for d in drain),
                                        "max_catch_up_s": max(d["catch_up_s"] for d in drain)},
                "latency_p50_ms": pct(0.50), "latency_p99_ms": pct(0.99), "latency_samples": len(latencies)}
    finally:
        for p in (plain, one, hundred):
            p.stop()
        target.server.shutdown()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true", help="smoke mode: tiny table, ~1 s per cell, one run")
    p.add_argument("--duration", type=int, default=8)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--items", type=int, default=50000)
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--only", action="append", help="workload(s) to run")
    p.add_argument("--skip-dynalite", action="store_true")
    p.add_argument("--no-pin", dest="pin", action="store_false")
    p.add_argument("--scale", action="store_true", help="only the table-size run: 10,000 items, then --scale-items")
    p.add_argument("--scale-items", type=int, default=1000000)
    args = p.parse_args()
    if args.quick or os.environ.get("BENCH_SMOKE"):
        args.duration, args.runs, args.items, args.quick = 1, 1, 2000, True
    if os.cpu_count() < 2:
        args.pin = False
    workloads = args.only or list(WORKLOADS)
    os.makedirs(OUT, exist_ok=True)
    if args.scale:
        tmp = tempfile.mkdtemp(prefix="localddb-bench-")
        try:
            results = {"date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "pinned": args.pin,
                       "duration_s": args.duration, "runs": args.runs, "scale": scale_bench(args, tmp)}
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        write_scale_report(results)
        return
    results = {"date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "items": args.items,
               "duration_s": args.duration, "runs": args.runs, "pinned": args.pin, "servers": {}}
    tmp = tempfile.mkdtemp(prefix="localddb-bench-")
    try:
        if shutil.which("nginx") and not args.quick:
            results["nginx_ceiling_rps"] = nginx_ceiling(args, tmp, args.duration)
        # Every server is started and loaded first, then each workload's runs alternate between
        # them (A, B, C, A, B, C, ...): this machine's speed drifts within minutes, and measuring
        # one server after another would fold that drift into the ratios. Idle servers cost nothing.
        live = {}
        for name, start in servers(args, tmp):
            port = free_port()
            proc = start(port)
            entry = {"startup_ms_empty": proc.startup_ms, "rss_idle_kib": rss_kib(proc.proc.pid)}
            t0 = time.perf_counter()
            create_and_load(proc.endpoint, args.items)
            entry["load_items_per_s_python_client"] = args.items / (time.perf_counter() - t0)
            validate(proc.endpoint, args.items)
            entry["rss_loaded_kib"] = rss_kib(proc.proc.pid)
            entry["workloads"] = {}
            live[name] = (start, proc, entry)
        try:
            for w in workloads:
                for name, (_, proc, _) in live.items():
                    wrk(proc.endpoint, w, args.items, 1, args.connections, args.pin, tmp)  # warm-up
                runs = {name: [] for name in live}
                writes = w in ("PutItem", "BatchWrite25")
                for name, (_, proc, _) in live.items():
                    if writes:
                        settle(proc)
                for _ in range(args.runs):
                    for name, (_, proc, _) in live.items():
                        runs[name].append(wrk(proc.endpoint, w, args.items, args.duration, args.connections, args.pin, tmp))
                        if writes:
                            settle(proc)
                for name, (_, _, entry) in live.items():
                    rs = runs[name]
                    cell = {"ops": statistics.median(r["ops"] for r in rs),
                            "p50_ms": statistics.median(r["p50_us"] for r in rs) / 1000,
                            "p99_ms": statistics.median(r["p99_us"] for r in rs) / 1000, "runs": rs}
                    if w == "BatchWrite25":
                        cell["items_per_s"] = cell["ops"] * 25
                    entry["workloads"][w] = cell
                    print(f"{name:20s} {w:14s} {cell['ops']:10.0f} ops/s  p50 {cell['p50_ms']:.2f} ms  "
                          f"p99 {cell['p99_ms']:.2f} ms", flush=True)
        finally:
            for name, (start, proc, entry) in live.items():
                entry["rss_after_runs_kib"] = rss_parts_kib(proc.proc.pid)
                proc.stop()
        for name, (start, proc, entry) in live.items():
            if name.startswith("localddb"):  # restart on the loaded file: startup with data
                again = start(free_port())
                entry["startup_ms_loaded"] = again.startup_ms
                again.stop()
            results["servers"][name] = entry
        if "PutItem" in workloads:
            results["stream_hook"] = stream_hook_bench(args, tmp)
            print("localddb + stream hook: PutItem %.0f ops/s; write-to-hook p50 %.2f ms, p99 %.2f ms" % (
                results["stream_hook"]["put_ops"], results["stream_hook"]["latency_p50_ms"],
                results["stream_hook"]["latency_p99_ms"]), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_reports(results, workloads)


def write_reports(results, workloads):
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    names = list(results["servers"])
    base = results["servers"].get("dynalite (memory)")
    lines = [f"Run {results['date']}: {results['items']} items of ~1 KB, one GSI; {results['duration_s']} s x "
             f"{results['runs']} runs per cell (medians); wrk -t1 -c16; pinned: {results['pinned']}.", ""]
    header = "| workload | " + " | ".join(f"{n} ops/s (p50/p99 ms)" for n in names)
    header += " | localddb / dynalite (memory) |" if base else " |"
    lines += [header, "|" + "---|" * (len(names) + 1 + (1 if base else 0))]
    for w in workloads:
        row = f"| {w} |"
        for n in names:
            c = results["servers"][n]["workloads"][w]
            row += f" {c['ops']:.0f} ({c['p50_ms']:.2f}/{c['p99_ms']:.2f}) |"
        if base:
            row += f" {results['servers']['localddb (disk)']['workloads'][w]['ops'] / base['workloads'][w]['ops']:.1f}x |"
        lines.append(row)
    lines.append("")
    for n in names:
        s = results["servers"][n]
        extra = f", startup with the loaded file {s['startup_ms_loaded']:.1f} ms" if "startup_ms_loaded" in s else ""
        lines.append(f"- {n}: startup to first ListTables {s['startup_ms_empty']:.1f} ms{extra}; RSS idle "
                     f"{s['rss_idle_kib'] / 1024:.1f} MiB, after loading {s['rss_loaded_kib'] / 1024:.1f} MiB"
                     + (", after the runs {VmRSS} MiB (anonymous {RssAnon}, mapped files {RssFile}, shared memory "
                        "{RssShmem})".format(**{k: f"{v / 1024:.1f}" for k, v in s["rss_after_runs_kib"].items()})
                        if "rss_after_runs_kib" in s else ""))
    if "stream_hook" in results:
        h = results["stream_hook"]
        lines.append(f"- localddb with a NEW_IMAGE stream and a hook (batch size 1, target answers at once): PutItem "
                     f"{h['put_ops']:.0f} ops/s = {h['ratio']:.2f}x of the same table without ({h['put_ops_without']:.0f} ops/s, "
                     f"both with 5,000 items); write-to-hook latency p50 "
                     f"{h['latency_p50_ms']:.2f} ms, p99 {h['latency_p99_ms']:.2f} ms ({h['latency_samples']} sequential writes)")
        d = h["drain"]
        lines.append(f"- the same with a hook of batch size 100 (the default): PutItem {h['put_ops_batch100']:.0f} ops/s = "
                     f"{h['ratio_batch100']:.2f}x of without; the hook delivered {d['delivered_per_s']:.0f} records per "
                     f"second (median), was at most {d['max_lag_at_stop']} records behind when the writes stopped and "
                     f"caught up at most {d['max_catch_up_s']:.2f} s later")
    if "nginx_ceiling_rps" in results:
        lines.append(f"- HTTP ceiling (nginx static 200, same pinning): {results['nginx_ceiling_rps']:.0f} req/s")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write(text)
    print()
    print(text)


def write_scale_report(results):
    with open(os.path.join(OUT, "scale.json"), "w") as f:
        json.dump(results, f, indent=1)
    sc = results["scale"]
    small, large = sc["at"]["small"], sc["at"]["large"]
    lines = [f"Run {results['date']}: localddb (disk), {sc['small_items']} items, then {sc['items_counted']} items; "
             f"{results['duration_s']} s x {results['runs']} runs per cell (medians); wrk -t1 -c16; pinned: {results['pinned']}.",
             "", f"| workload | {sc['small_items']} items ops/s (p50/p99 ms) | {sc['items_counted']} items ops/s (p50/p99 ms) "
             "| p50 large / small |", "|---|---|---|---|"]
    for w, c in small["workloads"].items():
        d = large["workloads"][w]
        lines.append(f"| {w} | {c['ops']:.0f} ({c['p50_ms']:.2f}/{c['p99_ms']:.2f}) | {d['ops']:.0f} "
                     f"({d['p50_ms']:.2f}/{d['p99_ms']:.2f}) | {d['p50_ms'] / c['p50_ms']:.2f}x |")
    lines += ["", f"- RSS: {small['rss_kib'] / 1024:.1f} MiB at {sc['small_items']} items, "
                  f"{large['rss_kib'] / 1024:.1f} MiB at {sc['items_counted']} items",
              f"- loading with BatchWriteItem of 25 (wrk, 16 connections): {sc['load_items_per_s']:.0f} items/s"]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(OUT, "scale.md"), "w") as f:
        f.write(text)
    print()
    print(text)


if __name__ == "__main__":
    main()
