"""Fault injection (issue 14): rules that make chosen requests fail, reproducibly, answered as
DynamoDB answers, so real SDKs react as they do in production."""
import json
import os
import time
import urllib.request

import botocore.config
import botocore.exceptions
import pytest

from conftest import AGAINST_LOCAL, REGION, Server, make_client

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="localddb's own fault injection")


def admin(endpoint, method, path, body=None):
    req = urllib.request.Request(endpoint + "/_localddb" + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def rules(endpoint, *rule_list, ns=None):
    path = "/faults" + (f"?namespace={ns}" if ns else "")
    status, body = admin(endpoint, "POST", path, {"rules": list(rule_list)})
    assert status == 201, body
    return body["ids"]


def no_retries(endpoint):
    import boto3
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="local",
                        aws_secret_access_key="local", config=botocore.config.Config(retries={"max_attempts": 0}))


def sdk_default(endpoint):
    import boto3  # the SDK's own retry policy, as an application has it
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="local",
                        aws_secret_access_key="local")


@pytest.fixture
def server():
    s = Server("--in-memory")
    ddb = make_client(s.endpoint)
    for name in ("msgs", "other"):
        ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                               {"AttributeName": "g", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                                  "Projection": {"ProjectionType": "ALL"}}],
                         StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    yield s
    s.stop()


def error_of(call):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call()
    r = e.value.response
    return r["Error"]["Code"], r["Error"].get("Message"), r["ResponseMetadata"]["HTTPStatusCode"]


def test_sdk_retries_absorb_two_throttles(server):
    rules(server.endpoint, {"operation": "PutItem", "table": "msgs",
                            "error": "ProvisionedThroughputExceededException", "times": 2})
    answer = sdk_default(server.endpoint).put_item(TableName="msgs", Item={"pk": {"S": "a"}})
    assert answer["ResponseMetadata"]["RetryAttempts"] == 2
    status, listing = admin(server.endpoint, "GET", "/faults")
    rule = listing["rules"][0]
    assert (rule["matched"], rule["hits"], rule["remaining"]) == (3, 2, 0)  # the server saw three requests
    assert "Item" in make_client(server.endpoint).get_item(TableName="msgs", Key={"pk": {"S": "a"}})


@pytest.mark.parametrize("name,status", [
    ("ProvisionedThroughputExceededException", 400), ("ThrottlingException", 400), ("RequestLimitExceeded", 400),
    ("InternalServerError", 500), ("ServiceUnavailable", 503), ("ConditionalCheckFailedException", 400),
    ("ItemCollectionSizeLimitExceededException", 400), ("LimitExceededException", 400)])
def test_errors_are_answered_as_dynamodb_sends_them(server, name, status):
    rules(server.endpoint, {"operation": "GetItem", "error": name})
    code, message, http = error_of(lambda: no_retries(server.endpoint).get_item(TableName="msgs", Key={"pk": {"S": "a"}}))
    assert (code, http) == (name, status)
    assert message


def test_a_stopped_write_changes_nothing_and_records_nothing(server):
    rules(server.endpoint, {"operation": "PutItem", "error": "InternalServerError", "message": "injected"})
    code, message, http = error_of(lambda: no_retries(server.endpoint).put_item(TableName="msgs", Item={"pk": {"S": "x"}}))
    assert (code, message, http) == ("InternalServerError", "injected", 500)
    ddb = make_client(server.endpoint)
    assert "Item" not in ddb.get_item(TableName="msgs", Key={"pk": {"S": "x"}})
    streams = make_client(server.endpoint, "dynamodbstreams")
    arn = ddb.describe_table(TableName="msgs")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert streams.get_records(ShardIterator=it)["Records"] == []


def test_nth_and_every(server):
    rules(server.endpoint, {"operation": "PutItem", "table": "msgs", "nth": 3, "error": "ThrottlingException"},
          {"operation": "GetItem", "every": 2, "error": "ThrottlingException"})
    ddb = no_retries(server.endpoint)
    outcomes = []
    for i in range(5):
        try:
            ddb.put_item(TableName="msgs", Item={"pk": {"S": f"k{i}"}})
            outcomes.append("ok")
        except botocore.exceptions.ClientError:
            outcomes.append("throttled")
    assert outcomes == ["ok", "ok", "throttled", "ok", "ok"]
    ddb.put_item(TableName="other", Item={"pk": {"S": "k"}})  # another table: not matched
    gets = []
    for i in range(6):
        try:
            ddb.get_item(TableName="msgs", Key={"pk": {"S": "k0"}})
            gets.append(0)
        except botocore.exceptions.ClientError:
            gets.append(1)
    assert gets == [0, 1, 0, 1, 0, 1]


def probability_sequence(seed):
    server = Server("--in-memory")
    try:
        make_client(server.endpoint).create_table(
            TableName="msgs", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        rules(server.endpoint, {"operation": "GetItem", "probability": 0.3, "seed": seed, "error": "ThrottlingException"})
        ddb = no_retries(server.endpoint)
        seq = []
        for _ in range(40):
            try:
                ddb.get_item(TableName="msgs", Key={"pk": {"S": "a"}})
                seq.append(0)
            except botocore.exceptions.ClientError:
                seq.append(1)
        return seq
    finally:
        server.stop()


def test_a_seeded_probability_gives_the_same_sequence_every_run():
    first, second, other = probability_sequence(7), probability_sequence(7), probability_sequence(8)
    assert first == second
    assert 0 < sum(first) < 40
    assert first != other


def test_key_rules_reach_into_batches_and_transactions(server):
    rules(server.endpoint, {"operation": "BatchWriteItem", "key": {"pk": {"S": "slow"}}, "unprocessed": True, "times": 2})
    import boto3
    table = boto3.resource("dynamodb", endpoint_url=server.endpoint, region_name=REGION, aws_access_key_id="local",
                           aws_secret_access_key="local").Table("msgs")
    with table.batch_writer() as batch:  # re-sends what comes back unprocessed
        for key in ("a", "slow", "b"):
            batch.put_item(Item={"pk": key, "g": "x"})
    ddb = make_client(server.endpoint)
    assert {i["pk"]["S"] for i in ddb.scan(TableName="msgs")["Items"]} == {"a", "slow", "b"}
    status, listing = admin(server.endpoint, "GET", "/faults")
    assert listing["rules"][0]["hits"] == 2
    # A plain BatchWriteItem shows the unprocessed request itself, and applies the rest.
    rules(server.endpoint, {"operation": "BatchWriteItem", "key": {"pk": {"S": "held"}}, "unprocessed": True})
    answer = ddb.batch_write_item(RequestItems={"msgs": [{"PutRequest": {"Item": {"pk": {"S": "held"}}}},
                                                         {"PutRequest": {"Item": {"pk": {"S": "passed"}}}}]})
    assert answer["UnprocessedItems"] == {"msgs": [{"PutRequest": {"Item": {"pk": {"S": "held"}}}}]}
    assert "Item" in ddb.get_item(TableName="msgs", Key={"pk": {"S": "passed"}})
    assert "Item" not in ddb.get_item(TableName="msgs", Key={"pk": {"S": "held"}})
    rules(server.endpoint, {"operation": "BatchGetItem", "key": {"pk": {"S": "a"}}, "unprocessed": True, "times": 1})
    answer = ddb.batch_get_item(RequestItems={"msgs": {"Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "b"}}],
                                                       "ConsistentRead": True}})
    assert answer["UnprocessedKeys"] == {"msgs": {"Keys": [{"pk": {"S": "a"}}], "ConsistentRead": True}}
    assert [i["pk"]["S"] for i in answer["Responses"]["msgs"]] == ["b"]


def test_transaction_conflict(server):
    rules(server.endpoint, {"key": {"pk": {"S": "busy"}}, "transactionConflict": True, "times": 2})
    ddb = no_retries(server.endpoint)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.transact_write_items(TransactItems=[{"Put": {"TableName": "msgs", "Item": {"pk": {"S": "free"}}}},
                                                {"Put": {"TableName": "msgs", "Item": {"pk": {"S": "busy"}}}}])
    assert e.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert [r["Code"] for r in e.value.response["CancellationReasons"]] == ["None", "TransactionConflict"]
    assert "Item" not in ddb.get_item(TableName="msgs", Key={"pk": {"S": "free"}})  # all or nothing
    code, message, status = error_of(lambda: ddb.put_item(TableName="msgs", Item={"pk": {"S": "busy"}}))
    assert (code, message) == ("TransactionConflictException", "Transaction is ongoing for the item")


def test_index_and_streams_operations_can_be_targeted(server):
    rules(server.endpoint, {"operation": "Query", "index": "by-g", "error": "ThrottlingException"},
          {"operation": ["GetRecords", "DescribeStream"], "error": "LimitExceededException"})
    ddb = no_retries(server.endpoint)
    query = dict(TableName="msgs", KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": {"S": "x"}})
    assert error_of(lambda: ddb.query(IndexName="by-g", **query))[0] == "ThrottlingException"
    ddb.query(TableName="msgs", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "x"}})
    arn = ddb.describe_table(TableName="msgs")["Table"]["LatestStreamArn"]
    streams = make_client(server.endpoint, "dynamodbstreams")
    with pytest.raises(botocore.exceptions.ClientError):
        streams.describe_stream(StreamArn=arn)


def test_latency_dropped_connections_and_bad_checksums(server):
    rules(server.endpoint, {"operation": "GetItem", "latencyMs": 300, "times": 1},
          {"operation": "ListTables", "dropConnection": True, "times": 1},
          {"operation": "DescribeTable", "badCrc": True, "times": 1})
    ddb = sdk_default(server.endpoint)
    start = time.time()
    ddb.get_item(TableName="msgs", Key={"pk": {"S": "a"}})
    assert time.time() - start >= 0.29
    assert ddb.list_tables()["ResponseMetadata"]["RetryAttempts"] == 1  # a dropped connection is retried
    assert ddb.describe_table(TableName="msgs")["ResponseMetadata"]["RetryAttempts"] == 1  # so is a bad CRC


def test_time_windows_on_the_server_clock():
    server = Server("--in-memory", "--clock", "manual", "--clock-start", "2026-01-01T00:00:00Z")
    try:
        ddb = no_retries(server.endpoint)
        rules(server.endpoint, {"operation": "ListTables", "after": "2026-01-01T01:00:00Z",
                                "until": "2026-01-01T02:00:00Z", "error": "ServiceUnavailable"})
        ddb.list_tables()
        admin(server.endpoint, "POST", "/clock", {"advanceSeconds": 5400})
        assert error_of(ddb.list_tables)[2] == 503
        admin(server.endpoint, "POST", "/clock", {"advanceSeconds": 3600})
        ddb.list_tables()
    finally:
        server.stop()


def test_rules_listed_removed_and_refused(server):
    first, second = rules(server.endpoint, {"operation": "GetItem", "error": "ThrottlingException", "times": 3},
                          {"table": "other", "latencyMs": 1})
    status, listing = admin(server.endpoint, "GET", "/faults")
    assert [r["id"] for r in listing["rules"]] == [first, second]
    assert listing["rules"][0]["remaining"] == 3 and listing["rules"][1]["remaining"] is None
    assert admin(server.endpoint, "DELETE", f"/faults/{first}")[0] == 200
    assert admin(server.endpoint, "DELETE", f"/faults/{first}")[0] == 404
    assert admin(server.endpoint, "DELETE", "/faults")[1]["rules"] == []
    for bad in ({"operation": "GetItem"}, {"error": "NoSuchError"}, {"error": "ThrottlingException", "probability": 2},
                {"error": "ThrottlingException", "nth": 0}, {"error": "ThrottlingException", "colour": "red"},
                {"error": "ThrottlingException", "key": {"pk": "a"}}, {"error": "ThrottlingException", "after": "soon"},
                "not a rule"):
        status, body = admin(server.endpoint, "POST", "/faults", {"rules": [{"operation": "GetItem", "latencyMs": 1}, bad]})
        assert status == 400 and body["error"] == "InvalidFaultRule", bad
        assert body["message"].startswith("rule 1: ")
    assert admin(server.endpoint, "GET", "/faults")[1]["rules"] == []  # all or none


def test_rules_belong_to_a_namespace_and_load_from_a_file(tmp_path):
    path = tmp_path / "faults.json"
    path.write_text(json.dumps({"rules": [{"operation": "ListTables", "error": "ThrottlingException", "times": 1},
                                          {"operation": "ListTables", "error": "InternalServerError",
                                           "namespace": "worker1", "times": 1}]}))
    server = Server("--in-memory", "--faults", str(path))
    try:
        assert error_of(no_retries(server.endpoint).list_tables)[0] == "ThrottlingException"
        assert error_of(no_retries(server.endpoint + "/ns/worker1").list_tables)[0] == "InternalServerError"
        no_retries(server.endpoint + "/ns/worker2").list_tables()
    finally:
        server.stop()
    path.write_text("{not json")
    with pytest.raises(RuntimeError) as e:
        Server("--in-memory", "--faults", str(path))
    assert "faults" in str(e.value)
