"""Answers that must be DynamoDB's own: required parameters, key schemas, key conditions,
transactions' limits, tags by ARN, updates that only remove, and Streams' ARNs.

Every test runs against real DynamoDB too (LOCALDDB_ENDPOINT). Where a message could not be
confirmed from a capture of real DynamoDB, its test says so.
"""
import re

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, lax_client, unique_name

REQUIRED_TABLE_NAME = "The parameter 'TableName' is required but was not present in the request"


@pytest.fixture(scope="module")
def lax(ddb):
    return lax_client(ddb, "dynamodb")


@pytest.fixture(scope="module")
def lax_streams(ddb):
    return lax_client(ddb, "dynamodbstreams")


def refusal(call, **kwargs):
    with pytest.raises(ClientError) as e:
        call(**kwargs)
    return error_of(e)


# 1. Required parameters and key schemas.

@pytest.mark.parametrize("operation,kwargs", [
    ("describe_table", {}),
    ("delete_table", {}),
    ("update_table", {"BillingMode": "PAY_PER_REQUEST"}),
    ("describe_time_to_live", {}),
    ("update_time_to_live", {"TimeToLiveSpecification": {"Enabled": True, "AttributeName": "ttl"}}),
    # Reported alone, before the other members' constraints.
    ("create_table", {}),
    ("create_table", {"AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                      "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}),
])
def test_table_operations_require_table_name(lax, operation, kwargs):
    # Confirmed: aws-sdk-java#977 (DescribeTable), aws-sdk-java#344 (UpdateTable), dynalite's
    # CreateTable/DeleteTable/TimeToLive validations.
    assert refusal(getattr(lax, operation), **kwargs) == ("ValidationException", REQUIRED_TABLE_NAME, 400)


def test_item_operations_report_a_missing_table_name_as_a_violation(lax):
    # The contrast: item operations keep the constraint form (confirmed for GetItem).
    assert refusal(lax.get_item, Key={"pk": {"S": "a"}}) == (
        "ValidationException",
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
        400)


def test_key_schema_of_more_than_two_elements(ddb):
    code, message, status = refusal(
        ddb.create_table, TableName=unique_name(), BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "extra")],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"},
                   {"AttributeName": "extra", "KeyType": "RANGE"}])
    assert (code, status) == ("ValidationException", 400)
    assert message == ("1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), "
                       "KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=extra, "
                       "keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less "
                       "than or equal to 2")


def test_key_schema_naming_one_attribute_twice(ddb):
    assert refusal(ddb.create_table, TableName=unique_name(), BillingMode="PAY_PER_REQUEST",
                   AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                   KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "pk", "KeyType": "RANGE"}]
                   ) == ("ValidationException", "Invalid KeySchema: Some index key attribute have no definition", 400)


# 2. Key conditions on attributes that are no key.

@pytest.fixture(scope="module")
def keyed(ddb):
    name = unique_name("kc")
    ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "g", "gs")],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{"IndexName": "by-g", "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                                               {"AttributeName": "gs", "KeyType": "RANGE"}]}])
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    yield name
    ddb.delete_table(TableName=name)


@pytest.mark.parametrize("index,condition,missed", [
    (None, "color = :a", "pk"),
    (None, "pk = :a AND color = :b", "sk"),
    (None, "color = :a AND sk = :b", "pk"),
    ("by-g", "color = :a", "g"),
    ("by-g", "g = :a AND color = :b", "gs"),
    ("by-g", "pk = :a AND gs = :b", "g"),
])
def test_query_condition_on_a_non_key_attribute(ddb, keyed, index, condition, missed):
    # Confirmed: moto's tests of GSI queries (the hash key named when no part names it, else the range key).
    kwargs = {"IndexName": index} if index else {}
    values = {":a": {"S": "x"}, ":b": {"S": "y"}}
    values = {k: v for k, v in values.items() if k in condition}
    assert refusal(ddb.query, TableName=keyed, KeyConditionExpression=condition, ExpressionAttributeValues=values,
                   **kwargs) == ("ValidationException", f"Query condition missed key schema element: {missed}", 400)


# 3. Transactions and throughput.

def test_transact_get_items_naming_one_item_twice(ddb, make_table):
    name = make_table()
    get = {"Get": {"TableName": name, "Key": {"pk": {"S": "a"}}}}
    assert refusal(ddb.transact_get_items, TransactItems=[get, get]) == (
        "ValidationException", "Transaction request cannot include multiple operations on one item", 400)


def test_transact_write_items_over_four_megabytes(ddb, make_table):
    # The refusal is documented ("The aggregate size of the items in the transaction cannot exceed
    # 4 MB"); its exact wording could not be confirmed from a capture of real DynamoDB.
    name = make_table()
    blob = "x" * 395_000
    puts = [{"Put": {"TableName": name, "Item": {"pk": {"S": f"k{i}"}, "v": {"S": blob}}}} for i in range(11)]
    assert refusal(ddb.transact_write_items, TransactItems=puts) == (
        "ValidationException", "Transaction size exceeded the maximum allowed size of 4 MB", 400)
    assert ddb.scan(TableName=name, Select="COUNT")["Count"] == 0


def test_update_table_with_unchanged_provisioned_throughput(ddb, make_table):
    # Confirmed (the message up to "Current WriteCapacityUnits"): a 2026 capture of UpdateTable with
    # BillingMode=PROVISIONED and the same throughput; the rest follows the same pattern.
    name = make_table(BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    code, message, status = refusal(ddb.update_table, TableName=name, BillingMode="PROVISIONED",
                                    ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    assert (code, status) == ("ValidationException", 400)
    assert message == (
        "The provisioned throughput for the table will not change. The requested value equals the current value. "
        "Current ReadCapacityUnits provisioned for the table: 1. Requested ReadCapacityUnits: 1. "
        "Current WriteCapacityUnits provisioned for the table: 1. Requested WriteCapacityUnits: 1. "
        "Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.")


# 4. Tags by ARN.

def test_tag_resource_with_an_arn_that_is_no_table_arn(ddb, make_table):
    # Confirmed: scylladb's test_tag.py quotes DynamoDB refusing an index's ARN this way.
    name = make_table()
    index_arn = ddb.describe_table(TableName=name)["Table"]["TableArn"] + "/index/gsi"
    assert refusal(ddb.tag_resource, ResourceArn=index_arn, Tags=[{"Key": "k", "Value": "v"}]) == (
        "ValidationException", f"Invalid TableArn: Invalid ResourceArn provided as input {index_arn}", 400)


def test_list_tags_of_a_table_that_does_not_exist(ddb, make_table):
    name = make_table()
    arn = ddb.describe_table(TableName=name)["Table"]["TableArn"] + "-gone"
    with pytest.raises(ClientError) as e:
        ddb.list_tags_of_resource(ResourceArn=arn)
    code, message, status = error_of(e)
    assert (code, status) == ("AccessDeniedException", 400)
    # The caller's identity differs between accounts (localddb: the account's root).
    assert re.fullmatch(r"User: arn:aws:\S+ is not authorized to perform: dynamodb:ListTagsOfResource on resource: "
                        + re.escape(arn) + r"( .*)?", message)
    # TagResource on the same ARN says the resource is not found.
    assert refusal(ddb.tag_resource, ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}]) == (
        "ResourceNotFoundException", f"Requested resource not found: ResourcArn: {arn} not found", 400)


# 5. Updates that only remove, legacy type mismatches, AttributesToGet.

def stream_records(streams, ddb, name):
    arn = ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    records = []
    for shard in shards:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            page = streams.get_records(ShardIterator=it)
            records += page["Records"]
            if not page["Records"]:
                break
            it = page.get("NextShardIterator")
    return records


@pytest.mark.parametrize("update", [
    {"UpdateExpression": "REMOVE a, b"},
    {"AttributeUpdates": {"a": {"Action": "DELETE"}, "s": {"Action": "DELETE", "Value": {"SS": ["x"]}}}},
])
def test_update_that_only_removes_creates_no_item(ddb, lax_streams, make_table, update):
    name = make_table(StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    out = ddb.update_item(TableName=name, Key={"pk": {"S": "ghost"}}, ReturnValues="ALL_NEW", **update)
    assert "Attributes" not in out
    assert "Item" not in ddb.get_item(TableName=name, Key={"pk": {"S": "ghost"}}, ConsistentRead=True)
    ddb.put_item(TableName=name, Item={"pk": {"S": "real"}})
    records = stream_records(lax_streams, ddb, name)
    assert [(r["eventName"], r["dynamodb"]["Keys"]) for r in records] == [("INSERT", {"pk": {"S": "real"}})]


@pytest.mark.parametrize("attribute,update", [
    ("n", {"Action": "ADD", "Value": {"SS": ["x"]}}),
    ("n", {"Action": "DELETE", "Value": {"NS": ["1"]}}),
    ("s", {"Action": "DELETE", "Value": {"NS": ["1"]}}),
])
def test_legacy_add_or_delete_on_another_type(ddb, make_table, attribute, update):
    # Confirmed: dynalite's updateItem tests ("Type mismatch for attribute to update").
    name = make_table()
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "n": {"N": "1"}, "s": {"SS": ["x"]}})
    assert refusal(ddb.update_item, TableName=name, Key={"pk": {"S": "a"}},
                   AttributeUpdates={attribute: update}) == (
        "ValidationException", "Type mismatch for attribute to update", 400)


def test_attributes_to_get_empty(lax, make_table):
    # Confirmed: dynalite's GetItem validation (the list's minimum length of 1).
    name = make_table()
    assert refusal(lax.get_item, TableName=name, Key={"pk": {"S": "a"}}, AttributesToGet=[]) == (
        "ValidationException",
        "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have "
        "length greater than or equal to 1", 400)


# 6. Streams' ARNs.

NOT_A_STREAM_ARN = "this-is-no-stream-arn-but-long-enough-for-its-length"


def test_describe_stream_of_a_string_that_is_no_stream_arn(lax_streams):
    # Confirmed: the AWS SDK for JavaScript's smoke test and logstash-input-dynamodb#18 ("Invalid StreamArn").
    assert refusal(lax_streams.describe_stream, StreamArn=NOT_A_STREAM_ARN) == (
        "ValidationException", "Invalid StreamArn", 400)
    assert refusal(lax_streams.get_shard_iterator, StreamArn=NOT_A_STREAM_ARN, ShardId="shardId-00000000000000000000-00000000",
                   ShardIteratorType="TRIM_HORIZON") == ("ValidationException", "Invalid StreamArn", 400)


def test_describe_stream_of_a_well_formed_arn_of_no_stream(ddb, lax_streams, make_table):
    name = make_table()
    arn = ddb.describe_table(TableName=name)["Table"]["TableArn"] + "/stream/2020-01-01T00:00:00.000"
    code, _, status = refusal(lax_streams.describe_stream, StreamArn=arn)
    assert (code, status) == ("ResourceNotFoundException", 400)
    code, _, status = refusal(lax_streams.get_shard_iterator, StreamArn=arn,
                              ShardId="shardId-00000000000000000000-00000000", ShardIteratorType="TRIM_HORIZON")
    assert (code, status) == ("ResourceNotFoundException", 400)


def test_list_streams_from_a_deleted_tables_stream(ddb, lax_streams):
    prefix = unique_name("ls")
    names = [prefix + "-a", prefix + "-b"]
    for name in names:
        ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
        ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    first, second = (ddb.describe_table(TableName=n)["Table"]["LatestStreamArn"] for n in names)
    try:
        ddb.delete_table(TableName=names[0])
        ddb.get_waiter("table_not_exists").wait(TableName=names[0], WaiterConfig={"Delay": 1})
        listed, start = [], first
        while start:
            page = lax_streams.list_streams(ExclusiveStartStreamArn=start)
            listed += [s["StreamArn"] for s in page["Streams"]]
            start = page.get("LastEvaluatedStreamArn")
        assert second in listed
    finally:
        for name in names:
            try:
                ddb.delete_table(TableName=name)
            except ddb.exceptions.ResourceNotFoundException:
                pass
