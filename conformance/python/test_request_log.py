"""GET /_localddb/requests: the last requests of the DynamoDB API (500 by default), newest first,
with their bodies cut to 16 KiB; the admin API's own calls are never recorded."""
import json
import subprocess
import urllib.error
import urllib.request

import pytest

from conftest import AGAINST_LOCAL, Server, localddb_binary, make_client

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="localddb's own endpoint")


def admin(endpoint, method, path, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(endpoint + "/_localddb" + path, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req) as res:
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


@pytest.fixture
def server():
    s = Server("--in-memory")
    yield s
    s.stop()


def make_table(ddb, name="logged"):
    ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")


def test_newest_first_with_what_each_was_and_got(server):
    ddb = make_client(server.endpoint)
    make_table(ddb)
    ddb.put_item(TableName="logged", Item={"pk": {"S": "a"}, "v": {"N": "1"}}, ReturnConsumedCapacity="TOTAL")
    with pytest.raises(ddb.exceptions.ResourceNotFoundException) as e:
        ddb.get_item(TableName="absent", Key={"pk": {"S": "a"}})
    request_id = e.value.response["ResponseMetadata"]["RequestId"]

    status, out = admin(server.endpoint, "GET", "/requests")
    assert status == 200
    assert out["size"] == 500
    got = [(r["operation"], r["table"], r["status"], r["errorType"]) for r in out["requests"]]
    assert got == [("GetItem", "absent", 400, "ResourceNotFoundException"), ("PutItem", "logged", 200, ""),
                   ("CreateTable", "logged", 200, "")]
    put = out["requests"][1]
    assert put["consumedCapacity"] == {"TableName": "logged", "CapacityUnits": 1.0}
    assert put["latencyMs"] >= 0 and put["time"].endswith("Z")
    assert "requestBody" not in put  # the list leaves the bodies out

    status, one = admin(server.endpoint, "GET", "/requests/" + request_id)
    assert status == 200
    assert one["id"] == request_id
    assert json.loads(one["requestBody"]) == {"TableName": "absent", "Key": {"pk": {"S": "a"}}}
    assert json.loads(one["responseBody"])["__type"].endswith("#ResourceNotFoundException")
    assert one["requestTruncated"] is False

    status, missing = admin(server.endpoint, "GET", "/requests/NOPE")
    assert (status, missing["error"]) == (404, "RequestNotFound")


def test_bounded_at_500_and_bodies_cut_to_16_kib(server):
    ddb = make_client(server.endpoint)
    make_table(ddb)
    big = "x" * 40000
    ddb.put_item(TableName="logged", Item={"pk": {"S": "big"}, "v": {"S": big}})
    ids = []
    for i in range(510):
        ids.append(ddb.get_item(TableName="logged", Key={"pk": {"S": f"k{i}"}})["ResponseMetadata"]["RequestId"])
    status, out = admin(server.endpoint, "GET", "/requests")
    assert status == 200
    assert [r["id"] for r in out["requests"]] == ids[::-1][:500]
    _, limited = admin(server.endpoint, "GET", "/requests?limit=2")
    assert [r["id"] for r in limited["requests"]] == ids[:-3:-1]

    got = ddb.get_item(TableName="logged", Key={"pk": {"S": "big"}})
    _, one = admin(server.endpoint, "GET", "/requests/" + got["ResponseMetadata"]["RequestId"])
    assert one["responseBytes"] > 40000
    assert len(one["responseBody"]) == 16 * 1024 and one["responseTruncated"] is True
    assert one["responseBody"].startswith('{"Item":')


def test_admin_calls_are_not_recorded_and_clear_forgets(server):
    ddb = make_client(server.endpoint)
    make_table(ddb)
    admin(server.endpoint, "POST", "/stream-hooks", {"table": "logged", "url": "http://127.0.0.1:9/x"})
    admin(server.endpoint, "GET", "/health")
    admin(server.endpoint, "GET", "/snapshots")
    urllib.request.urlopen(server.endpoint + "/_localddb/console").read()
    _, out = admin(server.endpoint, "GET", "/requests")
    assert [r["operation"] for r in out["requests"]] == ["CreateTable"]

    status, cleared = admin(server.endpoint, "DELETE", "/requests")
    assert status == 200 and cleared["requests"] == []
    _, out = admin(server.endpoint, "GET", "/requests")
    assert out["requests"] == []


def test_by_namespace_unless_every_one_is_asked_for(server):
    ddb = make_client(server.endpoint)
    make_table(ddb)
    team = make_client(server.endpoint + "/ns/team-1")
    make_table(team, "theirs")
    _, default = admin(server.endpoint, "GET", "/requests")
    assert [r["table"] for r in default["requests"]] == ["logged"]
    _, theirs = admin(server.endpoint, "GET", "/requests?namespace=team-1")
    assert [r["table"] for r in theirs["requests"]] == ["theirs"]
    _, every = admin(server.endpoint, "GET", "/requests?all=true")
    assert [(r["namespace"], r["table"]) for r in every["requests"]] == [("team-1", "theirs"), ("default", "logged")]


def test_refused_requests_are_recorded_with_their_error():
    server = Server("--in-memory")
    try:
        req = urllib.request.Request(server.endpoint + "/", data=b"{}", method="POST",
                                     headers={"X-Amz-Target": "DynamoDB_20120810.ListTables"})
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(req)
        _, out = admin(server.endpoint, "GET", "/requests")
        [r] = out["requests"]
        assert (r["operation"], r["status"], r["errorType"]) == ("ListTables", 400, "MissingAuthenticationTokenException")
    finally:
        server.stop()


def test_off_with_size_0():
    server = Server("--in-memory", "--request-log-size", "0")
    try:
        make_client(server.endpoint).list_tables()
        status, out = admin(server.endpoint, "GET", "/requests")
        assert (status, out["error"]) == (404, "RequestLogOff")
    finally:
        server.stop()


def test_behind_the_admin_gate(server):
    status, out = admin(server.endpoint, "GET", "/requests", headers={"Origin": "http://evil.example"})
    assert (status, out["error"]) == (403, "ForbiddenOrigin")
    status, out = admin(server.endpoint, "GET", "/requests", headers={"Host": "evil.example"})
    assert (status, out["error"]) == (403, "ForbiddenHost")


def test_a_wrong_size_is_refused():
    for size in ("-1", "10001", "many"):
        run = subprocess.run([localddb_binary(), "--request-log-size", size], capture_output=True, text=True)
        assert run.returncode == 2, size
        assert "--request-log-size" in run.stderr


def test_console_files_are_open_when_the_admin_api_needs_its_token():
    server = Server("--in-memory", "--admin-token", "console-test-token")
    try:
        with urllib.request.urlopen(server.endpoint + "/_localddb/console") as res:
            assert res.status == 200
            assert "default-src 'self'" in res.headers["Content-Security-Policy"]
        status, out = admin(server.endpoint, "GET", "/requests")
        assert (status, out["error"]) == (401, "Unauthorized")
        status, _ = admin(server.endpoint, "GET", "/requests",
                          headers={"Authorization": "Bearer console-test-token"})
        assert status == 200
        # Only reading the files is open.
        status, out = admin(server.endpoint, "POST", "/console", {})
        assert status == 401
    finally:
        server.stop()
