"""Global secondary indexes with multi-attribute keys (DynamoDB's 2025 feature): up to four
partition and four sort attributes, each keeping its own type. Created with CreateTable and
UpdateTable, described in key order, queried with an equality on every partition attribute and the
sort attributes conditioned left to right and paged; PartiQL refuses such an index, as DynamoDB does.

Results are checked against a model computed in Python from the items written. Messages for the
refusals specific to multi-attribute keys are localddb's where DynamoDB's could not be confirmed
(each such assertion only checks the error type).
"""
import itertools

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, lax_client, unique_name

INDEX = "by-match"
# GSI key: (tournament S, region S) partition; (round N, bracket B, player S) sort.
HASH = [("tournament", "S"), ("region", "S")]
RANGE = [("round", "N"), ("bracket", "B"), ("player", "S")]


@pytest.fixture(scope="module")
def lax(ddb):
    # botocore's model still caps a KeySchema at 2 elements: send what we are given.
    return lax_client(ddb, "dynamodb")


def key_schema(hash_parts, range_parts):
    return ([{"AttributeName": n, "KeyType": "HASH"} for n, _ in hash_parts] +
            [{"AttributeName": n, "KeyType": "RANGE"} for n, _ in range_parts])


def definitions(*parts):
    seen = {}
    for n, t in itertools.chain(*parts):
        seen[n] = t
    return [{"AttributeName": n, "AttributeType": t} for n, t in seen.items()]


@pytest.fixture(scope="module")
def table(lax, ddb):
    name = unique_name("multi")
    lax.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=definitions([("id", "S")], HASH, RANGE),
        GlobalSecondaryIndexes=[{"IndexName": INDEX, "KeySchema": key_schema(HASH, RANGE),
                                 "Projection": {"ProjectionType": "ALL"}}])
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    yield name
    ddb.delete_table(TableName=name)


def item_of(i, tournament, region, round_, bracket, player):
    item = {"id": {"S": f"m{i:03d}"}}
    for attr, v in (("tournament", tournament), ("region", region), ("player", player)):
        if v is not None:
            item[attr] = {"S": v}
    if round_ is not None:
        item["round"] = {"N": str(round_)}
    if bracket is not None:
        item["bracket"] = {"B": bracket}
    return item


# Numbers whose encodings hold 0x00 bytes and span signs; binary values with 0x00 inside.
ROUNDS = [-3, -0.5, 0, 1, 2, 10, 1e-100]
BRACKETS = [b"\x00", b"\x00\x01", b"a", b"a\x00b", b"b"]


@pytest.fixture(scope="module")
def items(ddb, table):
    written = []
    i = 0
    for tournament, region in (("winter", "na"), ("winter", "eu"), ("summer", "na")):
        for round_ in ROUNDS:
            for bracket in BRACKETS[: 2 + (i % 4)]:
                i += 1
                written.append(item_of(i, tournament, region, round_, bracket, f"p{i % 3}"))
    # Sparse: items missing one key attribute of the index are not in it.
    written.append(item_of(900, "winter", "na", 1, b"a", None))
    written.append(item_of(901, "winter", None, 1, b"a", "p1"))
    for item in written:
        ddb.put_item(TableName=table, Item=item)
    return written


def sort_key(item):
    return (float(item["round"]["N"]), item["bracket"]["B"], item["player"]["S"], item["id"]["S"])


def indexed(items):
    return [it for it in items if all(a in it for a, _ in HASH + RANGE)]


def model(items, tournament, region, keep=lambda it: True, forward=True):
    rows = [it for it in indexed(items)
            if it["tournament"]["S"] == tournament and it["region"]["S"] == region and keep(it)]
    rows.sort(key=sort_key, reverse=not forward)
    return [it["id"]["S"] for it in rows]


def names_in(condition):
    """ExpressionAttributeNames for the reserved words the conditions use (round, region)."""
    names = {alias: name for alias, name in (("#r", "round"), ("#g", "region")) if alias in condition}
    return {"ExpressionAttributeNames": names} if names else {}


def query_ids(ddb, table, condition, values, forward=True, limit=None):
    ids, start = [], None
    while True:
        kwargs = dict(TableName=table, IndexName=INDEX, KeyConditionExpression=condition,
                      ExpressionAttributeValues=values, ScanIndexForward=forward, **names_in(condition))
        if limit:
            kwargs["Limit"] = limit
        if start:
            kwargs["ExclusiveStartKey"] = start
        page = ddb.query(**kwargs)
        ids += [it["id"]["S"] for it in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if not start:
            return ids


PARTITION = "tournament = :t AND #g = :g"
WINTER_NA = {":t": {"S": "winter"}, ":g": {"S": "na"}}


def test_describe_lists_every_key_attribute_in_order(ddb, table):
    index = ddb.describe_table(TableName=table)["Table"]["GlobalSecondaryIndexes"][0]
    assert index["KeySchema"] == key_schema(HASH, RANGE)
    assert index["IndexStatus"] == "ACTIVE"


def test_partition_of_every_attribute_in_tuple_order(ddb, table, items):
    got = query_ids(ddb, table, PARTITION, WINTER_NA)
    assert got == model(items, "winter", "na")
    assert "m900" not in got and "m901" not in got  # sparse
    assert query_ids(ddb, table, PARTITION, WINTER_NA, forward=False) == model(items, "winter", "na", forward=False)
    assert query_ids(ddb, table, PARTITION, {":t": {"S": "winter"}, ":g": {"S": "eu"}}) == model(items, "winter", "eu")
    assert query_ids(ddb, table, PARTITION, {":t": {"S": "summer"}, ":g": {"S": "eu"}}) == []


@pytest.mark.parametrize("condition,extra,keep", [
    ("#r = :a", {":a": {"N": "0"}}, lambda it: float(it["round"]["N"]) == 0),
    ("#r < :a", {":a": {"N": "0"}}, lambda it: float(it["round"]["N"]) < 0),
    ("#r <= :a", {":a": {"N": "1"}}, lambda it: float(it["round"]["N"]) <= 1),
    ("#r > :a", {":a": {"N": "-0.5"}}, lambda it: float(it["round"]["N"]) > -0.5),
    ("#r >= :a", {":a": {"N": "1E-100"}}, lambda it: float(it["round"]["N"]) >= 1e-100),
    ("#r BETWEEN :a AND :b", {":a": {"N": "-0.5"}, ":b": {"N": "2"}},
     lambda it: -0.5 <= float(it["round"]["N"]) <= 2),
    ("#r = :a AND bracket = :b", {":a": {"N": "1"}, ":b": {"B": b"\x00"}},
     lambda it: float(it["round"]["N"]) == 1 and it["bracket"]["B"] == b"\x00"),
    ("#r = :a AND bracket < :b", {":a": {"N": "2"}, ":b": {"B": b"a"}},
     lambda it: float(it["round"]["N"]) == 2 and it["bracket"]["B"] < b"a"),
    ("#r = :a AND bracket > :b", {":a": {"N": "10"}, ":b": {"B": b"\x00"}},
     lambda it: float(it["round"]["N"]) == 10 and it["bracket"]["B"] > b"\x00"),
    ("#r = :a AND begins_with(bracket, :b)", {":a": {"N": "-3"}, ":b": {"B": b"\x00"}},
     lambda it: float(it["round"]["N"]) == -3 and it["bracket"]["B"].startswith(b"\x00")),
    ("#r = :a AND bracket = :b AND player >= :p", {":a": {"N": "0"}, ":b": {"B": b"a"}, ":p": {"S": "p1"}},
     lambda it: float(it["round"]["N"]) == 0 and it["bracket"]["B"] == b"a" and it["player"]["S"] >= "p1"),
])
def test_sort_attributes_left_to_right(ddb, table, items, condition, extra, keep):
    values = dict(WINTER_NA, **extra)
    expected = model(items, "winter", "na", keep)
    assert query_ids(ddb, table, f"{PARTITION} AND {condition}", values) == expected
    assert query_ids(ddb, table, f"{PARTITION} AND {condition}", values, forward=False) == expected[::-1]


def test_pages_carry_every_key_attribute(ddb, table, items):
    page = ddb.query(TableName=table, IndexName=INDEX, KeyConditionExpression=PARTITION,
                     ExpressionAttributeValues=WINTER_NA, Limit=3, **names_in(PARTITION))
    assert set(page["LastEvaluatedKey"]) == {"id", "tournament", "region", "round", "bracket", "player"}
    assert query_ids(ddb, table, PARTITION, WINTER_NA, limit=2) == model(items, "winter", "na")
    assert query_ids(ddb, table, PARTITION, WINTER_NA, limit=3, forward=False) == \
        model(items, "winter", "na", forward=False)
    # Scan of the index pages too, and holds each indexed item once.
    seen, start = [], None
    while True:
        kwargs = {"ExclusiveStartKey": start} if start else {}
        page = ddb.scan(TableName=table, IndexName=INDEX, Limit=4, **kwargs)
        seen += [it["id"]["S"] for it in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    assert sorted(seen) == sorted(it["id"]["S"] for it in indexed(items))


MISSED = "Query condition missed key schema element: {}"
# DynamoDB's wording when a later sort attribute is conditioned (the public conformance suite's
# capture): the earlier ones it needs equalities on, then the one conditioned.
NEEDS_EQUALITY = ("RANGE key attributes {} must have equality conditions specified in the query because a condition "
                  "is present on key attribute {}")


@pytest.mark.parametrize("condition,values,expected", [
    ("tournament = :t", {":t": {"S": "winter"}}, MISSED.format("region")),
    ("#g = :g", {":g": {"S": "na"}}, MISSED.format("tournament")),
    (f"{PARTITION} AND bracket = :b", dict(WINTER_NA, **{":b": {"B": b"a"}}), NEEDS_EQUALITY.format("round", "bracket")),
    (f"{PARTITION} AND #r = :a AND player = :p", dict(WINTER_NA, **{":a": {"N": "1"}, ":p": {"S": "p1"}}),
     NEEDS_EQUALITY.format("bracket", "player")),
])
def test_a_skipped_key_attribute_is_named(ddb, table, condition, values, expected):
    with pytest.raises(ClientError) as e:
        ddb.query(TableName=table, IndexName=INDEX, KeyConditionExpression=condition,
                  ExpressionAttributeValues=values, **names_in(condition))
    code, message, status = error_of(e)
    assert (code, status) == ("ValidationException", 400)
    assert message == expected


def test_only_the_last_sort_condition_may_be_a_range(ddb, table):
    with pytest.raises(ClientError) as e:
        condition = f"{PARTITION} AND #r > :a AND bracket = :b"
        ddb.query(TableName=table, IndexName=INDEX, KeyConditionExpression=condition, **names_in(condition),
                  ExpressionAttributeValues=dict(WINTER_NA, **{":a": {"N": "1"}, ":b": {"B": b"a"}}))
    assert error_of(e)[:2] == ("ValidationException", NEEDS_EQUALITY.format("round", "bracket"))
    with pytest.raises(ClientError) as e:  # a partition attribute takes only equality
        ddb.query(TableName=table, IndexName=INDEX, KeyConditionExpression="tournament = :t AND #g > :g",
                  ExpressionAttributeValues=WINTER_NA, **names_in("#g"))
    assert error_of(e)[0] == "ValidationException"


def test_index_key_types_are_checked_on_write(ddb, table):
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=table, Item={"id": {"S": "bad"}, "tournament": {"S": "x"}, "player": {"N": "1"}})
    code, message, _ = error_of(e)
    assert code == "ValidationException"
    assert "Type mismatch for Index Key player Expected: S Actual: N IndexName: by-match" in message


def test_partiql_refuses_a_multi_attribute_index(ddb, table):
    # DynamoDB serves such an index through Query only.
    statement = (f'SELECT id FROM "{table}"."{INDEX}" WHERE tournament = ? AND "region" = ? AND "round" = ? '
                 f'AND bracket > ?')
    params = [{"S": "winter"}, {"S": "na"}, {"N": "2"}, {"B": b"\x00"}]
    with pytest.raises(ClientError) as e:
        ddb.execute_statement(Statement=statement, Parameters=params)
    assert error_of(e)[:2] == ("ValidationException", "PartiQL statements cannot be executed on tables with "
                                                      "multi-attribute HASH keys or multi-attribute RANGE keys.")


def test_update_table_adds_a_multi_attribute_index_over_existing_items(ddb, lax, make_table):
    name = make_table()
    for i in range(30):
        ddb.put_item(TableName=name, Item={"pk": {"S": f"k{i}"}, "org": {"S": f"o{i % 2}"}, "dept": {"N": str(i % 3)},
                                            "team": {"S": f"t{i % 5}"}, "n": {"N": str(i)}})
    lax.update_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "org", "AttributeType": "S"},
                              {"AttributeName": "dept", "AttributeType": "N"},
                              {"AttributeName": "team", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "org-dept-team",
            "KeySchema": [{"AttributeName": "org", "KeyType": "HASH"}, {"AttributeName": "dept", "KeyType": "HASH"},
                          {"AttributeName": "team", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}}}])
    for _ in range(100):
        indexes = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
        if indexes[0]["IndexStatus"] == "ACTIVE":
            break
    assert [k["KeyType"] for k in indexes[0]["KeySchema"]] == ["HASH", "HASH", "RANGE"]
    page = ddb.query(TableName=name, IndexName="org-dept-team",
                     KeyConditionExpression="org = :o AND dept = :d AND team >= :t",
                     ExpressionAttributeValues={":o": {"S": "o1"}, ":d": {"N": "2"}, ":t": {"S": "t2"}})
    expected = {(f"t{i % 5}", f"k{i}") for i in range(30) if i % 2 == 1 and i % 3 == 2 and f"t{i % 5}" >= "t2"}
    got = [(it["team"]["S"], it["pk"]["S"]) for it in page["Items"]]
    assert set(got) == expected and len(got) == len(expected)
    assert [team for team, _ in got] == sorted(team for team, _ in got)  # in sort-key order
    # KEYS_ONLY projects every key attribute of the index and the table, nothing else.
    assert set(page["Items"][0]) == {"pk", "org", "dept", "team"}


@pytest.mark.parametrize("schema,why", [
    ([("a", "HASH"), ("b", "HASH"), ("c", "HASH"), ("d", "HASH"), ("e", "HASH")], "five partition attributes"),
    ([("a", "HASH"), ("b", "RANGE"), ("c", "HASH")], "a HASH after a RANGE"),
    ([("a", "HASH"), ("a", "RANGE"), ("b", "RANGE")], "an attribute twice"),
])
def test_malformed_multi_attribute_keys_are_refused(lax, schema, why):
    names = sorted({n for n, _ in schema})
    with pytest.raises(ClientError) as e:
        lax.create_table(
            TableName=unique_name("bad"), BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ["id"] + names],
            GlobalSecondaryIndexes=[{"IndexName": "g", "Projection": {"ProjectionType": "ALL"},
                                     "KeySchema": [{"AttributeName": n, "KeyType": t} for n, t in schema]}])
    assert error_of(e)[0] == "ValidationException", why


def test_tables_and_local_indexes_keep_single_attribute_keys(lax):
    with pytest.raises(ClientError) as e:
        lax.create_table(TableName=unique_name("bad"), BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"},
                                               {"AttributeName": "b", "AttributeType": "S"}])
    assert error_of(e)[:2] == ("ValidationException",
                               "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
    with pytest.raises(ClientError) as e:
        lax.create_table(
            TableName=unique_name("bad"), BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in "abcd"],
            LocalSecondaryIndexes=[{"IndexName": "l", "Projection": {"ProjectionType": "ALL"},
                                    "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"},
                                                  {"AttributeName": "c", "KeyType": "RANGE"},
                                                  {"AttributeName": "d", "KeyType": "RANGE"}]}])
    assert error_of(e)[0] == "ValidationException"
