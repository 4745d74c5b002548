"""Global secondary indexes return exactly their projection, follow every change to the base item
(including one that only changes a projected or unprojected attribute), and a GSI added later by
UpdateTable is backfilled the same way."""
import time

from conftest import unique_name


def wait_active(ddb, name):
    for _ in range(120):
        t = ddb.describe_table(TableName=name)["Table"]
        if t["TableStatus"] == "ACTIVE" and all(i["IndexStatus"] == "ACTIVE" for i in t.get("GlobalSecondaryIndexes", [])):
            return
        time.sleep(1)


def gsi(name, projection):
    return {"IndexName": name, "Projection": projection,
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]}


def query_gsi(ddb, table, index):
    return ddb.query(TableName=table, IndexName=index, KeyConditionExpression="g = :g",
                     ExpressionAttributeValues={":g": {"S": "G"}})["Items"]


def test_projections_follow_base_item_changes(ddb, make_table):
    table = make_table(("pk", "S"), ("sk", "S"), extra_attributes=[("g", "S")], GlobalSecondaryIndexes=[
        gsi("keys", {"ProjectionType": "KEYS_ONLY"}),
        gsi("some", {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["label"]}),
        gsi("all", {"ProjectionType": "ALL"})])
    wait_active(ddb, table)
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "g": {"S": "G"},
                                        "label": {"S": "L1"}, "extra": {"S": "E1"}})
    assert query_gsi(ddb, table, "keys") == [{"pk": {"S": "a"}, "sk": {"S": "1"}, "g": {"S": "G"}}]
    assert query_gsi(ddb, table, "some") == [{"pk": {"S": "a"}, "sk": {"S": "1"}, "g": {"S": "G"}, "label": {"S": "L1"}}]
    assert query_gsi(ddb, table, "all")[0]["extra"] == {"S": "E1"}

    # Change only attributes outside the keys: every index shows the new item through its projection.
    ddb.update_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"S": "1"}},
                    UpdateExpression="SET label = :l, extra = :e", ExpressionAttributeValues={":l": {"S": "L2"}, ":e": {"S": "E2"}})
    assert query_gsi(ddb, table, "some")[0]["label"] == {"S": "L2"}
    assert "extra" not in query_gsi(ddb, table, "some")[0]
    assert query_gsi(ddb, table, "all")[0]["extra"] == {"S": "E2"}
    scanned = ddb.scan(TableName=table, IndexName="some")["Items"]
    assert scanned == [{"pk": {"S": "a"}, "sk": {"S": "1"}, "g": {"S": "G"}, "label": {"S": "L2"}}]
    # A filter sees only projected attributes.
    out = ddb.query(TableName=table, IndexName="some", KeyConditionExpression="g = :g",
                    FilterExpression="attribute_exists(extra)", ExpressionAttributeValues={":g": {"S": "G"}})
    assert out["Count"] == 0 and out["ScannedCount"] == 1

    # Moving the index key out and back; deleting the item empties every index.
    ddb.update_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"S": "1"}}, UpdateExpression="REMOVE g")
    assert query_gsi(ddb, table, "all") == []
    ddb.update_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"S": "1"}}, UpdateExpression="SET g = :g",
                    ExpressionAttributeValues={":g": {"S": "G"}})
    assert len(query_gsi(ddb, table, "keys")) == 1
    ddb.delete_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"S": "1"}})
    for index in ("keys", "some", "all"):
        assert query_gsi(ddb, table, index) == []
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"S": "1"}}).get("Item") is None


def test_backfilled_index_projects_and_follows_updates(ddb, make_table):
    table = make_table(("pk", "S"), ("sk", "S"))
    for i in range(3):
        ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "sk": {"S": str(i)}, "g": {"S": "G"},
                                            "label": {"S": f"L{i}"}, "extra": {"S": "E"}})
    ddb.update_table(TableName=table, AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"},
                                                            {"AttributeName": "sk", "AttributeType": "S"}],
                     GlobalSecondaryIndexUpdates=[{"Create": gsi("some", {"ProjectionType": "INCLUDE",
                                                                          "NonKeyAttributes": ["label"]})}])
    wait_active(ddb, table)
    items = query_gsi(ddb, table, "some")
    assert [i["label"]["S"] for i in items] == ["L0", "L1", "L2"]
    assert all("extra" not in i for i in items)
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "g": {"S": "G"}, "label": {"S": "new"}})
    assert [i["label"]["S"] for i in query_gsi(ddb, table, "some")] == ["L0", "new", "L2"]
