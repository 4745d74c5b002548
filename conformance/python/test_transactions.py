"""TransactWriteItems and TransactGetItems: all-or-nothing writes, positional cancellation
reasons, request-level refusals, idempotency tokens, and transactional reads."""
import os

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

from conftest import error_of


@pytest.fixture
def unchecked(ddb):
    """A client like ddb without botocore's own parameter checks, to send what it would refuse."""
    return boto3.client("dynamodb", endpoint_url=ddb.meta.endpoint_url, region_name=ddb.meta.region_name,
                        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "local"),
                        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "local"),
                        config=botocore.config.Config(parameter_validation=False, retries={"max_attempts": 1}))


@pytest.fixture
def table(make_table):
    return make_table(("pk", "S"), extra_attributes=[("g", "S")], GlobalSecondaryIndexes=[
        {"IndexName": "by-g", "Projection": {"ProjectionType": "ALL"},
         "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}])


def put(ddb, table, pk, **attrs):
    item = {"pk": {"S": pk}, **{k: v for k, v in attrs.items()}}
    ddb.put_item(TableName=table, Item=item)


def get(ddb, table, pk):
    return ddb.get_item(TableName=table, Key={"pk": {"S": pk}}, ConsistentRead=True).get("Item")


def cancelled(excinfo):
    err = excinfo.value.response
    assert err["Error"]["Code"] == "TransactionCanceledException"
    return err["Error"]["Message"], err.get("CancellationReasons")


def test_all_actions_apply_together(ddb, table):
    put(ddb, table, "keep", n={"N": "1"})
    put(ddb, table, "gone", g={"S": "G"})
    put(ddb, table, "upd", n={"N": "5"})
    ddb.transact_write_items(TransactItems=[
        {"ConditionCheck": {"TableName": table, "Key": {"pk": {"S": "keep"}}, "ConditionExpression": "n = :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        {"Put": {"TableName": table, "Item": {"pk": {"S": "new"}, "g": {"S": "G"}},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Delete": {"TableName": table, "Key": {"pk": {"S": "gone"}}}},
        {"Update": {"TableName": table, "Key": {"pk": {"S": "upd"}}, "UpdateExpression": "ADD n :two SET g = :g",
                    "ExpressionAttributeValues": {":two": {"N": "2"}, ":g": {"S": "G"}}}},
    ])
    assert get(ddb, table, "new") == {"pk": {"S": "new"}, "g": {"S": "G"}}
    assert get(ddb, table, "gone") is None
    assert get(ddb, table, "upd") == {"pk": {"S": "upd"}, "n": {"N": "7"}, "g": {"S": "G"}}
    # The index followed every write.
    keys = sorted(i["pk"]["S"] for i in ddb.query(TableName=table, IndexName="by-g", KeyConditionExpression="g = :g",
                                                  ExpressionAttributeValues={":g": {"S": "G"}})["Items"])
    assert keys == ["new", "upd"]


def test_one_failed_condition_cancels_everything_with_positional_reasons(ddb, table):
    put(ddb, table, "exists", v={"S": "old"})
    with pytest.raises(ClientError) as e:
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": {"S": "fresh"}}, "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": table, "Item": {"pk": {"S": "exists"}, "v": {"S": "new"}},
                     "ConditionExpression": "attribute_not_exists(pk)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
        ])
    message, reasons = cancelled(e)
    assert message == ("Transaction cancelled, please refer cancellation reasons for specific reasons "
                       "[None, ConditionalCheckFailed]")
    assert reasons[0]["Code"] == "None"
    assert reasons[1]["Code"] == "ConditionalCheckFailed"
    assert reasons[1]["Message"] == "The conditional request failed"
    assert reasons[1]["Item"] == {"pk": {"S": "exists"}, "v": {"S": "old"}}
    assert get(ddb, table, "fresh") is None  # nothing applied
    assert get(ddb, table, "exists")["v"] == {"S": "old"}


def test_request_level_refusals(ddb, unchecked, table):
    def refused(items):
        with pytest.raises(ClientError) as e:
            unchecked.transact_write_items(TransactItems=items)
        return error_of(e)

    assert refused([{"Put": {"TableName": table, "Item": {"pk": {"S": "d"}}}},
                    {"Delete": {"TableName": table, "Key": {"pk": {"S": "d"}}}}]) == (
        "ValidationException", "Transaction request cannot include multiple operations on one item", 400)
    code, message, _ = refused([])
    assert code == "ValidationException" and "Member must have length greater than or equal to 1" in message
    code, message, _ = refused([{"Put": {"TableName": table, "Item": {"pk": {"S": f"x{i}"}}}} for i in range(101)])
    assert code == "ValidationException" and message.endswith("Member must have length less than or equal to 100")
    assert refused([{"Put": {"TableName": "no-such-table-tx", "Item": {"pk": {"S": "x"}}}}]) == (
        "ResourceNotFoundException", "Requested resource not found", 400)
    assert refused([{"Put": {"TableName": table, "Item": {"pk": {"S": ""}}}}]) == (
        "ValidationException",
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
        "empty string value. Key: pk", 400)


def test_invalid_keys_cancel_with_validation_reasons(ddb, table):
    with pytest.raises(ClientError) as e:
        ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": {"pk": {"N": "5"}}}}])
    message, reasons = cancelled(e)
    assert message.endswith("[ValidationError]")
    assert reasons == [{"Code": "ValidationError",
                        "Message": "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"}]
    with pytest.raises(ClientError) as e:
        ddb.transact_write_items(TransactItems=[{"Delete": {"TableName": table, "Key": {"pk": {"N": "5"}}}}])
    assert cancelled(e)[1] == [{"Code": "ValidationError", "Message": "The provided key element does not match the schema"}]


def test_client_request_token_makes_a_retry_harmless(ddb, table):
    put(ddb, table, "counter", n={"N": "0"})
    request = [{"Update": {"TableName": table, "Key": {"pk": {"S": "counter"}}, "UpdateExpression": "ADD n :one",
                           "ExpressionAttributeValues": {":one": {"N": "1"}}}}]
    for _ in range(2):
        ddb.transact_write_items(TransactItems=request, ClientRequestToken="token-counter-1")
    assert get(ddb, table, "counter")["n"] == {"N": "1"}
    other = [{"Delete": {"TableName": table, "Key": {"pk": {"S": "counter"}}}}]
    with pytest.raises(ClientError) as e:
        ddb.transact_write_items(TransactItems=other, ClientRequestToken="token-counter-1")
    assert error_of(e)[0] == "IdempotentParameterMismatchException"


def test_transact_get_items(ddb, unchecked, table):
    put(ddb, table, "a", n={"N": "1"}, s={"S": "x"})
    put(ddb, table, "b", n={"N": "1"}, s={"S": "y"})
    # Two reads of one item are refused (test_fidelity_gaps.py), so the projection reads another.
    out = ddb.transact_get_items(TransactItems=[
        {"Get": {"TableName": table, "Key": {"pk": {"S": "a"}}}},
        {"Get": {"TableName": table, "Key": {"pk": {"S": "missing"}}}},
        {"Get": {"TableName": table, "Key": {"pk": {"S": "b"}}, "ProjectionExpression": "#n",
                 "ExpressionAttributeNames": {"#n": "n"}}},
    ], ReturnConsumedCapacity="TOTAL")
    assert out["Responses"] == [{"Item": {"pk": {"S": "a"}, "n": {"N": "1"}, "s": {"S": "x"}}}, {}, {"Item": {"n": {"N": "1"}}}]
    assert out["ConsumedCapacity"][0]["TableName"] == table
    assert out["ConsumedCapacity"][0]["CapacityUnits"] == 6.0  # three transactional reads of up to 4 KB
    with pytest.raises(ClientError) as e:
        ddb.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": {}}}])
    message, reasons = cancelled(e)
    assert message.endswith("[ValidationError]") and reasons[0]["Code"] == "ValidationError"
    with pytest.raises(ClientError) as e:
        unchecked.transact_get_items(TransactItems=[])
    assert error_of(e)[0] == "ValidationException"
