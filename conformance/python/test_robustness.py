"""Hostile and malformed input: every operation answers with a 4xx DynamoDB error (never a 500,
a crash or a hang), and the server keeps serving afterwards."""
import json

import pytest

from conftest import AGAINST_LOCAL
from test_protocol import raw

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="sends deliberately broken requests at scale")

OPERATIONS = ["CreateTable", "DescribeTable", "ListTables", "DeleteTable", "UpdateTable", "PutItem", "GetItem",
              "UpdateItem", "DeleteItem", "BatchWriteItem", "BatchGetItem", "Query", "Scan", "TagResource",
              "UntagResource", "ListTagsOfResource", "DescribeTimeToLive", "UpdateTimeToLive"]

BODIES = [
    "{}", "[]", "null", "\"x\"", "5", "{\"TableName\": 5}", "{\"TableName\": []}", "{\"TableName\": {}}",
    "{\"TableName\": \"robust\", \"Key\": []}", "{\"TableName\": \"robust\", \"Key\": {\"pk\": []}}",
    "{\"TableName\": \"robust\", \"Item\": {\"pk\": {\"S\": [\"x\"]}}}",
    "{\"TableName\": \"robust\", \"Item\": {\"pk\": {\"M\": {\"a\": {\"L\": [{}]}}}}}",
    "{\"TableName\": \"robust\", \"Key\": {\"pk\": {\"S\": \"a\"}}, \"UpdateExpression\": \"SET ((((\"}",
    "{\"TableName\": \"robust\", \"KeyConditionExpression\": \")\", \"ExpressionAttributeValues\": {\":v\": 1}}",
    "{\"TableName\": \"robust\", \"RequestItems\": {\"robust\": [{}]}}",
    "{\"RequestItems\": {\"robust\": {\"Keys\": [[]]}}}", "{\"RequestItems\": []}",
    "{\"TableName\": \"robust\", \"ExclusiveStartKey\": {\"pk\": {\"N\": \"x\"}}}",
    "{\"TableName\": \"robust\", \"Limit\": -1, \"Segment\": 5, \"TotalSegments\": 2}",
    "{\"TableName\": \"robust\", \"ProjectionExpression\": \"a[99999999999999999999]\"}",
    "{\"TableName\": \"robust\", \"Item\": {\"pk\": {\"N\": \"1e999999999999999999\"}}}",
    "{\"TableName\": \"robust\", \"AttributeDefinitions\": [5], \"KeySchema\": [\"x\"]}",
    "{\"TableName\": \"robust\", \"GlobalSecondaryIndexUpdates\": [{\"Create\": {}}]}",
    "{\"ResourceArn\": \"arn\", \"Tags\": [{}]}",
]


@pytest.fixture(scope="module", autouse=True)
def robust_table(ddb):
    ddb.create_table(TableName="robust", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    yield
    try:  # the DeleteTable cases may well have deleted it, legitimately
        ddb.delete_table(TableName="robust")
    except ddb.exceptions.ResourceNotFoundException:
        pass


@pytest.mark.parametrize("operation", OPERATIONS)
def test_malformed_requests_get_client_errors(endpoint, operation):
    for body in BODIES:
        status, _, answer, text = raw(endpoint, body, target="DynamoDB_20120810." + operation)
        assert status in (200, 400), (operation, body, status, text)
        if status == 400:
            assert answer["__type"].split("#")[1].endswith("Exception"), (operation, body, answer)


def test_still_serving(ddb, make_table):
    name = make_table()
    ddb.put_item(TableName=name, Item={"pk": {"S": "alive"}})
    assert ddb.get_item(TableName=name, Key={"pk": {"S": "alive"}})["Item"] == {"pk": {"S": "alive"}}
