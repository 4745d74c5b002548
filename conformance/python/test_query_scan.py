"""Query and Scan: key conditions, ordering, paging, filters, projections, Select, indexes,
parallel scans and their validation errors."""
import pytest
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from conftest import error_of, unique_name


@pytest.fixture(scope="module")
def messages(ddb, resource):
    """The Cruddur table, seeded across two years."""
    name = unique_name("cruddur-messages")
    ddb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"},
                              {"AttributeName": "message_group_uuid", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        GlobalSecondaryIndexes=[{
            "IndexName": "message-group-sk-index",
            "KeySchema": [{"AttributeName": "message_group_uuid", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}])
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    table = resource.Table(name)
    with table.batch_writer() as batch:
        for year in (2025, 2026):
            for i in range(30):
                batch.put_item(Item={"pk": "MSG#g1", "sk": f"{year}-03-{i:02d}T10:00:00.000000+00:00",
                                     "message": f"hello {year} {i}", "n": i})
        batch.put_item(Item={"pk": "GRP#alice", "sk": "2026-03-29T10:00:00.000000+00:00",
                             "message_group_uuid": "g1", "message": "last", "user_handle": "bob"})
        batch.put_item(Item={"pk": "GRP#bob", "sk": "2026-03-29T10:00:00.000000+00:00",
                             "message_group_uuid": "g1", "message": "last", "user_handle": "alice"})
    yield name
    ddb.delete_table(TableName=name)


def test_cruddur_conversation_query(ddb, messages):
    out = ddb.query(TableName=messages, KeyConditionExpression="pk = :pk AND begins_with(sk,:year)",
                    ExpressionAttributeValues={":year": {"S": "2026"}, ":pk": {"S": "MSG#g1"}},
                    ScanIndexForward=False, Limit=20, ReturnConsumedCapacity="TOTAL")
    sks = [i["sk"]["S"] for i in out["Items"]]
    assert len(sks) == 20 and out["Count"] == 20 and out["ScannedCount"] == 20
    assert all(s.startswith("2026") for s in sks)
    assert sks == sorted(sks, reverse=True)
    assert sks[0].startswith("2026-03-29")
    assert out["LastEvaluatedKey"] == {"pk": {"S": "MSG#g1"}, "sk": {"S": sks[-1]}}
    assert out["ConsumedCapacity"]["TableName"] == messages
    assert out["ConsumedCapacity"]["CapacityUnits"] == 0.5


def test_gsi_query_through_resource(resource, messages):
    out = resource.Table(messages).query(IndexName="message-group-sk-index",
                                         KeyConditionExpression=Key("message_group_uuid").eq("g1"))
    assert sorted(i["pk"] for i in out["Items"]) == ["GRP#alice", "GRP#bob"]


@pytest.mark.parametrize("condition,expected", [
    (Key("sk").eq("2025-03-05T10:00:00.000000+00:00"), 1),
    (Key("sk").lt("2025-03-05"), 5),
    (Key("sk").lte("2025-03-05T10:00:00.000000+00:00"), 6),
    (Key("sk").gt("2026-03-25"), 5),
    (Key("sk").gte("2026-03-25T10:00:00.000000+00:00"), 5),
    (Key("sk").between("2025-03-10", "2025-03-20"), 10),
    (Key("sk").begins_with("2025-03-1"), 10),
])
def test_sort_key_operators(resource, messages, condition, expected):
    out = resource.Table(messages).query(KeyConditionExpression=Key("pk").eq("MSG#g1") & condition)
    assert out["Count"] == expected


def test_pagination_visits_every_item_once(resource, messages):
    table = resource.Table(messages)
    for kwargs, total in [({}, 60), ({"FilterExpression": Attr("n").gte(27)}, 6)]:
        seen, start, pages = [], None, 0
        while True:
            params = dict(KeyConditionExpression=Key("pk").eq("MSG#g1"), Limit=7, **kwargs)
            if start:
                params["ExclusiveStartKey"] = start
            page = table.query(**params)
            pages += 1
            assert page["ScannedCount"] <= 7
            seen += [i["sk"] for i in page["Items"]]
            start = page.get("LastEvaluatedKey")
            if not start:
                break
        assert len(seen) == total and len(set(seen)) == total
        assert pages >= 60 // 7


def test_select_count_and_projection(ddb, resource, messages):
    out = ddb.query(TableName=messages, KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": "MSG#g1"}}, Select="COUNT")
    assert out["Count"] == 60 and "Items" not in out
    out = resource.Table(messages).query(KeyConditionExpression=Key("pk").eq("MSG#g1"), ProjectionExpression="#m",
                                         ExpressionAttributeNames={"#m": "message"}, Limit=1)
    assert out["Items"] == [{"message": "hello 2025 0"}]


def test_scan_and_parallel_scan(ddb, messages):
    whole = ddb.scan(TableName=messages)
    assert whole["Count"] == 62
    keys = set()
    for segment in range(3):
        start = None
        while True:
            params = dict(TableName=messages, Segment=segment, TotalSegments=3, Limit=10)
            if start:
                params["ExclusiveStartKey"] = start
            page = ddb.scan(**params)
            for item in page["Items"]:
                key = (item["pk"]["S"], item["sk"]["S"])
                assert key not in keys
                keys.add(key)
            start = page.get("LastEvaluatedKey")
            if not start:
                break
    assert len(keys) == 62


def test_scan_filter(resource, messages):
    out = resource.Table(messages).scan(FilterExpression=Attr("pk").begins_with("GRP#") & Attr("user_handle").eq("bob"))
    assert [i["pk"] for i in out["Items"]] == ["GRP#alice"]
    assert out["ScannedCount"] == 62


@pytest.mark.parametrize("params,code,message", [
    (dict(KeyConditionExpression="sk = :v", ExpressionAttributeValues={":v": {"S": "x"}}),
     "ValidationException", "Query condition missed key schema element: pk"),
    (dict(KeyConditionExpression="pk = :v OR sk = :v", ExpressionAttributeValues={":v": {"S": "x"}}),
     "ValidationException", "Invalid operator used in KeyConditionExpression: OR"),
    (dict(KeyConditionExpression="pk = :v", ExpressionAttributeValues={":v": {"S": "x"}, ":w": {"S": "y"}}),
     "ValidationException", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"),
    (dict(KeyConditionExpression="pk = :v", ExpressionAttributeValues={":v": {"N": "1"}}),
     "ValidationException", "One or more parameter values were invalid: Condition parameter type does not match schema type"),
    (dict(KeyConditionExpression="pk = :v AND status = :v", ExpressionAttributeValues={":v": {"S": "x"}}),
     "ValidationException", "Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"),
    (dict(KeyConditionExpression="pk = :nope", ExpressionAttributeValues={":v": {"S": "x"}}),
     "ValidationException", "Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope"),
    (dict(KeyConditionExpression="pk = :v", IndexName="nope-index", ExpressionAttributeValues={":v": {"S": "x"}}),
     "ValidationException", "The table does not have the specified index: nope-index"),
    (dict(KeyConditionExpression="message_group_uuid = :v", IndexName="message-group-sk-index", ConsistentRead=True,
          ExpressionAttributeValues={":v": {"S": "x"}}),
     "ValidationException", "Consistent reads are not supported on global secondary indexes"),
    (dict(), "ValidationException",
     "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."),
])
def test_query_errors(ddb, messages, params, code, message):
    with pytest.raises(ClientError) as e:
        ddb.query(TableName=messages, **params)
    assert error_of(e) == (code, message, 400)


def test_scan_segment_errors(ddb, messages):
    with pytest.raises(ClientError) as e:
        ddb.scan(TableName=messages, Segment=3, TotalSegments=3)
    assert error_of(e) == ("ValidationException", "The Segment parameter is zero-based and must be less than parameter "
                           "TotalSegments: Segment: 3 is not less than TotalSegments: 3", 400)
    with pytest.raises(ClientError) as e:
        ddb.scan(TableName=messages, Segment=1)
    assert error_of(e) == ("ValidationException", "The TotalSegments parameter is required but was not present in the "
                           "request when Segment parameter is present", 400)


def test_legacy_key_conditions_and_filter(ddb, messages):
    out = ddb.query(TableName=messages,
                    KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "MSG#g1"}]},
                                   "sk": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "2026"}]}},
                    QueryFilter={"n": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "3"}]}})
    assert out["Count"] == 3 and out["ScannedCount"] == 30
    with pytest.raises(ClientError) as e:
        ddb.query(TableName=messages, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "x"}},
                  QueryFilter={"n": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "3"}]}})
    assert error_of(e) == ("ValidationException",
                           "Can not use both expression and non-expression parameters in the same request: "
                           "Non-expression parameters: {QueryFilter} Expression parameters: {KeyConditionExpression}", 400)


def test_key_condition_errors_come_before_a_missing_table(ddb):
    with pytest.raises(ClientError) as e:
        ddb.query(TableName="no-such-table-kce", KeyConditionExpression="pk = :p AND begins_with(sk, :n)",
                  ExpressionAttributeValues={":p": {"S": "q"}, ":n": {"N": "1"}})
    assert error_of(e) == ("ValidationException", "Invalid KeyConditionExpression: Incorrect operand type for operator or "
                           "function; operator or function: begins_with, operand type: N", 400)
    with pytest.raises(ClientError) as e:
        ddb.query(TableName="no-such-table-kce", KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
                  ExpressionAttributeValues={":p": {"S": "q"}, ":s": {"S": "a"}})
    assert error_of(e)[0] == "ResourceNotFoundException"
