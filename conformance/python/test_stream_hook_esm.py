"""Stream hooks as Lambda event source mappings, and the delivery inspector: each ESM setting shown
against a local HTTP target that fails on purpose (bisection isolates the bad record, the filter
skips records, the failed-batch list holds what the retry limit gave up and replays it), and the
inspector's answers after an outage, a recovery and a restart. localddb-only (our feature)."""
import json
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import AGAINST_LOCAL, Server, free_port, make_client

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="stream hooks are localddb's own feature")


class Target:
    """A hook target recording every batch (and the path it came to); `plan(n, keys)` answers:
    (status, body) or (status, body, headers)."""

    def __init__(self, port=0):
        self.batches, self.paths = [], []
        self.plan = lambda n, keys: (200, "null")
        self.lock = threading.Lock()
        target = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                keys = [r["dynamodb"]["Keys"]["pk"]["S"] for r in body["Records"]]
                with target.lock:
                    n = len(target.batches)
                    target.batches.append(keys)
                    target.paths.append(self.path)
                answer = target.plan(n, keys)
                status, text = answer[0], answer[1]
                data = text.encode()
                self.send_response(status)
                for name, value in (answer[2] if len(answer) > 2 else {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def keys(self):
        with self.lock:
            return [k for batch in self.batches for k in batch]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def wait_for(predicate, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def admin(server, method, path, payload=None):
    req = urllib.request.Request(server.endpoint + "/_localddb/" + path, method=method,
                                 data=json.dumps(payload).encode() if payload is not None else None,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def create(ddb, name="orders", stream=True):
    params = dict(TableName=name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                  KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    if stream:
        params["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    ddb.create_table(**params)


def put(ddb, *keys, table="orders", **attrs):
    for k in keys:
        ddb.put_item(TableName=table, Item={"pk": {"S": k}, **{n: {"S": v} for n, v in attrs.items()}})


def add_paused(server, target, **settings):
    """Declares a hook paused (Enabled: false), so the records written next form one batch."""
    status, body = admin(server, "POST", "stream-hooks", {"table": "orders", "url": target.url, "Enabled": False,
                                                          **settings})
    assert status == 201, body
    return body["id"]


def hook(server, hook_id):
    status, body = admin(server, "GET", f"stream-hooks/{hook_id}")
    assert status == 200, body
    return body


@pytest.fixture
def env():
    server = Server("--in-memory")
    target = Target()
    ddb = make_client(server.endpoint)
    create(ddb)
    yield server, target, ddb
    server.stop()
    target.stop()


def test_declaring_a_hook_returns_its_id_and_echoes_lambda_settings(env):
    server, target, ddb = env
    settings = {"BatchSize": 10, "MaximumBatchingWindowInSeconds": 2, "StartingPosition": "LATEST",
                "MaximumRetryAttempts": 3, "MaximumRecordAgeInSeconds": 3600, "BisectBatchOnFunctionError": True,
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
                "FilterCriteria": {"Filters": [{"Pattern": json.dumps({"eventName": ["INSERT"]})}]},
                "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:000000000000:dlq"}}}
    status, body = admin(server, "POST", "stream-hooks", {"table": "orders", "url": target.url, **settings})
    assert status == 201, body
    hook_id = body["id"]
    assert hook_id.startswith("orders-") and body["hook"]["id"] == hook_id
    state = hook(server, hook_id)
    for name, value in settings.items():
        assert state[name] == value, name
    assert state["state"] == "ok" and state["declaredBy"] == "api"
    assert [h["id"] for h in admin(server, "GET", "stream-hooks")[1]["hooks"]] == [hook_id]
    # Declaring it again changes nothing and names the same hook.
    status, again = admin(server, "POST", "stream-hooks", {"table": "orders", "url": target.url})
    assert status == 200 and again["id"] == hook_id
    # Removing it by id.
    assert admin(server, "DELETE", f"stream-hooks/{hook_id}")[0] == 200
    assert admin(server, "GET", f"stream-hooks/{hook_id}")[0] == 404


@pytest.mark.parametrize("bad, words", [
    ({"BatchSize": 0}, "BatchSize"),
    ({"BatchSize": 10001}, "BatchSize"),
    ({"StartingPosition": "AT_TIMESTAMP"}, "TRIM_HORIZON or LATEST"),
    ({"MaximumRetryAttempts": -2}, "MaximumRetryAttempts"),
    ({"MaximumRecordAgeInSeconds": 0}, "MaximumRecordAgeInSeconds"),
    ({"FunctionResponseTypes": ["Everything"]}, "ReportBatchItemFailures"),
    ({"FilterCriteria": {"Filters": [{"Pattern": "{not json"}]}}, "not JSON"),
    ({"FilterCriteria": {"Filters": [{"Pattern": json.dumps({"eventName": "INSERT"})}]}}, "list"),
    ({"TumblingWindowInSeconds": 30}, "not supported"),
    ({"BatchSzie": 10}, "unknown stream hook setting"),
    ({"function": "fn"}, "--lambda-endpoint"),
])
def test_bad_settings_are_refused_with_what_is_wrong(env, bad, words):
    server, target, ddb = env
    body = {"table": "orders", **({} if "function" in bad else {"url": target.url}), **bad}
    status, answer = admin(server, "POST", "stream-hooks", body)
    assert status == 400 and answer["error"] == "BadRequest"
    assert words in answer["message"], answer
    assert admin(server, "GET", "stream-hooks")[1]["hooks"] == []


def test_bisect_halves_a_failing_batch_down_to_the_bad_record(env):
    server, target, ddb = env
    target.plan = lambda n, keys: (500, '{"errorMessage":"bad record"}') if "e" in keys else (200, "null")
    hook_id = add_paused(server, target, BatchSize=8, BisectBatchOnFunctionError=True, MaximumRetryAttempts=0)
    put(ddb, *"abcdefgh")
    assert admin(server, "POST", f"stream-hooks/{hook_id}/resume", {})[0] == 200
    assert wait_for(lambda: hook(server, hook_id)["lag"] == 0 and len(target.batches) == 7)
    assert target.batches == [list("abcdefgh"), list("abcd"), list("efgh"), list("ef"), ["e"], ["f"], ["g", "h"]]
    failures = admin(server, "GET", f"stream-hooks/{hook_id}/failures")[1]["failures"]
    assert len(failures) == 1
    assert failures[0]["DDBStreamBatchInfo"]["batchSize"] == 1
    assert failures[0]["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert hook(server, hook_id)["counters"]["bisections"] == 3


def test_filter_criteria_skip_records_as_processed(env):
    server, target, ddb = env
    pattern = {"eventName": ["INSERT", "MODIFY"],
               "dynamodb": {"NewImage": {"status": {"S": [{"anything-but": ["draft"]}]}}}}
    hook_id = add_paused(server, target, FilterCriteria={"Filters": [{"Pattern": json.dumps(pattern)}]})
    put(ddb, "a", status="paid")
    put(ddb, "b", status="draft")
    put(ddb, "c", status="shipped")
    ddb.delete_item(TableName="orders", Key={"pk": {"S": "a"}})  # REMOVE: not matched
    admin(server, "POST", f"stream-hooks/{hook_id}/resume", {})
    assert wait_for(lambda: hook(server, hook_id)["lag"] == 0)
    assert target.keys() == ["a", "c"]
    state = hook(server, hook_id)
    assert state["counters"]["recordsFiltered"] == 2 and state["counters"]["recordsDelivered"] == 2


def test_retry_limit_gives_up_into_the_failure_list_and_replay_delivers_it(env):
    server, target, ddb = env
    broken = {"on": True}
    target.plan = lambda n, keys: (500, "poisoned") if broken["on"] and "poison" in keys else (200, "null")
    hook_id = add_paused(server, target, MaximumRetryAttempts=2, BatchSize=1,
                         DestinationConfig={"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:000000000000:dlq"}})
    put(ddb, "ok-1", "poison", "ok-2")
    admin(server, "POST", f"stream-hooks/{hook_id}/resume", {})
    assert wait_for(lambda: hook(server, hook_id)["lag"] == 0)
    assert target.keys() == ["ok-1", "poison", "poison", "poison", "ok-2"]  # 1 attempt + 2 retries
    failures = admin(server, "GET", f"stream-hooks/{hook_id}/failures")[1]["failures"]
    assert len(failures) == 1
    f = failures[0]
    assert f["requestContext"]["approximateInvokeCount"] == 3
    assert f["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert f["responseContext"]["statusCode"] == 500
    assert f["DDBStreamBatchInfo"]["streamArn"] == ddb.describe_table(TableName="orders")["Table"]["LatestStreamArn"]
    assert f["destination"] == "arn:aws:sqs:us-east-1:000000000000:dlq" and f["version"] == "1.0"
    deliveries = admin(server, "GET", f"stream-hooks/{hook_id}/deliveries?limit=2")[1]["deliveries"]
    assert [d["outcome"] for d in deliveries] == ["delivered", "givenUp"]
    assert deliveries[1]["attemptCount"] == 3 and deliveries[1]["attempts"][0]["status"] == 500
    assert deliveries[1]["attempts"][0]["response"] == "poisoned"

    broken["on"] = False
    status, _ = admin(server, "POST", f"stream-hooks/{hook_id}/replay", {"failedBatch": f["failedBatch"]})
    assert status == 200
    assert wait_for(lambda: target.keys()[-1:] == ["poison"] and len(target.batches) == 6)
    assert wait_for(lambda: admin(server, "GET", f"stream-hooks/{hook_id}/failures")[1]["failures"][0]["replays"] == 1)
    assert admin(server, "POST", f"stream-hooks/{hook_id}/replay", {"failedBatch": "12345"})[0] == 400
    assert admin(server, "POST", f"stream-hooks/{hook_id}/replay", {})[0] == 400


def test_maximum_record_age_gives_up_old_records(env):
    server, target, ddb = env
    server.stop()
    server = Server("--in-memory", "--clock", "manual")
    try:
        ddb = make_client(server.endpoint)
        create(ddb)
        target.plan = lambda n, keys: (503, "down")
        status, body = admin(server, "POST", "stream-hooks", {"table": "orders", "url": target.url,
                                                              "MaximumRecordAgeInSeconds": 60})
        put(ddb, "old")
        assert wait_for(lambda: len(target.batches) >= 1)
        target.plan = lambda n, keys: (200, "null")
        assert admin(server, "POST", "clock", {"advanceSeconds": 61})[0] == 200
        put(ddb, "new")
        assert wait_for(lambda: target.keys()[-1:] == ["new"], timeout=40)
        failures = admin(server, "GET", f"stream-hooks/{body['id']}/failures")[1]["failures"]
        assert [f["requestContext"]["condition"] for f in failures] == ["RecordAgeExceeded"]
    finally:
        server.stop()


def test_starting_position_latest_and_replay_from_a_sequence_number(env):
    server, target, ddb = env
    put(ddb, "before")
    status, body = admin(server, "POST", "stream-hooks", {"table": "orders", "url": target.url,
                                                          "StartingPosition": "LATEST"})
    hook_id = body["id"]
    put(ddb, "after")
    assert wait_for(lambda: target.keys() == ["after"])
    shard = ddb_streams_first_sequence(server)
    assert admin(server, "POST", f"stream-hooks/{hook_id}/replay", {"fromSequenceNumber": shard})[0] == 200
    assert wait_for(lambda: target.keys() == ["after", "before", "after"])
    assert admin(server, "POST", f"stream-hooks/{hook_id}/replay", {"fromSequenceNumber": "x1"})[0] == 400
    assert admin(server, "POST", "stream-hooks/nope/replay", {"fromSequenceNumber": shard})[0] == 404


def ddb_streams_first_sequence(server):
    streams = make_client(server.endpoint, "dynamodbstreams")
    arn = streams.list_streams(TableName="orders")["Streams"][0]["StreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    return streams.get_records(ShardIterator=it)["Records"][0]["dynamodb"]["SequenceNumber"]


def test_pause_holds_records_and_resume_sends_them(env):
    server, target, ddb = env
    status, body = admin(server, "POST", "stream-hooks", {"table": "orders", "url": target.url})
    hook_id = body["id"]
    assert admin(server, "POST", f"stream-hooks/{hook_id}/pause", {})[1]["state"] == "paused"
    put(ddb, "a", "b")
    time.sleep(0.3)
    assert target.keys() == []
    state = hook(server, hook_id)
    assert state["lag"] == 2 and state["iteratorAgeMs"] >= 0
    assert admin(server, "POST", f"stream-hooks/{hook_id}/resume", {})[0] == 200
    assert wait_for(lambda: target.keys() == ["a", "b"])
    assert admin(server, "GET", f"stream-hooks/{hook_id}/pause")[0] == 405
    assert admin(server, "POST", f"stream-hooks/{hook_id}/explode", {})[0] == 404


def test_inspector_after_an_outage_a_recovery_and_a_restart(tmp_path):
    db = str(tmp_path / "hooks.sqlite")
    port = free_port()
    server = Server("--db", db)
    target = None
    try:
        ddb = make_client(server.endpoint)
        create(ddb)
        status, body = admin(server, "POST", "stream-hooks", {"table": "orders", "Enabled": False,
                                                              "url": f"http://127.0.0.1:{port}/hook"})
        hook_id = body["id"]
        put(ddb, "a", "b")
        admin(server, "POST", f"stream-hooks/{hook_id}/resume", {})
        # The target is down: attempts fail, the inspector says so.
        assert wait_for(lambda: hook(server, hook_id)["attempts"] >= 3)
        state = hook(server, hook_id)
        assert state["state"] == "failing" and state["lag"] == 2 and state["lastError"]
        deliveries = admin(server, "GET", f"stream-hooks/{hook_id}/deliveries")[1]["deliveries"]
        assert deliveries[0]["outcome"] == "retrying" and deliveries[0]["records"] == 2
        assert deliveries[0]["attempts"][0]["status"] is None and deliveries[0]["attempts"][0]["error"]
        # It comes back: the batch goes through on a retry (the backoff stays under a few seconds).
        target = Target(port)
        assert wait_for(lambda: target.keys() == ["a", "b"], timeout=20)
        assert wait_for(lambda: hook(server, hook_id)["state"] == "ok")
        state = hook(server, hook_id)
        assert state["lag"] == 0 and state["iteratorAgeMs"] == 0 and state["counters"]["recordsDelivered"] == 2
        failed_attempts = state["counters"]["failedAttempts"]
        assert failed_attempts >= 3
        assert server.stop() == 0
        # After a restart: the hook, its position and its history are still there; nothing is sent twice.
        server = Server("--db", db)
        put(make_client(server.endpoint), "c")
        assert wait_for(lambda: target.keys() == ["a", "b", "c"])
        assert wait_for(lambda: hook(server, hook_id)["lag"] == 0)  # its answer is in, too
        deliveries = admin(server, "GET", f"stream-hooks/{hook_id}/deliveries")[1]["deliveries"]
        assert [d["outcome"] for d in deliveries] == ["delivered", "delivered"]
        assert deliveries[1]["records"] == 2 and deliveries[1]["attemptCount"] == failed_attempts + 1
        assert deliveries[1]["attempts"][-1]["status"] == 200
    finally:
        server.stop()
        if target:
            target.stop()


def test_failed_attempts_are_logged_and_a_hook_without_a_stream_is_reported(tmp_path):
    target = Target()
    target.plan = lambda n, keys: (500, "nope")
    server = Server("--in-memory", "--stream-hook", f"orders={target.url}", "--stream-hook", f"plain={target.url}")
    try:
        ddb = make_client(server.endpoint)
        create(ddb)
        create(ddb, "plain", stream=False)
        put(ddb, "a")
        assert wait_for(lambda: len(target.batches) >= 2)
        hooks = {h["table"]: h for h in admin(server, "GET", "stream-hooks")[1]["hooks"]}
        assert "no stream" in hooks["plain"]["status"]
        assert hooks["orders"]["declaredBy"] == "flag"
    finally:
        server.stop()
        target.stop()
    log = server.proc.stderr.read()
    assert "does not exist (yet)" in log  # said at start-up
    assert "HTTP 500: nope" in log and "attempt 1" in log


def test_flag_declared_hooks_live_for_the_process_only(tmp_path):
    db = str(tmp_path / "flags.sqlite")
    target = Target()
    try:
        server = Server("--db", db, "--stream-hook", f"orders={target.url}")
        ddb = make_client(server.endpoint)
        create(ddb)
        put(ddb, "a")
        assert wait_for(lambda: target.keys() == ["a"])
        # The target has the batch; stop only once the hook has its answer (else "a" comes again,
        # at least once, as Lambda would).
        assert wait_for(lambda: admin(server, "GET", "stream-hooks")[1]["hooks"][0]["lag"] == 0)
        server.stop()
        # Without the flag: no hook, nothing retried towards the old URL.
        server = Server("--db", db)
        assert admin(server, "GET", "stream-hooks")[1]["hooks"] == []
        put(make_client(server.endpoint), "b")
        server.stop()
        # The same flag again: resumes where it left off (no redelivery of "a").
        server = Server("--db", db, "--stream-hook", f"orders={target.url}")
        assert wait_for(lambda: target.keys() == ["a", "b"])
        time.sleep(0.2)
        assert target.keys() == ["a", "b"]
        server.stop()
    finally:
        target.stop()


def test_stream_hook_flag_takes_json_and_the_settings_flags():
    target = Target()
    target.plan = lambda n, keys: (500, "x") if "bad" in keys else (200, "null")
    decl = json.dumps({"table": "orders", "url": target.url, "BatchSize": 2, "MaximumRetryAttempts": 0})
    server = Server("--in-memory", "--stream-hook", decl, "--stream-bisect-on-error")
    try:
        ddb = make_client(server.endpoint)
        create(ddb)
        state = admin(server, "GET", "stream-hooks")[1]["hooks"][0]
        assert state["BatchSize"] == 2 and state["BisectBatchOnFunctionError"] is True
        assert state["MaximumRetryAttempts"] == 0
        admin(server, "POST", f"stream-hooks/{state['id']}/pause", {})
        put(ddb, "ok", "bad")
        admin(server, "POST", f"stream-hooks/{state['id']}/resume", {})
        assert wait_for(lambda: len(target.batches) == 3)
        assert target.batches == [["ok", "bad"], ["ok"], ["bad"]]
    finally:
        server.stop()
        target.stop()


def test_hook_by_function_name_invokes_lambdas_invoke_api():
    target = Target()
    # Lambda's Invoke API answers a function error with 200 and X-Amz-Function-Error.
    target.plan = lambda n, keys: ((200, '{"errorMessage":"boom","errorType":"Exception"}',
                                    {"X-Amz-Function-Error": "Unhandled"}) if n == 0 else (200, "null"))
    server = Server("--in-memory", "--lambda-endpoint", f"http://127.0.0.1:{target.port}")
    try:
        ddb = make_client(server.endpoint)
        create(ddb)
        status, body = admin(server, "POST", "stream-hooks", {"table": "orders", "function": "cruddur-messaging"})
        assert status == 201, body
        assert body["hook"]["function"] == "cruddur-messaging"
        put(ddb, "a")
        assert wait_for(lambda: len(target.batches) == 2)
        assert target.batches == [["a"], ["a"]]
        assert set(target.paths) == {"/2015-03-31/functions/cruddur-messaging/invocations"}
        deliveries = admin(server, "GET", f"stream-hooks/{body['id']}/deliveries")[1]["deliveries"]
        assert "function error" in deliveries[0]["attempts"][0]["error"]
    finally:
        server.stop()
        target.stop()
