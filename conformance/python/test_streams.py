"""Stream records and the DynamoDB Streams API, through boto3's dynamodbstreams client."""
import pytest

from conftest import REGION, unique_name


@pytest.fixture(scope="module")
def streams(endpoint):
    import boto3
    return boto3.client("dynamodbstreams", endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id="local", aws_secret_access_key="local")


def stream_table(ddb, view_type):
    name = unique_name("s")
    ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST",
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": view_type})
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    return name


def read_all(streams, arn):
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    records = []
    for shard in shards:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            page = streams.get_records(ShardIterator=it, Limit=2)
            records += page["Records"]
            if not page["Records"]:
                break
            it = page.get("NextShardIterator")
    return records


@pytest.mark.parametrize("view_type,new,old", [("KEYS_ONLY", False, False), ("NEW_IMAGE", True, False),
                                               ("OLD_IMAGE", False, True), ("NEW_AND_OLD_IMAGES", True, True)])
def test_records_follow_the_view_type(ddb, streams, view_type, new, old):
    name = stream_table(ddb, view_type)
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"N": "1"}})  # unchanged: no record
    ddb.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="SET v = :two",
                    ExpressionAttributeValues={":two": {"N": "2"}})
    ddb.delete_item(TableName=name, Key={"pk": {"S": "a"}})
    arn = ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    records = read_all(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    seqs = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    for r in records:
        assert r["eventSource"] == "aws:dynamodb" and r["awsRegion"] == REGION
        assert r["dynamodb"]["Keys"] == {"pk": {"S": "a"}}
        assert r["dynamodb"]["StreamViewType"] == view_type
        assert len(r["dynamodb"]["SequenceNumber"]) >= 21
        assert r["dynamodb"]["SizeBytes"] > 0
    insert, modify, remove = records
    assert ("NewImage" in insert["dynamodb"]) == new
    assert ("OldImage" in modify["dynamodb"]) == old and ("NewImage" in modify["dynamodb"]) == new
    assert ("OldImage" in remove["dynamodb"]) == old and "NewImage" not in remove["dynamodb"]
    if new:
        assert modify["dynamodb"]["NewImage"]["v"] == {"N": "2"}
    if old:
        assert modify["dynamodb"]["OldImage"]["v"] == {"N": "1"}
    ddb.delete_table(TableName=name)


def test_every_write_path_records_once_in_order(ddb, streams):
    name = stream_table(ddb, "KEYS_ONLY")
    ddb.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": {"pk": {"S": f"k{i}"}}}} for i in range(10)]})
    for i in range(10):
        ddb.put_item(TableName=name, Item={"pk": {"S": f"k{i}"}, "x": {"S": "y"}})
    arn = ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    records = read_all(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT"] * 10 + ["MODIFY"] * 10
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in records[10:]] == [f"k{i}" for i in range(10)]
    ddb.delete_table(TableName=name)


def test_list_and_describe_streams_and_iterators(ddb, streams):
    name = stream_table(ddb, "NEW_IMAGE")
    listed = streams.list_streams(TableName=name)["Streams"]
    assert len(listed) == 1 and listed[0]["TableName"] == name
    arn = listed[0]["StreamArn"]
    desc = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert desc["StreamStatus"] == "ENABLED" and desc["StreamViewType"] == "NEW_IMAGE"
    assert desc["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    shard = desc["Shards"][0]["ShardId"]
    assert shard.startswith("shardId-")
    latest = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    ddb.put_item(TableName=name, Item={"pk": {"S": "one"}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "two"}})
    got = streams.get_records(ShardIterator=latest)["Records"]
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in got] == ["one", "two"]
    first_seq = got[0]["dynamodb"]["SequenceNumber"]
    after = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                                       SequenceNumber=first_seq)["ShardIterator"]
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in streams.get_records(ShardIterator=after)["Records"]] == ["two"]
    at = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER",
                                    SequenceNumber=first_seq)["ShardIterator"]
    assert len(streams.get_records(ShardIterator=at)["Records"]) == 2
    with pytest.raises(streams.exceptions.ResourceNotFoundException):
        streams.describe_stream(StreamArn=arn + "x")
    # Disabling closes the stream; the table description keeps the label.
    ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    assert streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"] == "DISABLED"
    ddb.delete_table(TableName=name)


def test_describe_stream_shard_filter(endpoint, ddb, streams, make_table):
    """ShardFilter CHILD_SHARDS lists the children of a shard: a table's one shard has none; a
    filter of another type is refused. (Sent signed by hand: Debian's botocore predates it.)"""
    import json
    from test_protocol import raw
    table = make_table(StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    arn = ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]

    def describe(shard_filter):
        status, _, out, _ = raw(endpoint, json.dumps({"StreamArn": arn, "ShardFilter": shard_filter}),
                                target="DynamoDBStreams_20120810.DescribeStream")
        return status, out

    status, out = describe({"Type": "CHILD_SHARDS", "ShardId": shard})
    assert status == 200 and out["StreamDescription"]["Shards"] == []
    status, out = describe({"Type": "PARENT_SHARDS", "ShardId": shard})
    assert status == 400 and out["__type"].endswith("#ValidationException")
    assert "shardFilter.type" in out["message"]


def test_a_replaced_stream_stays_listed_and_readable(ddb, streams):
    """Disable a stream and enable a new one: DynamoDB keeps the old one (DISABLED, its shard
    closed, its records readable) beside the new one for 24 hours."""
    name = stream_table(ddb, "KEYS_ONLY")
    try:
        old_arn = ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
        ddb.put_item(TableName=name, Item={"pk": {"S": "before"}})
        ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
        ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
        new_arn = ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
        assert new_arn != old_arn
        ddb.put_item(TableName=name, Item={"pk": {"S": "after"}})

        listed = streams.list_streams(TableName=name)["Streams"]
        assert [s["StreamArn"] for s in listed] == [old_arn, new_arn]
        # Paging one at a time walks both, then stops.
        page = streams.list_streams(TableName=name, Limit=1)
        assert [s["StreamArn"] for s in page["Streams"]] == [old_arn]
        page = streams.list_streams(TableName=name, Limit=1, ExclusiveStartStreamArn=page["LastEvaluatedStreamArn"])
        assert [s["StreamArn"] for s in page["Streams"]] == [new_arn]

        old = streams.describe_stream(StreamArn=old_arn)["StreamDescription"]
        assert old["StreamStatus"] == "DISABLED" and old["StreamViewType"] == "KEYS_ONLY"
        assert "EndingSequenceNumber" in old["Shards"][0]["SequenceNumberRange"]
        assert streams.describe_stream(StreamArn=new_arn)["StreamDescription"]["StreamStatus"] == "ENABLED"
        assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_all(streams, old_arn)] == ["before"]
        new_records = read_all(streams, new_arn)
        assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in new_records] == ["after"]
        assert "NewImage" in new_records[0]["dynamodb"]
    finally:
        ddb.delete_table(TableName=name)
