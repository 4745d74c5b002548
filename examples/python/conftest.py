"""pytest fixtures for testing against localddb: copy this file next to your tests.

One localddb server is started for the whole run (in memory, on a free port) and stopped at the
end. Every pytest-xdist worker gets its own namespace on it (``gw0``, ``gw1``, ...; ``main``
without xdist), so parallel workers never see each other's tables, and the namespace is reset
before every test, so every test starts empty.

Fixtures:
    endpoint   the namespaced endpoint URL, e.g. http://127.0.0.1:41234/ns/gw0 (give it to any
               client as its endpoint URL; all of its requests then go to this worker's namespace)
    dynamodb   a boto3 DynamoDB client on that endpoint
    localddb   admin helper for the namespace: reset(), save_snapshot(), restore(), seed()

Environment:
    LOCALDDB_BIN     the binary to start (default: ``localddb`` on PATH)
    LOCALDDB_URL     use an already running server instead of starting one (e.g. a CI sidecar)
    LOCALDDB_RESET   default reset before each test: ``drop`` (default), ``truncate`` or ``none``

What happens before each test (the autouse fixture ``_localddb_reset``):
    drop (default)   every table, index, stream and hook of the namespace is removed
    truncate         tables and indexes stay, every item is removed (so tables can be created once,
                     in a session or module fixture; run with LOCALDDB_RESET=truncate or mark
                     tests ``@pytest.mark.localddb_reset("truncate")``)
    snapshot         ``@pytest.mark.localddb_reset(snapshot="name")`` restores a snapshot that a
                     module- or class-scoped fixture saved (see test_example.py)
    nothing          ``@pytest.mark.localddb_reset(None)`` (or LOCALDDB_RESET=none)
Marks work on a test, a class or a module (``pytestmark = pytest.mark.localddb_reset(...)``).
"""
import json
import os
import shutil
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request

import boto3
import botocore.config
import pytest

READY_PREFIX = "localddb listening on "
REGION = "us-east-1"

_server = None  # the process this pytest (controller) started, if any


# ----------------------------------------------------------------------------------------------
# The server: started once per run, in the process that is not an xdist worker.
# ----------------------------------------------------------------------------------------------

class _Server:
    def __init__(self, binary, timeout=15):
        self.log = tempfile.NamedTemporaryFile(prefix="localddb-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [binary, "--in-memory", "--port", "0", "--log-level", "warn"],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        ready = threading.Event()
        self.url = None

        def read_stdout():  # waits for the ready line, then drains stdout so the server never blocks
            for line in self.proc.stdout:
                if self.url is None and line.startswith(READY_PREFIX):
                    self.url = line[len(READY_PREFIX):].strip()
                    ready.set()
            ready.set()  # stdout closed: the process ended

        threading.Thread(target=read_stdout, daemon=True).start()
        if not ready.wait(timeout) or self.url is None:
            self.stop()
            with open(self.log.name) as f:
                raise RuntimeError(f"localddb ({binary}) did not start within {timeout}s: {f.read()[-2000:]}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: finishes requests in flight and exits
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        os.unlink(self.log.name)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "localddb_reset(mode='drop', snapshot=None): how localddb is reset before the test "
                   "('drop', 'truncate', None for no reset, or snapshot='name' to restore a snapshot)")
    global _server
    if hasattr(config, "workerinput") or os.environ.get("LOCALDDB_URL"):
        return  # an xdist worker (its controller started the server), or a server is given
    binary = os.environ.get("LOCALDDB_BIN") or shutil.which("localddb")
    if not binary or not os.access(binary, os.X_OK):
        raise pytest.UsageError(f"localddb not found ({binary or 'not on PATH'}): set LOCALDDB_BIN "
                                "to the binary or put localddb on PATH")
    _server = _Server(binary)
    # xdist workers are started after this and inherit the environment.
    os.environ["LOCALDDB_URL"] = _server.url


def pytest_unconfigure(config):
    global _server
    if _server is not None:
        _server.stop()
        os.environ.pop("LOCALDDB_URL", None)
        _server = None


# ----------------------------------------------------------------------------------------------
# The namespace of this worker and its admin API.
# ----------------------------------------------------------------------------------------------

class LocalDdb:
    """The test-double admin API of one namespace (every call goes to ``<endpoint>/_localddb/``)."""

    def __init__(self, endpoint, namespace):
        self.endpoint = endpoint
        self.namespace = namespace

    def _call(self, method, path, body=None):
        req = urllib.request.Request(
            f"{self.endpoint}/_localddb/{path}", method=method,
            data=json.dumps(body if body is not None else {}).encode(),
            headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"localddb {method} /_localddb/{path} in namespace {self.namespace!r}: "
                               f"{e.code} {e.read().decode(errors='replace')}") from None

    def reset(self, mode="drop"):
        """'drop': remove every table; 'truncate': keep tables, remove every item. -> {tables, items}"""
        return self._call("POST", "reset", {"mode": mode})

    def save_snapshot(self, name):
        """Saves the namespace's whole state as snapshot `name` (replacing one of that name)."""
        return self._call("PUT", f"snapshots/{name}")

    def restore(self, name):
        """Makes the namespace exactly the snapshot's state again."""
        return self._call("POST", f"snapshots/{name}/restore")

    def seed(self, tables=(), items=None):
        """Creates tables (CreateTable inputs) and puts items ({"Table": [DynamoDB JSON items]})."""
        return self._call("POST", "seed", {"tables": list(tables), "items": items or {}})


@pytest.fixture(scope="session")
def localddb_namespace():
    """One namespace per xdist worker; override this fixture to choose another scheme."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def endpoint(localddb_namespace):
    url = os.environ.get("LOCALDDB_URL")
    if not url:
        pytest.fail("LOCALDDB_URL is not set: localddb was not started (see conftest.py)")
    return f"{url.rstrip('/')}/ns/{localddb_namespace}"


@pytest.fixture(scope="session")
def localddb(endpoint, localddb_namespace):
    return LocalDdb(endpoint, localddb_namespace)


@pytest.fixture(scope="session")
def dynamodb(endpoint):
    return boto3.client(
        "dynamodb", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id="local", aws_secret_access_key="local",
        config=botocore.config.Config(retries={"max_attempts": 1}))


@pytest.fixture(autouse=True)
def _localddb_reset(request, localddb):
    mode = os.environ.get("LOCALDDB_RESET", "drop")
    snapshot = None
    marker = request.node.get_closest_marker("localddb_reset")
    if marker is not None:
        mode = marker.args[0] if marker.args else marker.kwargs.get("mode", "drop")
        snapshot = marker.kwargs.get("snapshot")
    if snapshot:
        localddb.restore(snapshot)
    elif mode and mode != "none":
        localddb.reset(mode)
    yield
