"""localddb's own command line, as a new user meets it: stray words and switch values refused
with a clear message, host names and IPv6 addresses, the health and version subcommands, one
rule for environment variables, and request logs in text or JSON."""
import json
import os
import subprocess
import time

import pytest

from conftest import AGAINST_LOCAL, Server, localddb_binary, make_client

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="runs the localddb binary")


def run(*args, env=None, timeout=10):
    return subprocess.run([localddb_binary(), *args], capture_output=True, text=True, timeout=timeout,
                          env=env or os.environ.copy())


@pytest.mark.parametrize("args, words", [
    (["8001"], ["unexpected argument '8001'", "--port 8001"]),
    (["--in-memory", "8001"], ["invalid value '8001' for --in-memory", "switch"]),
    (["--fsync", "maybe"], ["invalid value 'maybe' for --fsync"]),
    (["--log-format", "xml"], ["--log-format", "text or json"]),
    (["--mmap-mib", "-1"], ["invalid value '-1' for --mmap-mib", "0 to"]),
])
def test_mistakes_are_refused_with_exit_2(args, words, tmp_path):
    out = run(*args, "--db", str(tmp_path / "x.sqlite"))
    assert out.returncode == 2
    for w in words:
        assert w in out.stderr
    assert not (tmp_path / "x.sqlite").exists()  # nothing was started or written


def test_host_names_and_ipv6_addresses():
    s = Server("--in-memory", "--host", "localhost")
    try:
        assert s.endpoint.startswith("http://localhost:")
        assert make_client(s.endpoint).list_tables()["TableNames"] == []
    finally:
        s.stop()
    if not os.path.exists("/proc/net/if_inet6"):
        pytest.skip("no IPv6 on this machine")
    s = Server("--in-memory", "--host", "::1")
    try:
        assert s.endpoint.startswith("http://[::1]:")
        assert make_client(s.endpoint).list_tables()["TableNames"] == []
    finally:
        s.stop()


def test_health_and_version_subcommands():
    s = Server("--in-memory")
    try:
        ok = run("health", "--url", s.endpoint)
        assert ok.returncode == 0 and json.loads(ok.stdout)["status"] == "ok"
    finally:
        s.stop()
    down = run("health", "--url", s.endpoint)
    assert down.returncode == 1 and "localddb health" in down.stderr
    assert run("health", "--bogus").returncode == 2
    version = run("version")
    assert version.returncode == 0 and version.stdout.startswith("localddb ")
    help_text = run("--help").stdout
    assert help_text.count("LOCALDDB_") >= 3
    for topic in ("Serving:", "Logging:", "Limits:", "Security and the admin API:", "Stream hooks", "Test double:"):
        assert topic in help_text
    assert "Other:" not in help_text  # every flag has its topic


def test_every_flag_reads_its_variable_singular_or_plural(tmp_path):
    env = dict(os.environ, LOCALDDB_IN_MEMORY="1", LOCALDDB_STREAM_HOOK="t=http://127.0.0.1:9/x",
               LOCALDDB_ALLOW_HOST="compose-name")
    proc = subprocess.Popen([localddb_binary(), "--port", "0", "--db", str(tmp_path / "never.sqlite")], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("localddb listening on ")
        endpoint = line.split(" on ", 1)[1].strip()
        import urllib.request
        hooks = json.loads(urllib.request.urlopen(endpoint + "/_localddb/stream-hooks").read())["hooks"]
        assert [(h["table"], h["url"]) for h in hooks] == [("t", "http://127.0.0.1:9/x")]
        assert not (tmp_path / "never.sqlite").exists()  # LOCALDDB_IN_MEMORY=1 held
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_request_log_lines(fmt):
    s = Server("--in-memory", "--log-requests", "--log-format", fmt)
    try:
        client = make_client(s.endpoint)
        client.list_tables()
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.describe_table(TableName="not-there")
        time.sleep(0.2)
    finally:
        s.stop()
    lines = [l for l in s.proc.stderr.read().splitlines() if l]
    if fmt == "json":
        parsed = [json.loads(l) for l in lines]  # every line is JSON
        assert all({"time", "level", "message"} <= set(p) for p in parsed)
        messages = [p["message"] for p in parsed]
    else:
        assert all(l[:4].isdigit() and l[10] == "T" for l in lines)  # one format: timestamped
        messages = lines
    requests = [m for m in messages if "request " in m]
    assert any("ListTables" in m and "status=200" in m for m in requests)
    assert any("DescribeTable table=not-there status=400" in m and "error=ResourceNotFoundException" in m
               for m in requests)
