"""Warm throughput (DynamoDB, November 2024): CreateTable and UpdateTable take WarmThroughput for
the table and for each GSI, and DescribeTable reports it. Debian's botocore predates the member
(it drops it from requests and answers), so these requests are sent as raw signed JSON.

localddb throttles nothing: warm throughput is state only. A table starts at DynamoDB's values for
a new table (12,000 read and 4,000 write units per second) and only grows.
"""
import json

from conftest import unique_name
from test_protocol import raw


def call(endpoint, operation, body):
    status, _, parsed, _ = raw(endpoint, json.dumps(body), target=f"DynamoDB_20120810.{operation}")
    return status, parsed


def describe(endpoint, name):
    status, parsed = call(endpoint, "DescribeTable", {"TableName": name})
    assert status == 200, parsed
    return parsed["Table"]


def test_warm_throughput_is_described_asked_for_and_only_grows(endpoint):
    name = unique_name("warm")
    status, parsed = call(endpoint, "CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "g", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "WarmThroughput": {"ReadUnitsPerSecond": 15000, "WriteUnitsPerSecond": 20000},
        "GlobalSecondaryIndexes": [{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "ALL"}}]})
    assert status == 200, parsed
    try:
        table = describe(endpoint, name)
        assert table["WarmThroughput"] == {"ReadUnitsPerSecond": 15000, "WriteUnitsPerSecond": 20000,
                                           "Status": "ACTIVE"}
        # A GSI without a request starts at the new-table values.
        assert table["GlobalSecondaryIndexes"][0]["WarmThroughput"] == {
            "ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"}

        status, parsed = call(endpoint, "UpdateTable", {
            "TableName": name, "WarmThroughput": {"ReadUnitsPerSecond": 30000},
            "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "by-g",
                                                        "WarmThroughput": {"WriteUnitsPerSecond": 9000}}}]})
        assert status == 200, parsed
        table = describe(endpoint, name)
        assert table["WarmThroughput"]["ReadUnitsPerSecond"] == 30000
        assert table["WarmThroughput"]["WriteUnitsPerSecond"] == 20000  # not lowered by omission
        assert table["GlobalSecondaryIndexes"][0]["WarmThroughput"]["WriteUnitsPerSecond"] == 9000

        # The constraint on each value.
        status, parsed = call(endpoint, "UpdateTable", {"TableName": name,
                                                        "WarmThroughput": {"ReadUnitsPerSecond": 0}})
        assert status == 400
        assert parsed["__type"].endswith("ValidationException")
        assert parsed["message"] == ("1 validation error detected: Value '0' at 'warmThroughput.readUnitsPerSecond' "
                                     "failed to satisfy constraint: Member must have value greater than or equal to 1")
    finally:
        call(endpoint, "DeleteTable", {"TableName": name})


def test_a_provisioned_table_is_at_least_as_warm_as_its_capacity(endpoint):
    name = unique_name("warm")
    status, parsed = call(endpoint, "CreateTable", {
        "TableName": name,
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "ProvisionedThroughput": {"ReadCapacityUnits": 20000, "WriteCapacityUnits": 5}})
    assert status == 200, parsed
    try:
        assert describe(endpoint, name)["WarmThroughput"] == {"ReadUnitsPerSecond": 20000,
                                                              "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"}
    finally:
        call(endpoint, "DeleteTable", {"TableName": name})
