#!/usr/bin/env python3
"""Where a read cell's server time goes: user against system CPU per request, the load
generator's own CPU, and the syscalls per request, on bench.py's table and Lua scripts.

  bench/read_cost.py [--items 50000] [--seconds 5] GetItem Query20 Scan100

The server runs on core 0 (--threads 1) and wrk on core 1, as bench.py pins them. CPU comes from
/proc/<pid>/stat over a plain run; syscall counts from `strace -c` attached to every server thread
over a second, shorter run (strace slows the server, so its run gives counts, not speed).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402


def cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]), int(fields[12])  # user, system ticks


def run_wrk(endpoint, script, seconds):
    r = subprocess.run(["/usr/bin/time", "-f", "WRKCPU %U %S", "taskset", "-c", "1", "wrk", "-t1", "-c16",
                        f"-d{seconds}s", "-s", script, endpoint + "/"], capture_output=True, text=True)
    result = json.loads(next(l for l in r.stdout.splitlines() if l.startswith("RESULT "))[7:])
    wrk_cpu = sum(float(x) for x in next(l for l in r.stderr.splitlines() if l.startswith("WRKCPU")).split()[1:])
    return result["requests"], result["duration_us"] / 1e6, wrk_cpu


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cells", nargs="+")
    p.add_argument("--items", type=int, default=50000)
    p.add_argument("--seconds", type=int, default=5)
    p.add_argument("--bin", default=bench.LOCALDDB_BIN)
    args = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="read_cost.")
    port = bench.free_port() if hasattr(bench, "free_port") else 8499
    server = subprocess.Popen(["taskset", "-c", "0", args.bin, "--port", str(port), "--threads", "1", "--db",
                               os.path.join(tmp, "db.sqlite"), "--log-level", "warn"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        time.sleep(0.5)
        bench.create_and_load(endpoint, args.items)
        time.sleep(2)
        tick = os.sysconf("SC_CLK_TCK")
        for name in args.cells:
            script = os.path.join(tmp, name + ".lua")
            with open(script, "w") as f:
                f.write(bench.LUA_COMMON + bench.WORKLOADS[name][1].replace("ITEMS", str(args.items)))
            u0, s0 = cpu(server.pid)
            n, seconds, wrk_cpu = run_wrk(endpoint, script, args.seconds)
            u1, s1 = cpu(server.pid)
            print(f"{name}: {n / seconds:.0f} ops/s; server per request user {(u1 - u0) / tick * 1e6 / n:.1f} us, "
                  f"system {(s1 - s0) / tick * 1e6 / n:.1f} us; wrk {wrk_cpu / seconds:.0%} of its core")
            trace = os.path.join(tmp, name + ".strace")
            tids = os.listdir(f"/proc/{server.pid}/task")
            strace = subprocess.Popen(["strace", "-c", "-o", trace] + [a for t in tids for a in ("-p", t)],
                                      stderr=subprocess.DEVNULL)
            time.sleep(1)
            n, _, _ = run_wrk(endpoint, script, max(2, args.seconds // 2))
            strace.terminate()
            strace.wait()
            counts = []
            for line in open(trace).read().splitlines():
                parts = line.split()
                if len(parts) >= 5 and parts[3].isdigit() and parts[-1] != "total":
                    counts.append((int(parts[3]) / n, parts[-1]))
            print("   syscalls per request: " + ", ".join(f"{c} {v:.2f}" for v, c in sorted(counts, reverse=True)[:6]))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
