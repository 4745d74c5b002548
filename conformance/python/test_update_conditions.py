"""UpdateItem, conditional writes and projections on reads."""
import threading
from decimal import Decimal

import pytest
from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError

from conftest import error_of, make_client, unique_name


@pytest.fixture(scope="module")
def table(ddb, resource):
    name = unique_name()
    ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    yield resource.Table(name)
    ddb.delete_table(TableName=name)


def test_update_actions_and_return_values(table):
    table.put_item(Item={"pk": "u1", "a": 1, "l": [1, 2, 3], "s": {"x", "y"}, "s2": {"x", "q"}, "m": {"k": "v"}})
    out = table.update_item(Key={"pk": "u1"},
                            UpdateExpression="SET a = a + :one, l[5] = :four, m.k2 = :v, n = if_not_exists(n, :z) "
                                             "REMOVE l[0] ADD s :more DELETE s2 :gone",
                            ExpressionAttributeValues={":one": 1, ":four": 4, ":v": "w", ":z": 10,
                                                       ":more": {"z"}, ":gone": {"x"}},
                            ReturnValues="ALL_NEW")["Attributes"]
    assert out["a"] == 2 and out["n"] == 10
    assert out["l"] == [2, 3, 4]
    assert out["s"] == {"x", "y", "z"}
    assert out["s2"] == {"q"}
    assert out["m"] == {"k": "v", "k2": "w"}
    old = table.update_item(Key={"pk": "u1"}, UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": 5},
                            ReturnValues="UPDATED_OLD")["Attributes"]
    assert old == {"a": 2}
    new = table.update_item(Key={"pk": "u1"}, UpdateExpression="SET a = a - :v", ExpressionAttributeValues={":v": 7},
                            ReturnValues="UPDATED_NEW")["Attributes"]
    assert new == {"a": -2}


def test_update_creates_missing_item(table):
    out = table.update_item(Key={"pk": "new"}, UpdateExpression="SET c = list_append(if_not_exists(c, :e), :x)",
                            ExpressionAttributeValues={":e": [], ":x": ["a"]}, ReturnValues="ALL_NEW")
    assert out["Attributes"] == {"pk": "new", "c": ["a"]}


@pytest.mark.parametrize("expression,values,message", [
    ("SET pk = :v", {":v": "x"}, "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"),
    ("SET a = :v, a = :v", {":v": "x"},
     "1 validation error detected: Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"),
    ("SET a = :v SET b = :v", {":v": "x"}, "1 validation error detected: Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;"),
    ("ADD a :v", {":v": "x"}, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING"),
    ("SET a = :v + :v", {":v": "x"}, "An operand in the update expression has an incorrect data type"),
    ("SET a = size(b)", {}, "1 validation error detected: Invalid UpdateExpression: The function is not allowed in an update expression; function: size"),
])
def test_update_errors(table, expression, values, message):
    # UpdateItem reports expression errors inside "1 validation error detected: " (captured from
    # DynamoDB); errors found while applying the update (the key attribute) come bare.
    kwargs = {"ExpressionAttributeValues": values} if values else {}
    with pytest.raises(ClientError) as e:
        table.update_item(Key={"pk": "err"}, UpdateExpression=expression, **kwargs)
    assert error_of(e) == ("ValidationException", message, 400)


def test_conditional_put_and_delete(table):
    table.put_item(Item={"pk": "c1", "v": 1}, ConditionExpression=Attr("pk").not_exists())
    with pytest.raises(ClientError) as e:
        table.put_item(Item={"pk": "c1", "v": 2}, ConditionExpression=Attr("pk").not_exists())
    assert error_of(e) == ("ConditionalCheckFailedException", "The conditional request failed", 400)
    with pytest.raises(ClientError) as e:
        table.delete_item(Key={"pk": "c1"}, ConditionExpression=Attr("v").eq(5))
    assert error_of(e)[0] == "ConditionalCheckFailedException"
    table.delete_item(Key={"pk": "c1"}, ConditionExpression=Attr("v").eq(1))
    assert "Item" not in table.get_item(Key={"pk": "c1"})


def test_condition_failure_returns_old_item(endpoint, table):
    # Debian's botocore predates ReturnValuesOnConditionCheckFailure, so this one goes raw.
    import json
    from test_protocol import raw
    table.put_item(Item={"pk": "c2", "v": 1})
    status, _, body, _ = raw(endpoint, json.dumps({
        "TableName": table.name, "Item": {"pk": {"S": "c2"}}, "ConditionExpression": "v = :two",
        "ExpressionAttributeValues": {":two": {"N": "2"}}, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}),
        target="DynamoDB_20120810.PutItem")
    assert status == 400
    assert body["__type"] == "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"
    assert body["Item"] == {"pk": {"S": "c2"}, "v": {"N": "1"}}


def test_legacy_expected(ddb, table):
    ddb.put_item(TableName=table.name, Item={"pk": {"S": "c3"}}, Expected={"pk": {"Exists": False}})
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=table.name, Item={"pk": {"S": "c3"}}, Expected={"pk": {"Exists": False}})
    assert error_of(e)[0] == "ConditionalCheckFailedException"


def test_racing_conditional_writes_one_wins(endpoint, table):
    winners, errors = [], []

    def attempt(i):
        client = make_client(endpoint)
        try:
            client.put_item(TableName=table.name, Item={"pk": {"S": "race"}, "w": {"N": str(i)}},
                            ConditionExpression="attribute_not_exists(pk)")
            winners.append(i)
        except ClientError as err:
            errors.append(err.response["Error"]["Code"])

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(winners) == 1
    assert errors == ["ConditionalCheckFailedException"] * 7


def test_projection_on_get_and_batch_get(ddb, table):
    table.put_item(Item={"pk": "p1", "a": {"b": [1, 2, 3], "c": "x"}, "d": "y"})
    got = table.get_item(Key={"pk": "p1"}, ProjectionExpression="a.b[1], d")["Item"]
    assert got == {"a": {"b": [Decimal(2)]}, "d": "y"}
    out = ddb.batch_get_item(RequestItems={table.name: {"Keys": [{"pk": {"S": "p1"}}], "ProjectionExpression": "#d",
                                                        "ExpressionAttributeNames": {"#d": "d"}}})
    assert out["Responses"][table.name] == [{"d": {"S": "y"}}]
    with pytest.raises(ClientError) as e:
        table.get_item(Key={"pk": "p1"}, ProjectionExpression="a, a.b")
    assert error_of(e) == ("ValidationException", "Invalid ProjectionExpression: Two document paths overlap with each other; "
                           "must remove or rewrite one of these paths; path one: [a], path two: [a, b]", 400)


def test_filter_semantics(table):
    table.put_item(Item={"pk": "f1", "n": 5, "s": "hello", "l": ["x"], "ss": {"a"}})
    out = table.scan(FilterExpression=Attr("pk").eq("f1") & Attr("n").between(1, 9) & Attr("s").contains("ell")
                     & Attr("l").contains("x") & Attr("ss").contains("a") & Attr("s").size().eq(5)
                     & Attr("n").is_in([4, 5]) & Attr("s").attribute_type("S") & Attr("absent").not_exists())
    assert [i["pk"] for i in out["Items"]] == ["f1"]
    # A comparison across types is false, not an error.
    out = table.scan(FilterExpression=Attr("pk").eq("f1") & Attr("n").gt("a"))
    assert out["Items"] == []


def test_updated_values_are_fragments_and_parentheses_work(ddb, table):
    table.put_item(Item={"pk": "frag", "parent": {"keep": "k", "child": "old"}, "c": 10, "y": "drop"})
    out = table.update_item(Key={"pk": "frag"}, UpdateExpression="SET parent.child = :v, c = (c - :three)",
                            ExpressionAttributeValues={":v": "new", ":three": 3}, ReturnValues="UPDATED_NEW")
    assert out["Attributes"] == {"parent": {"child": "new"}, "c": Decimal(7)}
    out = table.update_item(Key={"pk": "frag"}, UpdateExpression="REMOVE y", ReturnValues="UPDATED_NEW")
    assert "Attributes" not in out
    out = table.update_item(Key={"pk": "frag"}, UpdateExpression="SET parent.child = :v",
                            ExpressionAttributeValues={":v": "newer"}, ReturnValues="UPDATED_OLD")
    assert out["Attributes"] == {"parent": {"child": "new"}}


def test_update_with_only_a_key_creates_the_item(ddb, table):
    out = ddb.update_item(TableName=table.name, Key={"pk": {"S": "only-key"}})
    assert "Attributes" not in out
    assert ddb.get_item(TableName=table.name, Key={"pk": {"S": "only-key"}})["Item"] == {"pk": {"S": "only-key"}}


def test_projection_merges_list_elements_in_index_order(ddb, table):
    table.put_item(Item={"pk": "pm", "l": [{"x": 1, "y": 2, "z": 3}, "one", "two", "three"]})
    got = table.get_item(Key={"pk": "pm"}, ProjectionExpression="l[0].x, l[0].y")["Item"]
    assert got == {"l": [{"x": 1, "y": 2}]}
    got = table.get_item(Key={"pk": "pm"}, ProjectionExpression="l[3], l[1]")["Item"]
    assert got == {"l": ["one", "three"]}
    got = table.get_item(Key={"pk": "pm"}, ProjectionExpression="nothing")
    assert got["Item"] == {}


@pytest.mark.parametrize("expression,ok", [
    ("(attribute_exists(pk) AND v = :v)", True),
    ("(attribute_exists(pk)) AND (v = :v)", True),
    ("(attribute_exists(pk) AND (v = :v))", True),
    ("((attribute_exists(pk) AND v = :v))", False),
])
def test_parentheses(ddb, table, expression, ok):
    table.put_item(Item={"pk": "parens", "v": 1})
    call = lambda: ddb.delete_item(TableName=table.name, Key={"pk": {"S": "parens"}}, ConditionExpression=expression,
                                   ExpressionAttributeValues={":v": {"N": "1"}})
    if ok:
        call()
    else:
        with pytest.raises(ClientError) as e:
            call()
        # Put/Update/DeleteItem report expression errors inside the validation envelope.
        assert error_of(e) == ("ValidationException", "1 validation error detected: Invalid ConditionExpression: "
                               "The expression has redundant parentheses;", 400)


def test_an_operand_compared_with_itself_is_refused(ddb, table):
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=table.name, Item={"pk": {"S": "same"}}, ConditionExpression="a = a")
    assert error_of(e) == ("ValidationException", "1 validation error detected: Invalid ConditionExpression: The first operand must be distinct from "
                           "the remaining operands for this operator or function; operator: =, first operand: [a]", 400)


def test_size_counts_utf16_code_units(table):
    table.put_item(Item={"pk": "utf", "s": "h\u00e9\U0001F600"})  # 1 + 1 + 2 code units
    out = table.scan(FilterExpression=Attr("pk").eq("utf") & Attr("s").size().eq(4))
    assert [i["pk"] for i in out["Items"]] == ["utf"]


def test_update_item_member_violations_in_dynamodbs_order(endpoint):
    import json
    from test_protocol import raw
    status, _, body, _ = raw(endpoint, json.dumps({
        "TableName": "", "UpdateExpression": "SET a = :a", "ExpressionAttributeValues": {":a": {"S": "x"}},
        "ReturnConsumedCapacity": "INVALID", "ReturnValues": "INVALID"}), target="DynamoDB_20120810.UpdateItem")
    assert status == 400
    assert body["message"] == (
        "4 validation errors detected: "
        "Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
        "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1; "
        "Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: "
        "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "
        "Value null at 'key' failed to satisfy constraint: Member must not be null")
