"""The whole Cruddur messaging flow (shared/cruddur/FLOW.md) offline: schema-load, seed, scan,
get-conversation, list-conversations, a new conversation through batch_write_item, and a new
message through put_item -> stream -> hook (batch size 1) -> Cruddur's message-stream Lambda,
unmodified (it hard-codes DynamoDB's AWS endpoint), run by tools/localddb-lambda -> the
conversation list shows it first. The AWS CLI does list-tables and drop."""
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import boto3
import pytest
from boto3.dynamodb.conditions import Key

from conftest import AGAINST_LOCAL, Server
from lambda_tool import LambdaTool

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="starts localddb with a stream hook")

TABLE = "cruddur-messages"
CRUDDUR_HANDLER = "cruddur-messaging-stream.lambda_handler"
AWS_CLI = "/usr/bin/aws" if os.path.exists("/usr/bin/aws") else shutil.which("aws")


@pytest.fixture(scope="module")
def stack():
    # Ports are picked by the processes themselves (0), so two of them can never collide: the
    # server first, then the Lambda host (which needs the server's endpoint), then the hook is
    # added through the admin API.
    server = Server("--in-memory", "--stream-batch-size", "1")
    env = dict(os.environ, AWS_ENDPOINT_URL=server.endpoint, AWS_ACCESS_KEY_ID="local",
               AWS_SECRET_ACCESS_KEY="local", AWS_DEFAULT_REGION="us-east-1")
    host = LambdaTool(CRUDDUR_HANDLER, server.endpoint, env=env)
    hook = host.invoke_url()
    import json
    import urllib.request
    req = urllib.request.Request(server.endpoint + "/_localddb/stream-hooks", method="POST",
                                 data=json.dumps({"table": TABLE, "url": hook}).encode(),
                                 headers={"Content-Type": "application/json"})
    assert urllib.request.urlopen(req).status == 201
    yield server, env, host
    host.stop()
    server.stop()


def iso(t):
    return t.astimezone(timezone.utc).isoformat()


def wait_until_delivered(endpoint):
    """Waits until the hook has delivered every record (the Lambda may still be moving rows before)."""
    import json
    import urllib.request
    deadline = time.time() + 15
    state = None
    while time.time() < deadline:
        state = json.loads(urllib.request.urlopen(endpoint + "/_localddb/stream-hooks").read())["hooks"][0]
        if state["lag"] == 0 and state["status"] == "idle":
            return state
        time.sleep(0.05)
    raise AssertionError(f"hook did not catch up: {state}")


def cli(env, *args):
    out = subprocess.run([AWS_CLI, "dynamodb", *args, "--endpoint-url", env["AWS_ENDPOINT_URL"]],
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_cruddur_messaging_flow(stack):
    server, env, host = stack
    # The Lambda builds its resource at import with DynamoDB's AWS endpoint: the tool redirected it.
    assert "redirecting dynamodb client from http://dynamodb.us-east-1.amazonaws.com" in host.output()
    client = boto3.client("dynamodb", endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1",
                          aws_access_key_id="local", aws_secret_access_key="local")
    resource = boto3.resource("dynamodb", endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1",
                              aws_access_key_id="local", aws_secret_access_key="local")
    # bin/ddb/schema-load
    client.create_table(
        TableName=TABLE,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"},
                              {"AttributeName": "message_group_uuid", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        GlobalSecondaryIndexes=[{
            "IndexName": "message-group-sk-index",
            "KeySchema": [{"AttributeName": "message_group_uuid", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    # bin/ddb/list-tables
    assert TABLE in cli(env, "list-tables", "--query", "TableNames", "--output", "table")

    # bin/ddb/seed: a conversation across two years.
    group = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399"
    now = datetime.now(timezone.utc)
    start = now - timedelta(days=400)
    for pk, other in (("GRP#alice-uuid", "bob"), ("GRP#bob-uuid", "alice")):
        client.put_item(TableName=TABLE, Item={
            "pk": {"S": pk}, "sk": {"S": iso(start)}, "message_group_uuid": {"S": group},
            "message": {"S": "first"}, "user_uuid": {"S": other + "-uuid"}, "user_display_name": {"S": other.title()},
            "user_handle": {"S": other}})
    for i in range(40):
        client.put_item(TableName=TABLE, Item={
            "pk": {"S": f"MSG#{group}"}, "sk": {"S": iso(start + timedelta(days=10 * i))},
            "message_uuid": {"S": f"m{i}"}, "message": {"S": f"message {i}"}, "user_uuid": {"S": "alice-uuid"},
            "user_display_name": {"S": "Alice"}, "user_handle": {"S": "alice"}})

    # bin/ddb/scan (once the Lambda has finished reacting to the seeded messages: it deletes and
    # re-puts the group rows, so a scan in the middle of that could miss one).
    wait_until_delivered(server.endpoint)
    assert len(resource.Table(TABLE).scan()["Items"]) == 42

    # get-conversation: this year's messages, newest first, 20 at a time.
    year = str(now.year)
    convo = client.query(TableName=TABLE, KeyConditionExpression="pk = :pk AND begins_with(sk,:year)",
                         ExpressionAttributeValues={":year": {"S": year}, ":pk": {"S": f"MSG#{group}"}},
                         ScanIndexForward=False, Limit=20, ReturnConsumedCapacity="TOTAL")
    sks = [i["sk"]["S"] for i in convo["Items"]]
    assert 0 < len(sks) <= 20 and all(s.startswith(year) for s in sks) and sks == sorted(sks, reverse=True)
    assert convo["ConsumedCapacity"]["CapacityUnits"] > 0

    # create_message_group: a new conversation in one batch_write_item.
    new_group = "c7a8d6a4-0000-4000-8000-000000000001"
    t0 = iso(now)
    client.batch_write_item(RequestItems={TABLE: [
        {"PutRequest": {"Item": {"pk": {"S": "GRP#alice-uuid"}, "sk": {"S": t0}, "message_group_uuid": {"S": new_group},
                                 "message": {"S": "hello carol"}, "user_uuid": {"S": "carol-uuid"},
                                 "user_display_name": {"S": "Carol"}, "user_handle": {"S": "carol"}}}},
        {"PutRequest": {"Item": {"pk": {"S": "GRP#carol-uuid"}, "sk": {"S": t0}, "message_group_uuid": {"S": new_group},
                                 "message": {"S": "hello carol"}, "user_uuid": {"S": "alice-uuid"},
                                 "user_display_name": {"S": "Alice"}, "user_handle": {"S": "alice"}}}},
        {"PutRequest": {"Item": {"pk": {"S": f"MSG#{new_group}"}, "sk": {"S": t0}, "message": {"S": "hello carol"},
                                 "user_handle": {"S": "alice"}}}}]})

    # create_message in the first conversation -> stream -> hook -> Lambda moves both group rows.
    t1 = iso(now + timedelta(seconds=5))
    client.put_item(TableName=TABLE, Item={"pk": {"S": f"MSG#{group}"}, "sk": {"S": t1}, "message": {"S": "brand new"},
                                           "user_handle": {"S": "bob"}})

    def conversation_list():
        return client.query(TableName=TABLE, KeyConditionExpression="pk = :pk AND begins_with(sk,:year)",
                            ExpressionAttributeValues={":year": {"S": year}, ":pk": {"S": "GRP#alice-uuid"}},
                            ScanIndexForward=False, Limit=20)["Items"]

    deadline = time.time() + 10
    while time.time() < deadline:
        items = conversation_list()
        if items and items[0]["sk"]["S"] == t1:
            break
        time.sleep(0.05)
    assert items[0]["sk"]["S"] == t1 and items[0]["message"]["S"] == "brand new"
    rows = resource.Table(TABLE).query(IndexName="message-group-sk-index",
                                       KeyConditionExpression=Key("message_group_uuid").eq(group))["Items"]
    assert sorted(r["pk"] for r in rows) == ["GRP#alice-uuid", "GRP#bob-uuid"]
    assert all(r["sk"] == t1 and r["message"] == "brand new" for r in rows)

    # A REMOVE reaches the hook and is skipped by the Lambda.
    client.delete_item(TableName=TABLE, Key={"pk": {"S": f"MSG#{group}"}, "sk": {"S": t1}})
    assert wait_until_delivered(server.endpoint)["last_error"] == ""

    # bin/ddb/drop
    cli(env, "delete-table", "--table-name", TABLE)
    assert TABLE not in cli(env, "list-tables", "--query", "TableNames", "--output", "table")


def test_cruddur_messages_expire_with_ttl_and_the_hook_sees_the_service_removals():
    """Messages with a TTL expire after a clock advance: the sweep deletes them (and their GSI
    rows), the Cruddur Lambda skips the REMOVE records, and a second hook receives them marked as
    DynamoDB's own (userIdentity Service)."""
    import json
    import urllib.request
    from test_stream_hooks import Target, wait_for
    target = Target()
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    server = Server("--in-memory", "--stream-batch-size", "1", "--clock", "manual",
                    "--clock-start", "2026-01-01T00:00:00Z", "--ttl-sweep-interval", "0",
                    "--stream-hook", f"{TABLE}={target.url}")
    env = dict(os.environ, AWS_ENDPOINT_URL=server.endpoint, AWS_ACCESS_KEY_ID="local",
               AWS_SECRET_ACCESS_KEY="local", AWS_DEFAULT_REGION="us-east-1")
    host = LambdaTool(CRUDDUR_HANDLER, server.endpoint, env=env)

    def admin(path, body=None):
        req = urllib.request.Request(server.endpoint + "/_localddb" + path, method="POST",
                                     data=json.dumps(body or {}).encode(), headers={"Content-Type": "application/json"})
        return json.loads(urllib.request.urlopen(req).read())

    try:
        lambda_url = host.invoke_url()
        client = boto3.client("dynamodb", endpoint_url=server.endpoint, region_name="us-east-1",
                              aws_access_key_id="local", aws_secret_access_key="local")
        client.create_table(
            TableName=TABLE,
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"},
                                  {"AttributeName": "message_group_uuid", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            BillingMode="PAY_PER_REQUEST",
            GlobalSecondaryIndexes=[{
                "IndexName": "message-group-sk-index",
                "KeySchema": [{"AttributeName": "message_group_uuid", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"}}],
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
        req = urllib.request.Request(server.endpoint + "/_localddb/stream-hooks", method="POST",
                                     data=json.dumps({"table": TABLE, "url": lambda_url}).encode(),
                                     headers={"Content-Type": "application/json"})
        assert urllib.request.urlopen(req).status == 201
        client.update_time_to_live(TableName=TABLE, TimeToLiveSpecification={"Enabled": True,
                                                                            "AttributeName": "expires_at"})
        group = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399"
        expires = int((start + timedelta(days=7)).timestamp())
        for i in range(3):  # ephemeral messages: gone a week later
            client.put_item(TableName=TABLE, Item={
                "pk": {"S": f"MSG#{group}"}, "sk": {"S": iso(start + timedelta(minutes=i))},
                "message": {"S": f"disappearing {i}"}, "user_uuid": {"S": "u1"}, "expires_at": {"N": str(expires)}})
        client.put_item(TableName=TABLE, Item={  # a message group row without a TTL: stays
            "pk": {"S": "GRP#u1"}, "sk": {"S": iso(start)}, "message_group_uuid": {"S": group},
            "message": {"S": "kept"}, "user_uuid": {"S": "u2"}, "user_display_name": {"S": "U2"},
            "user_handle": {"S": "u2"}})
        assert wait_for(lambda: len(target.batches) >= 4, timeout=15)

        assert admin("/ttl/sweep") == {"deleted": 0}
        admin("/clock", {"advanceSeconds": 6 * 24 * 3600})
        assert admin("/ttl/sweep") == {"deleted": 0}
        admin("/clock", {"advanceSeconds": 2 * 24 * 3600})
        assert admin("/ttl/sweep") == {"deleted": 3}

        left = client.query(TableName=TABLE, KeyConditionExpression="pk = :pk",
                            ExpressionAttributeValues={":pk": {"S": f"MSG#{group}"}})
        assert left["Count"] == 0
        # The message-group row (moved by the Lambda to the latest message) has no TTL: it stays.
        groups = client.query(TableName=TABLE, IndexName="message-group-sk-index",
                              KeyConditionExpression="message_group_uuid = :g",
                              ExpressionAttributeValues={":g": {"S": group}})["Items"]
        assert [g["pk"]["S"] for g in groups] == ["GRP#u1"]

        def removals():  # the Lambda's own deletes (it moves the group row) are the client's
            return [r for b in target.batches for r in b["Records"] if r["eventName"] == "REMOVE"]
        service = lambda: [r for r in removals() if "userIdentity" in r]
        assert wait_for(lambda: len(service()) == 3, timeout=15)
        for record in service():
            assert record["userIdentity"] == {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
            assert record["dynamodb"]["Keys"]["pk"] == {"S": f"MSG#{group}"}
            assert "OldImage" not in record["dynamodb"]  # NEW_IMAGE view: keys only on REMOVE
        assert all(r["dynamodb"]["Keys"]["pk"]["S"].startswith("GRP#") for r in removals() if "userIdentity" not in r)
    finally:
        host.stop()
        server.stop()
        target.stop()


def admin_call(endpoint, method, path, body=None):
    import json
    import urllib.request
    req = urllib.request.Request(endpoint + "/_localddb" + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req).read())


def test_cruddur_message_lambda_failing_twice_on_one_record_still_converges():
    """The message-stream Lambda, declared by function name through --lambda-endpoint, fails twice
    on one new message (its index Query refused by a fault rule, so the handler raises and Lambda's
    Invoke API answers X-Amz-Function-Error): the hook resends the same batch, the third attempt
    moves both group rows, and the inspector shows the three attempts."""
    from conftest import free_port
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    env = dict(os.environ, AWS_ACCESS_KEY_ID="local", AWS_SECRET_ACCESS_KEY="local")
    host = LambdaTool(CRUDDUR_HANDLER, endpoint, "--name", "cruddur-messaging-stream", env=env)
    server = Server("--in-memory", "--lambda-endpoint", host.url, port=port)
    try:
        client = boto3.client("dynamodb", endpoint_url=server.endpoint, region_name="us-east-1",
                              aws_access_key_id="local", aws_secret_access_key="local")
        client.create_table(
            TableName=TABLE,
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"},
                                  {"AttributeName": "message_group_uuid", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            BillingMode="PAY_PER_REQUEST",
            GlobalSecondaryIndexes=[{
                "IndexName": "message-group-sk-index",
                "KeySchema": [{"AttributeName": "message_group_uuid", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"}}],
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
        hook = admin_call(server.endpoint, "POST", "/stream-hooks", {
            "table": TABLE, "FunctionName": "cruddur-messaging-stream", "BatchSize": 1})["hook"]
        group = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399"
        t0 = "2026-11-01T10:00:00+00:00"
        for pk, other in (("GRP#alice-uuid", "bob"), ("GRP#bob-uuid", "alice")):
            client.put_item(TableName=TABLE, Item={
                "pk": {"S": pk}, "sk": {"S": t0}, "message_group_uuid": {"S": group},
                "message": {"S": "first"}, "user_uuid": {"S": other + "-uuid"},
                "user_display_name": {"S": other.title()}, "user_handle": {"S": other}})
        wait_until_delivered(server.endpoint)

        # The Lambda's next two Queries on the index are refused (not a retryable error, so boto3
        # gives up at once and the handler raises).
        admin_call(server.endpoint, "POST", "/faults", {"rules": [{
            "operation": "Query", "table": TABLE, "index": "message-group-sk-index", "times": 2,
            "error": "ValidationException", "message": "injected: the Lambda fails on this record"}]})
        t1 = "2026-11-01T10:05:00+00:00"
        client.put_item(TableName=TABLE, Item={"pk": {"S": f"MSG#{group}"}, "sk": {"S": t1},
                                               "message": {"S": "after two failures"},
                                               "user_uuid": {"S": "bob-uuid"}, "user_display_name": {"S": "Bob"},
                                               "user_handle": {"S": "bob"}})

        def group_rows():
            return client.query(TableName=TABLE, IndexName="message-group-sk-index",
                                KeyConditionExpression="message_group_uuid = :g",
                                ExpressionAttributeValues={":g": {"S": group}})["Items"]
        deadline = time.time() + 20
        rows = []
        while time.time() < deadline:
            rows = group_rows() if not admin_call(server.endpoint, "GET", "/faults")["rules"][0]["remaining"] else []
            if len(rows) == 2 and all(r["sk"]["S"] == t1 for r in rows):
                break
            time.sleep(0.05)
        assert sorted(r["pk"]["S"] for r in rows) == ["GRP#alice-uuid", "GRP#bob-uuid"]
        assert all(r["sk"]["S"] == t1 and r["message"]["S"] == "after two failures" for r in rows)

        state = wait_until_delivered(server.endpoint)
        assert state["id"] == hook["id"] and state["state"] == "ok"
        delivery = next(d for d in admin_call(server.endpoint, "GET", f"/stream-hooks/{hook['id']}/deliveries?limit=50")
                        ["deliveries"] if len(d["attempts"]) > 1)
        assert delivery["attemptCount"] == 3 and len(delivery["attempts"]) == 3
        assert delivery["records"] == 1 and delivery["outcome"] == "delivered"
        failed, last = delivery["attempts"][:2], delivery["attempts"][2]
        assert last["status"] == 200 and "error" not in last
        assert all("function error" in a["error"] for a in failed)
        assert "injected: the Lambda fails on this record" in failed[0]["response"]
        assert admin_call(server.endpoint, "GET", f"/stream-hooks/{hook['id']}/failures")["failures"] == []
        assert "injected: the Lambda fails on this record" in host.output()  # the handler's traceback
    finally:
        server.stop()
        host.stop()
