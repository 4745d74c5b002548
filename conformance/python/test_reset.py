"""POST /_localddb/reset (the test double's reset): drop and truncate, the answer's counts, the
refusals, and a reset racing client traffic. localddb-only (it is our feature)."""
import threading
import time

import boto3
import pytest
from botocore.exceptions import ClientError

from conftest import AGAINST_LOCAL, REGION, Server, make_client
from test_admin_security import request
from test_stream_hooks import Target, wait_for

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="reset is localddb's own admin API")

JSON = {"Content-Type": "application/json"}


def admin(server, method, path, body=None, headers=JSON):
    """(status, parsed JSON) of an admin call, sent as a local script would."""
    status, parsed, _ = request(server, method, path, body, headers)
    return status, parsed


def streams_client(endpoint):
    return boto3.client("dynamodbstreams", endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id="local", aws_secret_access_key="local")


def read_stream(streams, arn):
    records = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            page = streams.get_records(ShardIterator=it)
            records += page["Records"]
            if not page["Records"]:
                break
            it = page.get("NextShardIterator")
    return records


def create_indexed(ddb, name, stream="NEW_AND_OLD_IMAGES"):
    params = dict(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"},
                              {"AttributeName": "l", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                                                                    {"AttributeName": "sk", "KeyType": "RANGE"}],
                                 "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["v"]}}],
        LocalSecondaryIndexes=[{"IndexName": "by-l", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                   {"AttributeName": "l", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        Tags=[{"Key": "team", "Value": "qa"}])
    if stream:
        params["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream}
    ddb.create_table(**params)


def item(pk, sk, g="x", l=1, v="v"):
    return {"pk": {"S": pk}, "sk": {"S": sk}, "g": {"S": g}, "l": {"N": str(l)}, "v": {"S": v}}


def scan_all(ddb, table):
    items, kwargs = [], {}
    while True:
        page = ddb.scan(TableName=table, ConsistentRead=True, **kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


@pytest.fixture
def server():
    server = Server("--in-memory")
    yield server
    server.stop()


def test_default_reset_drops_every_table_stream_and_hook(server):
    ddb = make_client(server.endpoint)
    streams = streams_client(server.endpoint)
    create_indexed(ddb, "orders")
    ddb.create_table(TableName="plain", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    for i in range(5):
        ddb.put_item(TableName="orders", Item=item("p", f"s{i}", l=i))
    for i in range(3):
        ddb.put_item(TableName="plain", Item={"pk": {"S": f"k{i}"}})
    arn = ddb.describe_table(TableName="orders")["Table"]["LatestStreamArn"]
    hook = {"table": "orders", "url": "http://127.0.0.1:9/h"}
    assert admin(server, "POST", "/_localddb/stream-hooks", hook)[0] == 201

    status, body = admin(server, "POST", "/_localddb/reset")  # no body: drop
    assert status == 200, body
    assert body == {"tables": 2, "items": 8}
    assert ddb.list_tables()["TableNames"] == []
    for table in ("orders", "plain"):
        with pytest.raises(ClientError) as e:
            ddb.describe_table(TableName=table)
        assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName="orders", Item=item("p", "s9"))
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert streams.list_streams()["Streams"] == []
    with pytest.raises(ClientError) as e:
        streams.describe_stream(StreamArn=arn)
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert admin(server, "GET", "/_localddb/stream-hooks")[1]["hooks"] == []
    assert admin(server, "GET", "/_localddb/health")[1]["tables"] == 0

    # The namespace is usable at once: the same name is a brand-new table.
    create_indexed(ddb, "orders", stream=None)
    assert ddb.describe_table(TableName="orders")["Table"]["ItemCount"] == 0
    assert "LatestStreamArn" not in ddb.describe_table(TableName="orders")["Table"]
    assert scan_all(ddb, "orders") == []
    # An explicit {"mode": "drop"} is the same, and counts what it removed.
    ddb.put_item(TableName="orders", Item=item("p", "s0"))
    assert admin(server, "POST", "/_localddb/reset", {"mode": "drop"}) == (200, {"tables": 1, "items": 1})
    assert ddb.list_tables()["TableNames"] == []
    # Reset of an empty namespace: nothing to do.
    assert admin(server, "POST", "/_localddb/reset", {"mode": "drop"}) == (200, {"tables": 0, "items": 0})


def test_truncate_keeps_tables_indexes_settings_and_stream_arn(server):
    ddb = make_client(server.endpoint)
    streams = streams_client(server.endpoint)
    target = Target()
    try:
        create_indexed(ddb, "orders")
        ddb.update_time_to_live(TableName="orders", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
        assert admin(server, "POST", "/_localddb/stream-hooks", {"table": "orders", "url": target.url})[0] == 201
        for i in range(6):
            ddb.put_item(TableName="orders", Item=item("p", f"s{i}", g="old", l=i))
        assert wait_for(lambda: len(target.delivered_keys()) >= 6)
        before = ddb.describe_table(TableName="orders")["Table"]
        arn = before["LatestStreamArn"]
        old_sequence_numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in read_stream(streams, arn)]
        assert len(old_sequence_numbers) == 6

        status, body = admin(server, "POST", "/_localddb/reset", {"mode": "truncate"})
        assert status == 200, body
        assert body == {"tables": 1, "items": 6}

        after = ddb.describe_table(TableName="orders")["Table"]
        for key in ("TableName", "TableArn", "TableId", "KeySchema", "AttributeDefinitions", "StreamSpecification",
                    "LatestStreamArn", "LatestStreamLabel", "BillingModeSummary", "CreationDateTime"):
            assert after.get(key) == before.get(key), key
        assert [(g["IndexName"], g["KeySchema"], g["Projection"]) for g in after["GlobalSecondaryIndexes"]] == \
               [(g["IndexName"], g["KeySchema"], g["Projection"]) for g in before["GlobalSecondaryIndexes"]]
        assert [(x["IndexName"], x["KeySchema"]) for x in after["LocalSecondaryIndexes"]] == \
               [(x["IndexName"], x["KeySchema"]) for x in before["LocalSecondaryIndexes"]]
        assert after["ItemCount"] == 0 and after["GlobalSecondaryIndexes"][0]["ItemCount"] == 0
        assert ddb.describe_time_to_live(TableName="orders")["TimeToLiveDescription"] == \
               {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}
        assert ddb.list_tags_of_resource(ResourceArn=after["TableArn"])["Tags"] == [{"Key": "team", "Value": "qa"}]
        assert scan_all(ddb, "orders") == []
        assert ddb.query(TableName="orders", IndexName="by-g", KeyConditionExpression="g = :g",
                         ExpressionAttributeValues={":g": {"S": "old"}})["Items"] == []
        assert ddb.query(TableName="orders", IndexName="by-l", KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": {"S": "p"}})["Items"] == []
        # Stream records are gone; the stream ARN still works.
        assert read_stream(streams, arn) == []
        assert [s["StreamArn"] for s in streams.list_streams(TableName="orders")["Streams"]] == [arn]
        # The hook stays, and its position is gone: the next write is delivered.
        hooks = admin(server, "GET", "/_localddb/stream-hooks")[1]["hooks"]
        assert [(h["table"], h["url"]) for h in hooks] == [("orders", target.url)]

        ddb.put_item(TableName="orders", Item=item("p", "new", g="fresh", l=42, v="after"))
        got = ddb.query(TableName="orders", IndexName="by-g", KeyConditionExpression="g = :g",
                        ExpressionAttributeValues={":g": {"S": "fresh"}})["Items"]
        assert got == [{"pk": {"S": "p"}, "sk": {"S": "new"}, "g": {"S": "fresh"}, "v": {"S": "after"}}]
        got = ddb.query(TableName="orders", IndexName="by-l", KeyConditionExpression="pk = :p AND l = :l",
                        ExpressionAttributeValues={":p": {"S": "p"}, ":l": {"N": "42"}})["Items"]
        assert got == [{"pk": {"S": "p"}, "sk": {"S": "new"}, "l": {"N": "42"}}]
        assert ddb.describe_table(TableName="orders")["Table"]["ItemCount"] == 1
        records = read_stream(streams, arn)
        assert [(r["eventName"], r["dynamodb"]["Keys"]["sk"]["S"]) for r in records] == [("INSERT", "new")]
        # The stream goes on: its sequence numbers keep growing past those handed out before.
        assert int(records[0]["dynamodb"]["SequenceNumber"]) > max(old_sequence_numbers)
        assert wait_for(lambda: "p" in target.delivered_keys() and
                        target.batches[-1]["Records"][-1]["dynamodb"]["Keys"]["sk"]["S"] == "new")
        last = target.batches[-1]["Records"][-1]
        assert last["eventName"] == "INSERT" and last["eventSourceARN"] == arn
    finally:
        target.stop()


def test_reset_refusals(server):
    ddb = make_client(server.endpoint)
    ddb.create_table(TableName="keep", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName="keep", Item={"pk": {"S": "a"}})
    for bad in ({"mode": "wipe"}, {"mode": ""}, {"mode": 1}, {"mode": None}, {"mode": ["drop"]}):
        status, body = admin(server, "POST", "/_localddb/reset", bad)
        assert status == 400 and body["error"] == "InvalidMode" and body["message"], (bad, body)
    status, body = admin(server, "POST", "/_localddb/reset", b"{not json")
    assert status == 400 and set(body) == {"error", "message"}
    status, body = admin(server, "POST", "/_localddb/reset", b"[]")
    assert status == 400 and set(body) == {"error", "message"}
    for method in ("GET", "PUT", "DELETE"):
        status, body = admin(server, method, "/_localddb/reset")
        assert status == 405 and body["error"] == "MethodNotAllowed", method
    # State-changing admin calls need Content-Type: application/json.
    status, body, _ = request(server, "POST", "/_localddb/reset", b'{"mode": "drop"}', {"Content-Type": "text/plain"})
    assert status == 415 and body["error"] == "UnsupportedMediaType"
    status, body, _ = request(server, "POST", "/_localddb/reset")
    assert status == 415
    status, body = admin(server, "POST", "/_localddb/reset/now")
    assert status == 404 and body["error"] == "NotFound"
    # Nothing above reset anything.
    assert ddb.get_item(TableName="keep", Key={"pk": {"S": "a"}})["Item"] == {"pk": {"S": "a"}}


def test_reset_racing_traffic_sees_old_or_new_state_only(server):
    """Writers and readers run while resets run: every answer is a success or (only for a dropped
    table) ResourceNotFoundException; after each truncate the table holds only writes not yet
    acknowledged when the reset was sent, and transactions are never split by a reset."""
    ddb = make_client(server.endpoint)
    create_indexed(ddb, "race", stream="KEYS_ONLY")
    lock = threading.Lock()
    acked = {}  # key -> time.monotonic() when its write was acknowledged
    unexpected = []
    not_found = []
    stop = threading.Event()
    phase = {"name": "truncate"}

    def classify(e, what):
        code = e.response["Error"]["Code"] if isinstance(e, ClientError) else repr(e)
        if code == "ResourceNotFoundException":
            not_found.append((phase["name"], what))
        else:
            unexpected.append((phase["name"], what, code, str(e)))

    def writer(w):
        client = make_client(server.endpoint)
        i = 0
        while not stop.is_set():
            i += 1
            key = f"w{w}-{i}"
            try:
                if i % 3 == 0:
                    client.transact_write_items(TransactItems=[
                        {"Put": {"TableName": "race", "Item": item("t", key + "a", l=i)}},
                        {"Put": {"TableName": "race", "Item": item("t", key + "b", l=i)}}])
                    keys = [key + "a", key + "b"]
                elif i % 3 == 1:
                    client.batch_write_item(RequestItems={"race": [
                        {"PutRequest": {"Item": item(f"b{w}", key + c, l=i)}} for c in "xyz"]})
                    keys = [key + c for c in "xyz"]
                else:
                    client.put_item(TableName="race", Item=item(f"p{w}", key, l=i))
                    keys = [key]
                now = time.monotonic()
                with lock:
                    for k in keys:
                        acked[k] = now
            except Exception as e:  # noqa: BLE001 - every answer is classified
                classify(e, "write")

    def reader(r):
        client = make_client(server.endpoint)
        n = 0
        while not stop.is_set():
            n += 1
            try:
                if n % 4 == 0:
                    client.describe_table(TableName="race")
                elif n % 4 == 1:
                    client.query(TableName="race", IndexName="by-g", KeyConditionExpression="g = :g",
                                 ExpressionAttributeValues={":g": {"S": "x"}}, Limit=50)
                elif n % 4 == 2:
                    client.get_item(TableName="race", Key={"pk": {"S": "t"}, "sk": {"S": "w0-3a"}})
                else:
                    client.scan(TableName="race", Limit=50)
            except Exception as e:  # noqa: BLE001
                classify(e, "read")

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    threads += [threading.Thread(target=reader, args=(r,)) for r in range(2)]
    for t in threads:
        t.start()
    violations = []
    try:
        # Truncate: the table exists in the old and the new state, so nothing may fail at all.
        for _ in range(12):
            time.sleep(0.06)
            sent = time.monotonic()
            status, body = admin(server, "POST", "/_localddb/reset", {"mode": "truncate"})
            assert status == 200, body
            assert body["tables"] == 1
            page = ddb.scan(TableName="race", ConsistentRead=True)
            present = {i["sk"]["S"] for i in page["Items"]}
            with lock:
                stale = sorted(k for k in present if k in acked and acked[k] < sent)
            if stale:
                violations.append(("acknowledged before the reset, still there after it", stale[:5]))
            if "LastEvaluatedKey" not in page:  # one read: a transaction is all there or not at all
                halves = sorted(k for k in present if k[-1] in "ab" and (k[:-1] + ("b" if k[-1] == "a" else "a"))
                                not in present)
                if halves:
                    violations.append(("half a transaction", halves[:5]))
        # Drop: writers may see ResourceNotFoundException between a reset and the table's re-creation.
        phase["name"] = "drop"
        for _ in range(6):
            time.sleep(0.06)
            sent = time.monotonic()
            status, body = admin(server, "POST", "/_localddb/reset", {"mode": "drop"})
            assert status == 200, body
            assert ddb.list_tables()["TableNames"] == []
            create_indexed(ddb, "race", stream="KEYS_ONLY")
            present = {i["sk"]["S"] for i in ddb.scan(TableName="race", ConsistentRead=True)["Items"]}
            with lock:
                stale = sorted(k for k in present if k in acked and acked[k] < sent)
            if stale:
                violations.append(("drop left items", stale[:5]))
    finally:
        stop.set()
        for t in threads:
            t.join(10)
    assert not unexpected, unexpected[:10]
    assert [n for n in not_found if n[0] == "truncate"] == [], "a truncated table went missing mid-reset"
    assert not violations, violations
    with lock:
        assert len(acked) > 100, "the writers got too few writes through to test anything"
    # With traffic stopped the table and its indexes agree.
    base = sorted((i["pk"]["S"], i["sk"]["S"]) for i in scan_all(ddb, "race"))
    index, kwargs = [], {}
    while True:
        page = ddb.query(TableName="race", IndexName="by-g", KeyConditionExpression="g = :g",
                         ExpressionAttributeValues={":g": {"S": "x"}}, **kwargs)
        index += [(i["pk"]["S"], i["sk"]["S"]) for i in page["Items"]]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert sorted(index) == base
    table = ddb.describe_table(TableName="race")["Table"]
    assert table["ItemCount"] == len(base) and table["GlobalSecondaryIndexes"][0]["ItemCount"] == len(base)


def test_reset_is_kept_in_the_database_file(tmp_path):
    db = str(tmp_path / "data.sqlite")
    server = Server("--db", db)
    try:
        ddb = make_client(server.endpoint)
        create_indexed(ddb, "kept")
        create_indexed(ddb, "dropped", stream=None)
        for table in ("kept", "dropped"):
            ddb.put_item(TableName=table, Item=item("p", "s"))
        assert admin(server, "POST", "/_localddb/reset", {"mode": "truncate"}) == (200, {"tables": 2, "items": 2})
        ddb.put_item(TableName="kept", Item=item("p", "after-truncate"))
        ddb.delete_table(TableName="dropped")
    finally:
        assert server.stop() == 0
    server = Server("--db", db)
    try:
        ddb = make_client(server.endpoint)
        assert ddb.list_tables()["TableNames"] == ["kept"]
        assert [i["sk"]["S"] for i in scan_all(ddb, "kept")] == ["after-truncate"]
        assert ddb.describe_table(TableName="kept")["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"] == 1
        assert admin(server, "POST", "/_localddb/reset") == (200, {"tables": 1, "items": 1})
    finally:
        assert server.stop() == 0
    server = Server("--db", db)
    try:
        assert make_client(server.endpoint).list_tables()["TableNames"] == []
    finally:
        assert server.stop() == 0
