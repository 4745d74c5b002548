"""Local secondary indexes: queries, projections, fetching non-projected attributes, and
ItemCollectionMetrics."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_of, unique_name


@pytest.fixture(scope="module")
def table(ddb):
    name = unique_name("lsi")
    ddb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": t} for a, t in
                              (("pk", "S"), ("sk", "S"), ("score", "N"), ("rank", "N"))],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
        LocalSecondaryIndexes=[
            {"IndexName": "by-score", "Projection": {"ProjectionType": "KEYS_ONLY"},
             "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "score", "KeyType": "RANGE"}]},
            {"IndexName": "by-rank", "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["label"]},
             "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "rank", "KeyType": "RANGE"}]}])
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    for i in range(10):
        item = {"pk": {"S": "p"}, "sk": {"S": f"s{i}"}, "score": {"N": str(100 - i)}, "label": {"S": f"L{i}"},
                "extra": {"S": f"E{i}"}}
        if i % 2 == 0:
            item["rank"] = {"N": str(i)}
        ddb.put_item(TableName=name, Item=item)
    yield name
    ddb.delete_table(TableName=name)


def test_lsi_query_order_and_projection(ddb, table):
    out = ddb.query(TableName=table, IndexName="by-score", KeyConditionExpression="pk = :p AND score > :s",
                    ExpressionAttributeValues={":p": {"S": "p"}, ":s": {"N": "95"}})
    assert [i["score"]["N"] for i in out["Items"]] == ["96", "97", "98", "99", "100"]
    assert set(out["Items"][0]) == {"pk", "sk", "score"}  # KEYS_ONLY


def test_lsi_fetches_non_projected_attributes(ddb, table):
    out = ddb.query(TableName=table, IndexName="by-score", KeyConditionExpression="pk = :p AND score = :s",
                    ExpressionAttributeValues={":p": {"S": "p"}, ":s": {"N": "100"}}, Select="ALL_ATTRIBUTES")
    assert out["Items"][0]["extra"] == {"S": "E0"}
    out = ddb.query(TableName=table, IndexName="by-rank", KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": "p"}}, ProjectionExpression="label, extra")
    assert out["Count"] == 5  # sparse: only items with a rank
    assert out["Items"][0] == {"label": {"S": "L0"}, "extra": {"S": "E0"}}


def test_lsi_paging_with_index_keys(ddb, table):
    seen, start = [], None
    while True:
        params = dict(TableName=table, IndexName="by-score", KeyConditionExpression="pk = :p",
                      ExpressionAttributeValues={":p": {"S": "p"}}, Limit=3)
        if start:
            params["ExclusiveStartKey"] = start
        page = ddb.query(**params)
        seen += [i["sk"]["S"] for i in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if start:
            assert set(start) == {"pk", "sk", "score"}
        else:
            break
    assert sorted(seen) == [f"s{i}" for i in range(10)] and len(seen) == 10


def test_item_collection_metrics(ddb, table):
    out = ddb.put_item(TableName=table, Item={"pk": {"S": "p"}, "sk": {"S": "new"}, "score": {"N": "1"}},
                       ReturnItemCollectionMetrics="SIZE")
    metrics = out["ItemCollectionMetrics"]
    assert metrics["ItemCollectionKey"] == {"pk": {"S": "p"}}
    assert len(metrics["SizeEstimateRangeGB"]) == 2


def test_lsi_errors(ddb):
    with pytest.raises(ClientError) as e:
        ddb.create_table(
            TableName=unique_name("lsi"), BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "x", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            LocalSecondaryIndexes=[{"IndexName": "lsi-one", "Projection": {"ProjectionType": "ALL"},
                                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                  {"AttributeName": "x", "KeyType": "RANGE"}]}])
    assert error_of(e) == ("ValidationException", "One or more parameter values were invalid: Table KeySchema does not "
                           "have a range key, which is required when specifying a LocalSecondaryIndex", 400)


def test_index_write_capacity_ladder(ddb, table):
    def put_units(item):
        return ddb.put_item(TableName=table, Item=item, ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]

    base = {"pk": {"S": "cap"}, "sk": {"S": "1"}, "score": {"N": "5"}, "extra": {"S": "x"}}
    put_units(base)
    same = put_units(base)  # identical overwrite: no index writes
    assert same["CapacityUnits"] == 1.0 and "LocalSecondaryIndexes" not in same
    moved = put_units({**base, "score": {"N": "6"}})  # key change on by-score: delete + insert
    assert moved["LocalSecondaryIndexes"]["by-score"]["CapacityUnits"] == 2.0
    unprojected = put_units({**base, "score": {"N": "6"}, "extra": {"S": "y"}})  # KEYS_ONLY: nothing to do
    assert "LocalSecondaryIndexes" not in unprojected
