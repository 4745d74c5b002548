"""The server clock (/_localddb/clock, --clock manual, --clock-start) and Time to Live: expired items
are deleted by the sweeper or POST /_localddb/ttl/sweep, with index updates and Service REMOVE
stream records (GetRecords and stream hooks). localddb-only (it is our feature)."""
import time
from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError

from conftest import AGAINST_LOCAL, Server, make_client
from test_admin_security import request
from test_reset import read_stream, scan_all, streams_client
from test_stream_hooks import Target, wait_for

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="the clock and TTL sweeps are localddb's own API")

JSON = {"Content-Type": "application/json"}
START = datetime(2030, 1, 1, tzinfo=timezone.utc)
T0 = int(START.timestamp())
FIVE_YEARS = 5 * 365 * 24 * 3600
SERVICE = {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}
SERVICE_LAMBDA = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}


def admin(server, method, path, body=None, headers=JSON):
    status, parsed, _ = request(server, method, path, body, headers)
    return status, parsed


def parse_iso(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def clock(server):
    status, body = admin(server, "GET", "/_localddb/clock")
    assert status == 200 and set(body) == {"now", "mode"}, body
    return parse_iso(body["now"]), body["mode"]


def advance(server, seconds):
    status, body = admin(server, "POST", "/_localddb/clock", {"advanceSeconds": seconds})
    assert status == 200, body
    return parse_iso(body["now"])


def sweep(server, ns_prefix=""):
    status, body = admin(server, "POST", ns_prefix + "/_localddb/ttl/sweep")
    assert status == 200 and set(body) == {"deleted"}, body
    return body["deleted"]


def manual_server(sweep_interval="0"):
    return Server("--in-memory", "--clock", "manual", "--clock-start", "2030-01-01T00:00:00Z",
                  "--ttl-sweep-interval", sweep_interval)


@pytest.fixture
def server():
    server = manual_server()
    yield server
    server.stop()


def create_ttl_table(ddb, name, view="NEW_AND_OLD_IMAGES", attribute="exp"):
    params = dict(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"},
                              {"AttributeName": "l", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
        LocalSecondaryIndexes=[{"IndexName": "by-l", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                   {"AttributeName": "l", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    if view:
        params["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": view}
    ddb.create_table(**params)
    if attribute:
        ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute})


def ttl_item(sk, exp=None, exp_type="N"):
    item = {"pk": {"S": "p"}, "sk": {"S": sk}, "g": {"S": "all"}, "l": {"S": "l-" + sk}, "data": {"S": sk * 3}}
    if exp is not None:
        item["exp"] = {exp_type: str(exp)}
    return item


def present(ddb, table):
    return sorted(i["sk"]["S"] for i in scan_all(ddb, table))


def gsi(ddb, table):
    return sorted(i["sk"]["S"] for i in ddb.query(TableName=table, IndexName="by-g", KeyConditionExpression="g = :g",
                                                    ExpressionAttributeValues={":g": {"S": "all"}})["Items"])


def lsi(ddb, table):
    return sorted(i["sk"]["S"] for i in ddb.query(TableName=table, IndexName="by-l", KeyConditionExpression="pk = :p",
                                                    ExpressionAttributeValues={":p": {"S": "p"}})["Items"])


# --- the clock ---------------------------------------------------------------------------------

def test_manual_clock_reads_advances_and_sets(server):
    assert clock(server) == (START, "manual")
    time.sleep(0.3)
    assert clock(server) == (START, "manual")  # a manual clock does not move by itself
    assert advance(server, 90) == START + timedelta(seconds=90)
    assert advance(server, 0.5) == START + timedelta(seconds=90.5)
    assert advance(server, -30.5) == START + timedelta(seconds=60)
    assert clock(server) == (START + timedelta(seconds=60), "manual")
    status, body = admin(server, "POST", "/_localddb/clock", {"set": "2031-06-15T12:30:00Z"})
    assert status == 200 and parse_iso(body["now"]) == datetime(2031, 6, 15, 12, 30, tzinfo=timezone.utc)
    assert body["mode"] == "manual"
    status, body = admin(server, "POST", "/_localddb/clock", {"set": "2031-06-15T14:30:00+02:00"})
    assert status == 200 and parse_iso(body["now"]) == datetime(2031, 6, 15, 12, 30, tzinfo=timezone.utc)

    status, body = admin(server, "POST", "/_localddb/clock", {"mode": "real"})
    assert status == 200 and body["mode"] == "real"
    assert abs(parse_iso(body["now"]) - datetime.now(timezone.utc)) < timedelta(seconds=5)
    first, _ = clock(server)
    time.sleep(0.05)
    assert clock(server)[0] > first
    status, body = admin(server, "POST", "/_localddb/clock", {"mode": "manual"})
    assert status == 200 and body["mode"] == "manual"
    frozen = parse_iso(body["now"])
    time.sleep(0.05)
    assert clock(server) == (frozen, "manual")
    # Setting the time makes a real clock manual.
    admin(server, "POST", "/_localddb/clock", {"mode": "real"})
    status, body = admin(server, "POST", "/_localddb/clock", {"set": "2030-01-01T00:00:00Z"})
    assert status == 200 and (parse_iso(body["now"]), body["mode"]) == (START, "manual")


def test_clock_defaults_to_real():
    server = Server("--in-memory")
    try:
        now, mode = clock(server)
        assert mode == "real" and abs(now - datetime.now(timezone.utc)) < timedelta(seconds=5)
    finally:
        server.stop()


def test_bad_clock_values_are_refused_and_change_nothing(server):
    advance(server, 10)
    expected = clock(server)
    accepted = []
    for body in ({"advanceSeconds": "10"}, {"advanceSeconds": None}, {"advanceSeconds": True},
                 {"advanceSeconds": [1]}, {"advanceSeconds": 1e11}, {"advanceSeconds": -1e11},
                 {"set": "not a time"}, {"set": "2030-13-01T00:00:00Z"}, {"set": "2030-02-30T00:00:00Z"},
                 {"set": "2030-01-01T25:00:00Z"}, {"set": ""}, {"set": 1893456000}, {"set": None},
                 {"mode": "fast"}, {"mode": ""}, {"mode": None}, {}, {"speed": 2},
                 {"advanceSeconds": 1, "set": "2030-01-01T00:00:00Z"}, {"advanceSeconds": 1, "mode": "real"}):
        status, answer = admin(server, "POST", "/_localddb/clock", body)
        if status != 400 or answer.get("error") != "InvalidClock" or not answer.get("message"):
            accepted.append((body, status, answer))
        if clock(server) != expected:  # put it back, so that one bad answer does not hide the others
            admin(server, "POST", "/_localddb/clock", {"set": expected[0].isoformat()})
    assert accepted == [], "bad clock values not refused with 400 InvalidClock"
    status, answer = admin(server, "POST", "/_localddb/clock", b"{advance")
    assert status == 400 and set(answer) == {"error", "message"}
    for method in ("PUT", "DELETE", "PATCH"):
        status, answer = admin(server, method, "/_localddb/clock", {"advanceSeconds": 1})
        assert status == 405 and answer["error"] == "MethodNotAllowed", method
    status, answer, _ = request(server, "POST", "/_localddb/clock", b'{"advanceSeconds": 1}',
                                {"Content-Type": "text/plain"})
    assert status == 415
    assert clock(server) == expected


@pytest.mark.parametrize("args,needle", [
    (["--clock", "frozen"], "--clock"),
    (["--clock", "manual", "--clock-start", "yesterday"], "--clock-start"),
    (["--clock", "manual", "--clock-start", "2030-02-31T00:00:00Z"], "--clock-start"),
    (["--ttl-sweep-interval", "-1"], "--ttl-sweep-interval"),
    (["--ttl-sweep-interval", "soon"], "--ttl-sweep-interval"),
])
def test_bad_clock_flags_stop_start_up(args, needle):
    try:
        started = Server("--in-memory", *args)
    except RuntimeError as e:
        assert needle in str(e)
        return
    started.stop()
    pytest.fail(f"localddb started with {args}")


def test_clock_drives_creation_time_stream_times_and_iterator_expiry(server):
    ddb = make_client(server.endpoint)
    streams = streams_client(server.endpoint)
    create_ttl_table(ddb, "timed", view="KEYS_ONLY", attribute=None)
    table = ddb.describe_table(TableName="timed")["Table"]
    assert table["CreationDateTime"] == START
    assert table["LatestStreamLabel"].startswith("2030-01-01T00:00:00")
    advance(server, 3600)
    ddb.put_item(TableName="timed", Item=ttl_item("a"))
    arn = table["LatestStreamArn"]
    records = read_stream(streams, arn)
    assert len(records) == 1
    at = records[0]["dynamodb"]["ApproximateCreationDateTime"]
    assert START + timedelta(seconds=3600) <= at < START + timedelta(seconds=3601)
    # A table created later says so.
    create_ttl_table(ddb, "later", view=None, attribute=None)
    assert ddb.describe_table(TableName="later")["Table"]["CreationDateTime"] == START + timedelta(seconds=3600)

    # Shard iterators expire 15 minutes after they were handed out, by this clock.
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    advance(server, 14 * 60)
    assert len(streams.get_records(ShardIterator=iterator)["Records"]) == 1
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    advance(server, 16 * 60)
    with pytest.raises(ClientError) as e:
        streams.get_records(ShardIterator=iterator)
    assert e.value.response["Error"]["Code"] == "ExpiredIteratorException"


# --- TTL ---------------------------------------------------------------------------------------

def test_items_expire_only_after_the_clock_passes_and_a_sweep_runs(server):
    ddb = make_client(server.endpoint)
    streams = streams_client(server.endpoint)
    target = Target()
    try:
        create_ttl_table(ddb, "sessions")
        assert admin(server, "POST", "/_localddb/stream-hooks", {"table": "sessions", "url": target.url})[0] == 201
        items = {
            "past": ttl_item("past", T0 - 10),                   # already expired when written
            "soon": ttl_item("soon", T0 + 100),
            "later": ttl_item("later", T0 + 1000),
            "exact": ttl_item("exact", T0 + 100 + 100),          # expires once the clock is past it
            "string": ttl_item("string", T0 - 10, exp_type="S"),  # not a Number: left alone
            "ancient": ttl_item("ancient", T0 - FIVE_YEARS - 86400),  # more than five years ago: left alone
            "old": ttl_item("old", T0 - 4 * 365 * 86400),        # four years ago: expired
            "none": ttl_item("none"),
            "fraction": ttl_item("fraction", f"{T0 + 150}.75"),
        }
        for it in items.values():
            ddb.put_item(TableName="sessions", Item=it)
        everything = sorted(items)
        # Expired but not yet swept: still read, by every read.
        assert present(ddb, "sessions") == everything
        assert ddb.get_item(TableName="sessions", Key={"pk": {"S": "p"}, "sk": {"S": "past"}},
                            ConsistentRead=True)["Item"] == items["past"]
        assert gsi(ddb, "sessions") == everything and lsi(ddb, "sessions") == everything

        assert sweep(server) == 2  # past, old
        gone = {"past", "old"}
        assert present(ddb, "sessions") == sorted(set(items) - gone)
        assert sweep(server) == 0

        advance(server, 99)  # T0 + 99: "soon" not yet
        assert sweep(server) == 0
        advance(server, 2)  # T0 + 101
        assert present(ddb, "sessions") == sorted(set(items) - gone)  # not swept yet: still there
        assert sweep(server) == 1
        gone.add("soon")
        advance(server, 99)  # T0 + 200: "fraction" (T0 + 150.75) goes; "exact" is not earlier than the clock
        assert sweep(server) == 1
        gone.add("fraction")
        assert "exact" in present(ddb, "sessions")
        advance(server, 1)  # T0 + 201
        assert sweep(server) == 1
        gone.add("exact")
        remaining = sorted(set(items) - gone)
        assert remaining == ["ancient", "later", "none", "string"]
        assert present(ddb, "sessions") == remaining
        assert gsi(ddb, "sessions") == remaining and lsi(ddb, "sessions") == remaining
        table = ddb.describe_table(TableName="sessions")["Table"]
        assert table["ItemCount"] == 4 and table["GlobalSecondaryIndexes"][0]["ItemCount"] == 4
        assert table["LocalSecondaryIndexes"][0]["ItemCount"] == 4

        advance(server, 1000)  # T0 + 1201: "later" goes; the others never do
        assert sweep(server) == 1
        advance(server, 10 * 365 * 86400)
        assert sweep(server) == 0
        assert present(ddb, "sessions") == ["ancient", "none", "string"]

        # A client's own delete is not the service's.
        ddb.delete_item(TableName="sessions", Key={"pk": {"S": "p"}, "sk": {"S": "none"}})

        arn = table["LatestStreamArn"]
        records = read_stream(streams, arn)
        removes = [r for r in records if r["eventName"] == "REMOVE"]
        assert [r["dynamodb"]["Keys"]["sk"]["S"] for r in removes] == \
               ["past", "old", "soon", "fraction", "exact", "later", "none"] or \
               [r["dynamodb"]["Keys"]["sk"]["S"] for r in removes[:2]] == ["old", "past"]
        by_key = {r["dynamodb"]["Keys"]["sk"]["S"]: r for r in removes}
        for key in ("past", "old", "soon", "exact", "fraction", "later"):
            record = by_key[key]
            assert record.get("userIdentity") == SERVICE, record
            assert record["dynamodb"]["OldImage"] == items[key]
            assert "NewImage" not in record["dynamodb"]
            assert record["dynamodb"]["Keys"] == {"pk": {"S": "p"}, "sk": {"S": key}}
        assert "userIdentity" not in by_key["none"]
        assert all("userIdentity" not in r for r in records if r["eventName"] == "INSERT")
        # Each REMOVE carries the clock's time of its sweep.
        assert START + timedelta(seconds=101) <= by_key["soon"]["dynamodb"]["ApproximateCreationDateTime"] \
            < START + timedelta(seconds=102)

        # The stream hook gets the same REMOVE records, in the Lambda event's spelling.
        def hook_removes():
            return {r["dynamodb"]["Keys"]["sk"]["S"]: r for b in target.batches for r in b["Records"]
                    if r["eventName"] == "REMOVE"}

        assert wait_for(lambda: len(hook_removes()) == 7), target.batches
        for key in ("past", "old", "soon", "exact", "fraction", "later"):
            record = hook_removes()[key]
            assert record.get("userIdentity") == SERVICE_LAMBDA, record
            assert record["dynamodb"]["OldImage"] == items[key]
            assert record["eventSourceARN"] == arn and record["eventSource"] == "aws:dynamodb"
        assert "userIdentity" not in hook_removes()["none"]
        soon_at = hook_removes()["soon"]["dynamodb"]["ApproximateCreationDateTime"]
        assert T0 + 101 <= soon_at < T0 + 102
    finally:
        target.stop()


@pytest.mark.parametrize("view,old,keys_only", [("KEYS_ONLY", False, True), ("NEW_IMAGE", False, False),
                                                ("OLD_IMAGE", True, False)])
def test_expiry_record_follows_the_view_type(server, view, old, keys_only):
    ddb = make_client(server.endpoint)
    streams = streams_client(server.endpoint)
    create_ttl_table(ddb, "viewed")
    ddb.update_table(TableName="viewed", StreamSpecification={"StreamEnabled": False})
    ddb.update_table(TableName="viewed", StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
    ddb.put_item(TableName="viewed", Item=ttl_item("x", T0 - 1))
    assert sweep(server) == 1
    arn = ddb.describe_table(TableName="viewed")["Table"]["LatestStreamArn"]
    records = read_stream(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "REMOVE"]
    remove = records[1]
    assert remove["userIdentity"] == SERVICE
    assert remove["dynamodb"]["StreamViewType"] == view
    assert ("OldImage" in remove["dynamodb"]) == old and "NewImage" not in remove["dynamodb"]
    if old:
        assert remove["dynamodb"]["OldImage"] == ttl_item("x", T0 - 1)


def test_ttl_setting_changes_and_updated_expiry(server):
    ddb = make_client(server.endpoint)
    create_ttl_table(ddb, "settings", view=None, attribute=None)
    # Written before TTL was enabled: expired items are found once it is.
    ddb.put_item(TableName="settings", Item=ttl_item("early", T0 - 5))
    ddb.put_item(TableName="settings", Item=ttl_item("moved", T0 - 5))
    ddb.put_item(TableName="settings", Item=ttl_item("retyped", T0 - 5))
    assert sweep(server) == 0
    ddb.update_time_to_live(TableName="settings", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    # Moved into the future, or to a String, before a sweep: not expired any more.
    ddb.update_item(TableName="settings", Key={"pk": {"S": "p"}, "sk": {"S": "moved"}}, UpdateExpression="SET exp = :e",
                    ExpressionAttributeValues={":e": {"N": str(T0 + 500)}})
    ddb.update_item(TableName="settings", Key={"pk": {"S": "p"}, "sk": {"S": "retyped"}},
                    UpdateExpression="SET exp = :e", ExpressionAttributeValues={":e": {"S": "soon"}})
    assert sweep(server) == 1
    assert present(ddb, "settings") == ["moved", "retyped"]
    # Disabled: nothing expires.
    ddb.update_time_to_live(TableName="settings", TimeToLiveSpecification={"Enabled": False, "AttributeName": "exp"})
    advance(server, 1000)
    assert sweep(server) == 0
    assert present(ddb, "settings") == ["moved", "retyped"]
    # Enabled on another attribute: only that one counts.
    ddb.put_item(TableName="settings", Item={**ttl_item("other"), "until": {"N": str(T0)}})
    ddb.update_time_to_live(TableName="settings", TimeToLiveSpecification={"Enabled": True, "AttributeName": "until"})
    assert sweep(server) == 1
    assert present(ddb, "settings") == ["moved", "retyped"]
    assert gsi(ddb, "settings") == ["moved", "retyped"]


def test_ttl_sweep_is_per_namespace_and_post_only(server):
    alpha = make_client(server.endpoint + "/ns/alpha")
    default = make_client(server.endpoint)
    for client in (alpha, default):
        create_ttl_table(client, "shared", view=None)
        client.put_item(TableName="shared", Item=ttl_item("x", T0 - 1))
    assert sweep(server, "/ns/alpha") == 1
    assert present(alpha, "shared") == [] and present(default, "shared") == ["x"]
    status, body = admin(server, "POST", "/_localddb/ttl/sweep?namespace=nobody")
    assert status == 200 and body == {"deleted": 0}
    assert sweep(server) == 1
    for method in ("GET", "PUT", "DELETE"):
        status, body = admin(server, method, "/_localddb/ttl/sweep")
        assert status == 405 and body["error"] == "MethodNotAllowed", method
    status, body, _ = request(server, "POST", "/_localddb/ttl/sweep", b"{}", {"Content-Type": "text/plain"})
    assert status == 415
    assert admin(server, "POST", "/_localddb/ttl")[0] == 404


def test_background_sweeper_deletes_once_the_clock_passes():
    server = manual_server(sweep_interval="0.1")
    try:
        ddb = make_client(server.endpoint)
        alpha = make_client(server.endpoint + "/ns/alpha")
        for client in (ddb, alpha):
            create_ttl_table(client, "bground", view="KEYS_ONLY")
            client.put_item(TableName="bground", Item=ttl_item("x", T0 + 60))
        time.sleep(0.5)
        assert present(ddb, "bground") == ["x"] and present(alpha, "bground") == ["x"]
        advance(server, 61)
        assert wait_for(lambda: present(ddb, "bground") == [] and present(alpha, "bground") == [], timeout=5)
        records = read_stream(streams_client(server.endpoint),
                              ddb.describe_table(TableName="bground")["Table"]["LatestStreamArn"])
        assert [(r["eventName"], r.get("userIdentity")) for r in records] == [("INSERT", None), ("REMOVE", SERVICE)]
    finally:
        server.stop()


def test_sweep_interval_zero_turns_the_sweeper_off(server):
    ddb = make_client(server.endpoint)
    create_ttl_table(ddb, "off", view=None)
    ddb.put_item(TableName="off", Item=ttl_item("x", T0 - 1))
    time.sleep(1.5)
    assert present(ddb, "off") == ["x"]
    assert sweep(server) == 1


def test_default_real_clock_sweeps_every_second():
    server = Server("--in-memory")
    try:
        ddb = make_client(server.endpoint)
        create_ttl_table(ddb, "real", view=None)
        now = int(time.time())
        ddb.put_item(TableName="real", Item=ttl_item("expired", now - 60))
        ddb.put_item(TableName="real", Item=ttl_item("fresh", now + 3600))
        assert wait_for(lambda: present(ddb, "real") == ["fresh"], timeout=4)
        assert gsi(ddb, "real") == ["fresh"]
    finally:
        server.stop()
