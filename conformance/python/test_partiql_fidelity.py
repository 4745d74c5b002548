"""PartiQL and value-layer answers as DynamoDB gives them, from the public conformance suite that runs
against AWS (paritysuite/dynamodb-conformance): functions and type tests in WHERE, the FROM-first
UPDATE, the answers' shapes, and the wording of refusals. Raw JSON, so numbers and statements reach
the server as written.
"""
import json

import pytest

from test_protocol import raw


def call(endpoint, operation, body):
    status, _, parsed, _ = raw(endpoint, json.dumps(body), target=f"DynamoDB_20120810.{operation}")
    return status, parsed


def ok(endpoint, operation, body):
    status, parsed = call(endpoint, operation, body)
    assert status == 200, parsed
    return parsed


def refused(endpoint, operation, body):
    status, parsed = call(endpoint, operation, body)
    assert status == 400, parsed
    return parsed["__type"].split("#")[-1], parsed["message"]


def statement(endpoint, text, **extra):
    return call(endpoint, "ExecuteStatement", {"Statement": text, **extra})


@pytest.fixture
def t(ddb, make_table):
    name = make_table(extra_attributes=[("g", "S")], GlobalSecondaryIndexes=[
        {"IndexName": "keys", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
         "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "g": {"S": "x"}, "flag": {"BOOL": True}, "s": {"S": "str"},
                                       "m": {"M": {"sub": {"N": "1"}}}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "b"}, "g": {"S": "x"}})
    return name


def pks(answer):
    return sorted(item["pk"]["S"] for item in answer["Items"])


def test_where_takes_existence_functions_and_type_tests(endpoint, t):
    assert pks(ok(endpoint, "ExecuteStatement", {"Statement": f'SELECT * FROM "{t}" WHERE attribute_exists(flag)'})) == ["a"]
    assert pks(ok(endpoint, "ExecuteStatement",
                  {"Statement": f'SELECT * FROM "{t}" WHERE attribute_not_exists(m.sub)'})) == ["b"]
    assert pks(ok(endpoint, "ExecuteStatement",
                  {"Statement": f'SELECT * FROM "{t}" WHERE attribute_exists(flag) = false'})) == ["b"]
    assert pks(ok(endpoint, "ExecuteStatement", {"Statement": f'SELECT * FROM "{t}" WHERE flag IS BOOL'})) == ["a"]
    assert pks(ok(endpoint, "ExecuteStatement", {"Statement": f'SELECT * FROM "{t}" WHERE s IS NOT STRING'})) == ["b"]
    assert pks(ok(endpoint, "ExecuteStatement",
                  {"Statement": f'SELECT * FROM "{t}" /* a comment */ WHERE pk = \'a\' /* another */'})) == ["a"]
    assert refused(endpoint, "ExecuteStatement", {"Statement": f'SELECT * FROM "{t}" WHERE attribute_exists()'}) == (
        "ValidationException",
        "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of "
        "operands: 0")
    assert refused(endpoint, "ExecuteStatement",
                   {"Statement": f'SELECT * FROM "{t}" WHERE attribute_exists(?)', "Parameters": [{"S": "x"}]}) == (
        "ValidationException", "Operator or function requires a document path; operator or function: attribute_exists")


def test_writes_answer_empty_lists_and_from_first_updates_work(endpoint, ddb, t):
    assert ok(endpoint, "ExecuteStatement", {"Statement": f"INSERT INTO \"{t}\" VALUE {{'pk': 'c', 'n': 1}}"}) == {
        "Items": []}
    assert ok(endpoint, "ExecuteStatement",
              {"Statement": f"FROM \"{t}\" WHERE pk = 'c' SET n = 2 REMOVE g"}) == {"Items": []}
    assert ddb.get_item(TableName=t, Key={"pk": {"S": "c"}})["Item"] == {"pk": {"S": "c"}, "n": {"N": "2"}}
    status, answer = statement(endpoint, f"FROM \"{t}\" WHERE pk = 'c' AND n = 5 SET n = 3")
    assert status == 400 and answer["__type"].endswith("ConditionalCheckFailedException")
    assert ok(endpoint, "ExecuteTransaction", {"TransactStatements": [
        {"Statement": f"UPDATE \"{t}\" SET n = 4 WHERE pk = 'c'"},
        {"Statement": f"DELETE FROM \"{t}\" WHERE pk = 'b'"}]}) == {"Responses": []}
    assert "Item" not in ddb.get_item(TableName=t, Key={"pk": {"S": "b"}})


@pytest.mark.parametrize("text,message", [
    ("SELECT * FROM \"{t}\" WHERE pk = 'a' foo", "Statement wasn't well formed, can't be processed: Unexpected token "
                                                 "after expression"),
    ("SELECT * FROM \"{t}\" x WHERE pk = 'a'", "Aliasing is not supported"),
    ("SELECT * FROM \"{t}\" WHERE pk = 'a' # note", "Statement wasn't well formed, can't be processed: "),
    ("SELECT * FROM \"{t}\" WHERE n = 1e126", "Number overflow. Attempting to store a number with magnitude larger "
                                              "than supported range under root"),
    ("INSERT INTO \"{t}\" VALUE {{'pk': 'z', 'm': {{'x': 1e-131}}}}", "Number underflow. Attempting to store a number "
                                                                      "with magnitude smaller than supported range "
                                                                      "under root.m.x"),
    ("SELECT * FROM \"{t}\" WHERE n = 1e2147483648", "Statement wasn't well formed, can't be processed: "),
    ("SELECT alternate, s FROM \"{t}\".\"keys\" WHERE g = 'x'", "One or more parameter values were invalid: Global "
                                                                "secondary index keys does not project "
                                                                "[alternate, s]"),
    ("SELECT * FROM \"{t}\".\"missing\"", "The table does not have the specified index"),
    ("SELECT * FROM \"{t}\" WHERE EXISTS(s)", "Unrecognized function: exists at 1:{at}:6"),
])
def test_refusals_in_dynamodb_words(endpoint, t, text, message):
    text = text.format(t=t)
    message = message.replace("{at}", str(text.find("EXISTS") + 1))
    assert refused(endpoint, "ExecuteStatement", {"Statement": text}) == ("ValidationException", message)


def test_parameters_read_numbers_as_bigdecimal_does(endpoint, t):
    base = {"Statement": f'SELECT * FROM "{t}" WHERE n = ?'}
    assert refused(endpoint, "ExecuteStatement", {**base, "Parameters": [{"N": "1e99999999999"}]}) == (
        "ValidationException", "The parameter cannot be converted to a numeric value: 1e99999999999")
    assert refused(endpoint, "ExecuteStatement", {**base, "Parameters": [{"N": "1e2147483647"}]}) == (
        "ValidationException", "Number underflow. Attempting to store a number with magnitude smaller than supported "
                               "range")
    assert refused(endpoint, "ExecuteStatement", {**base, "Parameters": [{"N": ""}]}) == (
        "ValidationException", "The parameter cannot be converted to a numeric value")
    assert refused(endpoint, "ExecuteStatement",
                   {"Statement": f'SELECT * FROM "{t}" WHERE pk = \'a\'', "ConsistentRead": True} | {
                       "Statement": f'SELECT * FROM "{t}"."keys" WHERE g = \'x\''}) == (
        "ValidationException", "Strongly consistent read is not supported on Global Secondary Indexes")


def test_batch_selects_need_the_whole_key(endpoint, t):
    answer = ok(endpoint, "BatchExecuteStatement", {"Statements": [
        {"Statement": f'SELECT * FROM "{t}"."keys" WHERE g = \'x\''},
        {"Statement": f'SELECT * FROM "{t}" WHERE g = \'x\''},
        {"Statement": f'SELECT * FROM "{t}" WHERE pk = \'a\''}]})
    message = "Select statements within BatchExecuteStatement must specify the primary key in the where clause."
    assert [r.get("Error") for r in answer["Responses"][:2]] == [{"Code": "ValidationError", "Message": message}] * 2
    assert answer["Responses"][2]["Item"]["pk"] == {"S": "a"}


def test_value_layers_and_number_ranges(endpoint, t):
    # TransactWriteItems words a bad value without the validation envelope.
    assert refused(endpoint, "TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": t, "Item": {"pk": {"S": "v"}, "n": {"N": "abc"}}}}]}) == (
        "ValidationException", "The parameter cannot be converted to a numeric value: abc")
    # BatchWriteItem reads numbers as Java's BigDecimal: a wrapped exponent is "too small".
    assert refused(endpoint, "BatchWriteItem", {"RequestItems": {t: [
        {"PutRequest": {"Item": {"pk": {"S": "v"}, "n": {"N": "1e2147483647"}}}}]}}) == (
        "ValidationException", "Number underflow. Attempting to store a number with magnitude smaller than supported "
                               "range")
    # A zero's written exponent counts.
    kind, message = refused(endpoint, "PutItem", {"TableName": t, "Item": {"pk": {"S": "v"}, "n": {"N": "0e126"}}})
    assert kind == "ValidationException" and message.endswith("Number overflow. Attempting to store a number with "
                                                              "magnitude larger than supported range")
    # Two conditions on one key attribute are refused as such, before they are counted.
    assert refused(endpoint, "Query", {"TableName": t, "KeyConditionExpression": "pk = :a AND pk = :b AND g = :c",
                                       "ExpressionAttributeValues": {":a": {"S": "a"}, ":b": {"S": "b"},
                                                                     ":c": {"S": "c"}}}) == (
        "ValidationException",
        "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key")
