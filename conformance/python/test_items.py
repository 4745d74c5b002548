"""PutItem, GetItem, DeleteItem, BatchWriteItem, BatchGetItem and value fidelity."""
import decimal

import pytest
from botocore.exceptions import ClientError

from conftest import error_of


@pytest.fixture(scope="module")
def table(ddb):
    from conftest import unique_name
    name = unique_name()
    ddb.create_table(TableName=name,
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                     BillingMode="PAY_PER_REQUEST")
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    yield name
    ddb.delete_table(TableName=name)


def key(pk, sk):
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def test_round_trip_every_type(ddb, table):
    item = {**key("types", 1), "s": {"S": "héllo"}, "n": {"N": "-12.50"}, "b": {"B": b"\x00\xff"},
            "t": {"BOOL": True}, "z": {"NULL": True}, "l": {"L": [{"S": "a"}, {"N": "1"}]},
            "m": {"M": {"x": {"SS": ["b", "a"]}}}, "ns": {"NS": ["2.5", "1"]}, "bs": {"BS": [b"a", b"b"]}}
    ddb.put_item(TableName=table, Item=item)
    got = ddb.get_item(TableName=table, Key=key("types", 1))["Item"]
    assert got["n"] == {"N": "-12.5"}
    assert got["s"] == {"S": "héllo"}
    assert got["b"] == {"B": b"\x00\xff"}
    assert got["l"] == item["l"] and got["t"] == item["t"] and got["z"] == item["z"]
    # DynamoDB returns set members in its own order: bytewise, numbers by value.
    assert got["m"]["M"]["x"]["SS"] == ["a", "b"]
    assert got["ns"]["NS"] == ["1", "2.5"]


def test_sets_come_back_in_dynamodbs_order(ddb, table):
    ddb.put_item(TableName=table, Item={**key("order", 1), "ss": {"SS": ["b", "", "a"]}, "ns": {"NS": ["10", "9", "-1.5"]}})
    got = ddb.get_item(TableName=table, Key=key("order", 1))["Item"]
    assert got["ss"]["SS"] == ["", "a", "b"]
    assert got["ns"]["NS"] == ["-1.5", "9", "10"]


@pytest.mark.parametrize("sent,returned", [("1E+2", "100"), ("0.50", "0.5"), ("-0", "0"), ("000123", "123"),
                                           ("1.23e-5", "0.0000123"),
                                           ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678")])
def test_number_normalisation(ddb, table, sent, returned):
    ddb.put_item(TableName=table, Item={**key("num", 1), "v": {"N": sent}})
    assert ddb.get_item(TableName=table, Key=key("num", 1))["Item"]["v"] == {"N": returned}


# PutItem reports value errors inside DynamoDB's "1 validation error detected: " envelope
# (captured from DynamoDB; GetItem and Query report the same errors bare).
ENVELOPE = "1 validation error detected: "


@pytest.mark.parametrize("value,message", [
    ({"N": "abc"}, ENVELOPE + "The parameter cannot be converted to a numeric value: abc"),
    ({"N": ""}, ENVELOPE + "The parameter cannot be converted to a numeric value: "),
    ({"N": "1E+126"}, ENVELOPE + "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ({"N": "1e2147483647"}, ENVELOPE + "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ({"N": "1E-131"}, ENVELOPE + "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
    ({"N": "123456789012345678901234567890123456789"}, ENVELOPE + "Attempting to store more than 38 significant digits in a Number"),
    ({"SS": []}, ENVELOPE + "One or more parameter values were invalid: An string set  may not be empty"),
    ({"SS": ["b", "a", "b"]}, ENVELOPE + 'One or more parameter values were invalid: Input collection ["a", "b", "b"] contains duplicates.'),
    ({"NS": ["2", "1", "2"]}, ENVELOPE + "One or more parameter values were invalid: Input collection contains duplicates."),
    ({"NULL": False}, ENVELOPE + "One or more parameter values were invalid: Null attribute value types must have the value of true"),
    ({}, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
    ({"S": "a", "N": "1"}, "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"),
])
def test_invalid_values(ddb, table, value, message):
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=table, Item={**key("bad", 1), "v": value})
    assert error_of(e) == ("ValidationException", message, 400)


def test_value_errors_are_bare_on_reads_and_older_on_batch_writes(ddb, table):
    with pytest.raises(ClientError) as e:
        ddb.get_item(TableName=table, Key={"pk": {"S": "x"}, "sk": {"N": "abc"}})
    assert error_of(e)[1] == "The parameter cannot be converted to a numeric value: abc"
    with pytest.raises(ClientError) as e:
        ddb.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": {**key("x", 1), "s": {"SS": ["b", "a", "b"]}}}}]})
    assert error_of(e)[1] == "One or more parameter values were invalid: Input collection [b, a, b] contains duplicates."


def test_empty_key_value(ddb, table):
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=table, Item={"pk": {"S": ""}, "sk": {"N": "1"}})
    assert error_of(e) == ("ValidationException", "One or more parameter values are not valid. The AttributeValue for a key "
                           "attribute cannot contain an empty string value. Key: pk", 400)


def test_key_errors(ddb, table):
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=table, Item={"pk": {"S": "x"}})
    assert error_of(e) == ("ValidationException", "One or more parameter values were invalid: Missing the key sk in the item", 400)
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=table, Item={"pk": {"S": "x"}, "sk": {"S": "1"}})
    assert error_of(e) == ("ValidationException",
                           "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S", 400)
    with pytest.raises(ClientError) as e:
        ddb.get_item(TableName=table, Key={"pk": {"S": "x"}})
    assert error_of(e) == ("ValidationException", "The provided key element does not match the schema", 400)
    with pytest.raises(ClientError) as e:
        ddb.get_item(TableName=table, Key={**key("x", 1), "extra": {"S": "y"}})
    assert error_of(e) == ("ValidationException", "The provided key element does not match the schema", 400)


def test_item_too_large(ddb, table):
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=table, Item={**key("big", 1), "v": {"S": "x" * (400 * 1024)}})
    assert error_of(e) == ("ValidationException", "Item size has exceeded the maximum allowed size", 400)


def test_missing_table(ddb):
    with pytest.raises(ClientError) as e:
        ddb.get_item(TableName="no-such-table", Key={"pk": {"S": "x"}})
    assert error_of(e) == ("ResourceNotFoundException", "Requested resource not found", 400)


def test_put_return_values_and_delete(ddb, table):
    assert "Attributes" not in ddb.put_item(TableName=table, Item={**key("rv", 1), "v": {"S": "one"}}, ReturnValues="ALL_OLD")
    out = ddb.put_item(TableName=table, Item={**key("rv", 1), "v": {"S": "two"}}, ReturnValues="ALL_OLD")
    assert out["Attributes"]["v"] == {"S": "one"}
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=table, Item=key("rv", 1), ReturnValues="ALL_NEW")
    assert error_of(e) == ("ValidationException", "1 validation error detected: ReturnValues can only be ALL_OLD or NONE", 400)
    out = ddb.delete_item(TableName=table, Key=key("rv", 1), ReturnValues="ALL_OLD")
    assert out["Attributes"]["v"] == {"S": "two"}
    assert "Item" not in ddb.get_item(TableName=table, Key=key("rv", 1))


def test_consumed_capacity(ddb, table):
    ddb.put_item(TableName=table, Item={**key("cap", 1), "v": {"S": "x" * 5000}})
    out = ddb.get_item(TableName=table, Key=key("cap", 1), ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0}
    out = ddb.get_item(TableName=table, Key=key("cap", 1), ReturnConsumedCapacity="TOTAL", ConsistentRead=True)
    assert out["ConsumedCapacity"]["CapacityUnits"] == 2.0
    out = ddb.put_item(TableName=table, Item={**key("cap", 2), "v": {"S": "x" * 1500}}, ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"]["CapacityUnits"] == 2.0


def test_batch_write_and_get(ddb, table):
    puts = [{"PutRequest": {"Item": {**key("batch", i), "v": {"N": str(i)}}}} for i in range(25)]
    assert ddb.batch_write_item(RequestItems={table: puts})["UnprocessedItems"] == {}
    got = ddb.batch_get_item(RequestItems={table: {"Keys": [key("batch", i) for i in range(25)]}})
    assert got["UnprocessedKeys"] == {}
    assert sorted(int(i["v"]["N"]) for i in got["Responses"][table]) == list(range(25))
    deletes = [{"DeleteRequest": {"Key": key("batch", i)}} for i in range(25)]
    ddb.batch_write_item(RequestItems={table: deletes})
    got = ddb.batch_get_item(RequestItems={table: {"Keys": [key("batch", i) for i in range(3)]}})
    assert got["Responses"][table] == []


def test_batch_write_errors(ddb, table):
    too_many = [{"PutRequest": {"Item": key("many", i)}} for i in range(26)]
    with pytest.raises(ClientError) as e:
        ddb.batch_write_item(RequestItems={table: too_many})
    code, message, status = error_of(e)
    assert (code, status) == ("ValidationException", 400)
    assert message.startswith("1 validation error detected: Value '{" + table + "=")
    assert message.endswith("' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
                            "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]")
    dup = [{"PutRequest": {"Item": key("dup", 1)}}, {"DeleteRequest": {"Key": key("dup", 1)}}]
    with pytest.raises(ClientError) as e:
        ddb.batch_write_item(RequestItems={table: dup})
    assert error_of(e) == ("ValidationException", "Provided list of item keys contains duplicates", 400)
    # A bad request in a batch writes nothing.
    mixed = [{"PutRequest": {"Item": key("atomic", 1)}}, {"PutRequest": {"Item": {"pk": {"S": "atomic"}}}}]
    with pytest.raises(ClientError):
        ddb.batch_write_item(RequestItems={table: mixed})
    assert "Item" not in ddb.get_item(TableName=table, Key=key("atomic", 1))


@pytest.mark.parametrize("request_items,message", [
    (lambda t: {t: [{"PutRequest": {"Item": {"sk": {"N": "1"}}}}]}, "The provided key element does not match the schema"),
    (lambda t: {t: [{"PutRequest": {"Item": {"pk": {"N": "5"}, "sk": {"N": "1"}}}}]},
     "The provided key element does not match the schema"),
    (lambda t: {t: [{"PutRequest": {"Item": {"pk": {"S": ""}, "sk": {"N": "1"}}}}]},
     "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"),
    (lambda t: {}, "The requestItems parameter is required for BatchWriteItem"),
])
def test_batch_write_exact_messages(ddb, table, request_items, message):
    with pytest.raises(ClientError) as e:
        ddb.batch_write_item(RequestItems=request_items(table))
    assert error_of(e) == ("ValidationException", message.replace("TABLE", table), 400)


def test_batch_get_exact_messages(ddb, table):
    with pytest.raises(ClientError) as e:
        ddb.batch_get_item(RequestItems={})
    assert error_of(e) == ("ValidationException", "1 validation error detected: Value at 'RequestItems' failed to satisfy "
                           "constraint: Member must have length greater than or equal to 1", 400)
    with pytest.raises(ClientError) as e:
        ddb.batch_get_item(RequestItems={table: {"Keys": [key("many", i) for i in range(101)]}})
    assert error_of(e) == ("ValidationException", f"1 validation error detected: Value at 'RequestItems.{table}.member.Keys' "
                           "failed to satisfy constraint: Member must have length less than or equal to 100", 400)
    with pytest.raises(ClientError) as e:
        ddb.batch_get_item(RequestItems={table: {"Keys": [key("p", 1)], "ProjectionExpression": "a, a"}})
    assert error_of(e) == ("ValidationException", "Invalid ProjectionExpression: Two document paths overlap with each other; "
                           "must remove or rewrite one of these paths; path one: [a], path two: [a]", 400)
