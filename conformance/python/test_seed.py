"""Seed data: --seed FILE|DIR at start-up and POST /_localddb/seed, in DynamoDB JSON, plain JSON and
the AWS CLI's batch-write-item shape; a bad document names where it is wrong and applies nothing.
localddb-only (it is our feature)."""
import json
import re
from decimal import Decimal

import pytest
from botocore.exceptions import ClientError

from conftest import AGAINST_LOCAL, Server, make_client
from test_admin_security import request
from test_cli import AWS_CLI, aws
from test_reset import scan_all

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="seeding is localddb's own feature")

JSON = {"Content-Type": "application/json"}


def admin(server, method, path, body=None, headers=JSON):
    status, parsed, _ = request(server, method, path, body, headers)
    return status, parsed


def start_refused(*args):
    """The error of a localddb that refuses to start with these arguments (one that starts is stopped)."""
    try:
        started = Server(*args)
    except RuntimeError as e:
        return str(e)
    started.stop()
    pytest.fail(f"localddb started with {args}")


USERS = {
    "TableName": "users",
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                             {"AttributeName": "email", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "BillingMode": "PAY_PER_REQUEST",
    "GlobalSecondaryIndexes": [{"IndexName": "by-email", "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                                "Projection": {"ProjectionType": "ALL"}}],
}
ORDERS = {
    "TableName": "orders",
    "AttributeDefinitions": [{"AttributeName": "user", "AttributeType": "S"},
                             {"AttributeName": "n", "AttributeType": "N"}],
    "KeySchema": [{"AttributeName": "user", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}],
    "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
}


def user(i):
    return {"id": {"S": f"u{i}"}, "email": {"S": f"u{i}@example.com"}, "age": {"N": str(20 + i)},
            "roles": {"SS": ["admin", "user"]}, "active": {"BOOL": True}}


def write(path, doc):
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    return str(path)


def names(ddb):
    return ddb.list_tables()["TableNames"]


def assert_location(message, source, table, index=None):
    """The message names the document's source, the table and (for an item) its index."""
    assert source in message, message
    assert table in message, message
    if index is not None:
        assert re.search(rf"item\D{{0,3}}{index}\b", message), message


def test_seed_file_at_start_up(tmp_path):
    doc = {"tables": [USERS, ORDERS],
           "items": {"users": [user(i) for i in range(3)],
                     "orders": [{"user": {"S": "u1"}, "n": {"N": str(n)}, "total": {"N": "9.99"}} for n in range(4)]}}
    server = Server("--in-memory", "--seed", write(tmp_path / "seed.json", doc))
    try:
        ddb = make_client(server.endpoint)
        assert sorted(names(ddb)) == ["orders", "users"]
        for i in range(3):
            assert ddb.get_item(TableName="users", Key={"id": {"S": f"u{i}"}})["Item"] == user(i)
        got = ddb.query(TableName="users", IndexName="by-email", KeyConditionExpression="email = :e",
                        ExpressionAttributeValues={":e": {"S": "u2@example.com"}})["Items"]
        assert got == [user(2)]
        orders = ddb.describe_table(TableName="orders")["Table"]
        assert orders["ItemCount"] == 4
        assert orders["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
        assert orders["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
        got = ddb.query(TableName="orders", KeyConditionExpression="#u = :u AND n >= :n",
                        ExpressionAttributeNames={"#u": "user"},
                        ExpressionAttributeValues={":u": {"S": "u1"}, ":n": {"N": "2"}})["Items"]
        assert [i["n"]["N"] for i in got] == ["2", "3"]
        assert ddb.describe_table(TableName="users")["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"] == 3
    finally:
        assert server.stop() == 0


def test_seed_directory_is_applied_in_name_order(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    # Written out of order; applied by name: tables, then plain items, then a CLI file overriding one.
    write(seeds / "30-cli.json", {"users": [{"PutRequest": {"Item": {"id": {"S": "u1"}, "email": {"S": "new@x"},
                                                                   "v": {"N": "3"}}}},
                                            {"PutRequest": {"Item": user(7)}}]})
    write(seeds / "10-tables.json", {"tables": [USERS]})
    write(seeds / "20-plain.json", {"format": "plain", "items": {"users": [
        {"id": "u1", "email": "old@x", "v": 2}, {"id": "u2", "email": "two@x", "v": 2}]}})
    write(seeds / "README.txt", "not a seed: ignored")
    write(seeds / "99-notes.json.bak", "{broken")
    (seeds / "sub.json").mkdir()  # a directory named like a seed file is not one
    server = Server("--in-memory", "--seed", str(seeds))
    try:
        ddb = make_client(server.endpoint)
        assert names(ddb) == ["users"]
        items = {i["id"]["S"]: i for i in scan_all(ddb, "users")}
        assert sorted(items) == ["u1", "u2", "u7"]
        assert items["u1"] == {"id": {"S": "u1"}, "email": {"S": "new@x"}, "v": {"N": "3"}}
        assert items["u2"] == {"id": {"S": "u2"}, "email": {"S": "two@x"}, "v": {"N": "2"}}
        assert items["u7"] == user(7)
        got = ddb.query(TableName="users", IndexName="by-email", KeyConditionExpression="email = :e",
                        ExpressionAttributeValues={":e": {"S": "old@x"}})["Items"]
        assert got == []  # replaced by the later file: its index entry went with it
    finally:
        assert server.stop() == 0


def test_seed_endpoint_dynamodb_json(tmp_path):
    server = Server("--in-memory")
    try:
        ddb = make_client(server.endpoint)
        status, body = admin(server, "POST", "/_localddb/seed",
                             {"tables": [USERS], "items": {"users": [user(i) for i in range(5)]}})
        assert status == 200, body
        assert body == {"tables": 1, "items": 5}
        assert [i == user(int(i["id"]["S"][1:])) for i in scan_all(ddb, "users")] == [True] * 5
        # Items only, into the table that now exists: a put (replacing).
        status, body = admin(server, "POST", "/_localddb/seed",
                             {"items": {"users": [{"id": {"S": "u0"}, "email": {"S": "zero@x"}}]}})
        assert status == 200 and body == {"tables": 0, "items": 1}
        assert ddb.get_item(TableName="users", Key={"id": {"S": "u0"}})["Item"] == \
               {"id": {"S": "u0"}, "email": {"S": "zero@x"}}
        got = ddb.query(TableName="users", IndexName="by-email", KeyConditionExpression="email = :e",
                        ExpressionAttributeValues={":e": {"S": "u0@example.com"}})["Items"]
        assert got == []
        # An explicit "format": "dynamodb" is the default shape.
        status, body = admin(server, "POST", "/_localddb/seed",
                             {"format": "dynamodb", "items": {"users": [user(9)]}})
        assert status == 200 and body == {"tables": 0, "items": 1}
        assert ddb.describe_table(TableName="users")["Table"]["ItemCount"] == 6
    finally:
        server.stop()


def test_seed_endpoint_plain_json_marshals_like_document_clients():
    server = Server("--in-memory")
    try:
        ddb = make_client(server.endpoint)
        doc = {"format": "plain", "tables": [USERS], "items": {"users": [{
            "id": "p1", "email": "p1@x", "name": "Ada", "age": 36, "score": 1.5, "ratio": 0.1, "price": 19.99,
            "neg": -7,
            "big": 12345678901234567890, "tiny": 1e-7, "ok": True, "off": False, "nothing": None,
            "list": [1, "two", False, None, [3], {"k": "v"}], "map": {"inner": {"deep": [0.25]}}, "empty": {},
            "emptyList": [], "unicode": "h\u00e9llo \u2603"}]}}
        status, body = admin(server, "POST", "/_localddb/seed", doc)
        assert status == 200, body
        assert body == {"tables": 1, "items": 1}
        got = ddb.get_item(TableName="users", Key={"id": {"S": "p1"}})["Item"]
        # A JSON number is the decimal its text says (0.1, not the binary double nearest to it), as a
        # document client marshals it: compared by value, whatever the spelling.
        for name, text in (("score", "1.5"), ("ratio", "0.1"), ("price", "19.99"), ("tiny", "1e-7")):
            assert Decimal(got.pop(name)["N"]) == Decimal(text), name
        assert Decimal(got["map"]["M"]["inner"]["M"]["deep"]["L"][0].pop("N")) == Decimal("0.25")
        got["map"]["M"]["inner"]["M"]["deep"]["L"][0]["N"] = "0.25"
        assert got == {
            "id": {"S": "p1"}, "email": {"S": "p1@x"}, "name": {"S": "Ada"}, "age": {"N": "36"},
            "neg": {"N": "-7"}, "big": {"N": "12345678901234567890"}, "ok": {"BOOL": True}, "off": {"BOOL": False},
            "nothing": {"NULL": True},
            "list": {"L": [{"N": "1"}, {"S": "two"}, {"BOOL": False}, {"NULL": True}, {"L": [{"N": "3"}]},
                           {"M": {"k": {"S": "v"}}}]},
            "map": {"M": {"inner": {"M": {"deep": {"L": [{"N": "0.25"}]}}}}}, "empty": {"M": {}},
            "emptyList": {"L": []}, "unicode": {"S": "h\u00e9llo \u2603"}}
        got = ddb.query(TableName="users", IndexName="by-email", KeyConditionExpression="email = :e",
                        ExpressionAttributeValues={":e": {"S": "p1@x"}})["Items"]
        assert [i["id"] for i in got] == [{"S": "p1"}]
    finally:
        server.stop()


def test_seed_endpoint_takes_an_aws_cli_request_items_file_as_is(tmp_path):
    request_items = {"users": [{"PutRequest": {"Item": user(i)}} for i in range(4)]}
    server = Server("--in-memory")
    try:
        ddb = make_client(server.endpoint)
        ddb.create_table(**USERS)
        status, body = admin(server, "POST", "/_localddb/seed", request_items)
        assert status == 200, body
        assert body == {"tables": 0, "items": 4}
        assert sorted(i["id"]["S"] for i in scan_all(ddb, "users")) == ["u0", "u1", "u2", "u3"]
        assert all(i == user(int(i["id"]["S"][1:])) for i in scan_all(ddb, "users"))
        if AWS_CLI:  # the very same file is one the AWS CLI takes
            path = write(tmp_path / "items.json", {"users": [{"PutRequest": {"Item": user(i)}} for i in range(4, 6)]})
            aws(server.endpoint, "batch-write-item", "--request-items", f"file://{path}")
            status, body = admin(server, "POST", "/_localddb/seed", json.loads(open(path).read()))
            assert status == 200 and body["items"] == 2
            assert len(scan_all(ddb, "users")) == 6
    finally:
        server.stop()


BAD_ITEMS = [
    # (items of the "users" table, index of the bad one)
    ([user(0), user(1), {"email": {"S": "no-id@x"}}], 2),                     # key missing
    ([user(0), {"id": {"N": "1"}, "email": {"S": "x"}}], 1),                   # key of the wrong type
    ([{"id": {"S": "a"}, "n": {"N": "not-a-number"}}], 0),                     # bad number
    ([user(0), user(1), user(2), {"id": {"S": "b"}, "s": {"SS": []}}], 3),     # empty set
    ([user(0), {"id": {"S": "c"}, "email": {"S": ""}}], 1),                    # empty index key
    ([user(0), "not an item"], 1),                                             # not an object
    ([user(0), {"id": {"S": "d"}, "x": {"Q": "what"}}], 1),                    # unknown type
]


@pytest.mark.parametrize("items,index", BAD_ITEMS)
def test_bad_seed_body_names_the_item_and_applies_nothing(items, index):
    server = Server("--in-memory")
    try:
        ddb = make_client(server.endpoint)
        ddb.create_table(TableName="existing", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
        doc = {"tables": [USERS, ORDERS],
               "items": {"existing": [{"pk": {"S": "e1"}}, {"pk": {"S": "e2"}}], "users": items}}
        status, body = admin(server, "POST", "/_localddb/seed", doc)
        assert status == 400, body
        assert body["error"] == "InvalidSeed"
        assert_location(body["message"], "request body", "users", index)
        # Nothing of it: no table, no item, not even those before the bad one or in another table.
        assert names(ddb) == ["existing"]
        assert scan_all(ddb, "existing") == []
        for table in ("users", "orders"):
            with pytest.raises(ClientError) as e:
                ddb.describe_table(TableName=table)
            assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
        # The namespace is fine afterwards: the same document, corrected, applies.
        doc["items"]["users"] = [user(0)]
        assert admin(server, "POST", "/_localddb/seed", doc) == (200, {"tables": 2, "items": 3})
    finally:
        server.stop()


def test_bad_seed_documents_are_refused_whole():
    server = Server("--in-memory")
    try:
        ddb = make_client(server.endpoint)
        ddb.create_table(**USERS)
        cases = [
            # an item for a table that does not exist (after a good one)
            ({"items": {"users": [user(1)], "ghost": [{"id": {"S": "x"}}]}}, "ghost", 0),
            # plain JSON missing its key
            ({"format": "plain", "items": {"users": [{"id": "ok", "email": "e"}, {"email": "nokey"}]}}, "users", 1),
            # a CLI file with a PutRequest without an Item
            ({"users": [{"PutRequest": {"Item": user(2)}}, {"PutRequest": {}}]}, "users", 1),
            # a CLI file with a bad item
            ({"users": [{"PutRequest": {"Item": user(3)}}, {"PutRequest": {"Item": user(4)}},
                        {"PutRequest": {"Item": {"id": {"S": ""}}}}]}, "users", 2),
        ]
        for doc, table, index in cases:
            status, body = admin(server, "POST", "/_localddb/seed", doc)
            assert status == 400 and body["error"] == "InvalidSeed", (doc, body)
            assert_location(body["message"], "request body", table, index)
            assert scan_all(ddb, "users") == [], doc
        # A table that cannot be created: named, and nothing else of the document applied.
        doc = {"tables": [dict(USERS, TableName="fresh"), USERS], "items": {"users": [user(1)]}}
        status, body = admin(server, "POST", "/_localddb/seed", doc)
        assert status == 400 and body["error"] == "InvalidSeed"
        assert "request body" in body["message"] and "users" in body["message"], body
        bad_table = {"tables": [{"TableName": "nokeys", "AttributeDefinitions": [], "KeySchema": [],
                                 "BillingMode": "PAY_PER_REQUEST"}]}
        status, body = admin(server, "POST", "/_localddb/seed", bad_table)
        assert status == 400 and body["error"] == "InvalidSeed" and "request body" in body["message"]
        assert names(ddb) == ["users"] and scan_all(ddb, "users") == []
        # Shapes that are not seed documents.
        for doc in ({"format": "xml", "items": {}}, {"tables": {"users": USERS}}, {"items": [user(1)]},
                    {"format": "plain", "items": {"users": "u1"}}):
            status, body = admin(server, "POST", "/_localddb/seed", doc)
            assert status == 400 and body["error"] == "InvalidSeed" and "request body" in body["message"], doc
        status, body = admin(server, "POST", "/_localddb/seed", b"{not json")
        assert status == 400 and set(body) == {"error", "message"}
        assert names(ddb) == ["users"] and scan_all(ddb, "users") == []
    finally:
        server.stop()


def test_seed_endpoint_methods_and_media_type():
    server = Server("--in-memory")
    try:
        for method in ("GET", "PUT", "DELETE"):
            status, body = admin(server, method, "/_localddb/seed")
            assert status == 405 and body["error"] == "MethodNotAllowed", method
        status, body, _ = request(server, "POST", "/_localddb/seed", json.dumps({"tables": [USERS]}).encode(),
                                  {"Content-Type": "text/plain"})
        assert status == 415 and body["error"] == "UnsupportedMediaType"
        assert make_client(server.endpoint).list_tables()["TableNames"] == []
    finally:
        server.stop()


def test_bad_seed_file_stops_start_up_naming_file_table_and_item(tmp_path):
    path = write(tmp_path / "broken-seed.json",
                 {"tables": [USERS], "items": {"users": [user(0), user(1), user(2), user(3), {"id": {"S": 5}}]}})
    error = start_refused("--in-memory", "--seed", path)
    assert_location(error, "broken-seed.json", "users", 4)

    not_json = write(tmp_path / "garbled.json", "{\"tables\": [")
    error = start_refused("--in-memory", "--seed", not_json)
    assert "garbled.json" in error

    error = start_refused("--in-memory", "--seed", str(tmp_path / "absent.json"))
    assert "absent.json" in error


def test_bad_file_in_a_seed_directory_applies_nothing_of_itself(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    write(seeds / "01-users.json", {"tables": [USERS], "items": {"users": [user(0)]}})
    write(seeds / "02-orders.json", {"tables": [ORDERS], "items": {
        "orders": [{"user": {"S": "u0"}, "n": {"N": "1"}}, {"user": {"S": "u0"}}],
        "users": [user(1)]}})
    db = str(tmp_path / "data.sqlite")
    error = start_refused("--db", db, "--seed", str(seeds))
    assert_location(error, "02-orders.json", "orders", 1)
    # What the bad file would have done is not in the database; the file before it was applied.
    server = Server("--db", db)
    try:
        ddb = make_client(server.endpoint)
        assert names(ddb) == ["users"]
        assert [i["id"]["S"] for i in scan_all(ddb, "users")] == ["u0"]
    finally:
        assert server.stop() == 0


def test_seed_into_a_namespace_stays_there():
    server = Server("--in-memory")
    try:
        status, body = admin(server, "POST", "/_localddb/seed?namespace=seeded",
                             {"tables": [USERS], "items": {"users": [user(1)]}})
        assert status == 200 and body == {"tables": 1, "items": 1}
        status, body = admin(server, "POST", "/ns/other/_localddb/seed",
                             {"format": "plain", "tables": [USERS], "items": {"users": [{"id": "o", "email": "o@x"}]}})
        assert status == 200 and body == {"tables": 1, "items": 1}
        assert make_client(server.endpoint).list_tables()["TableNames"] == []
        seeded = make_client(server.endpoint + "/ns/seeded")
        assert [i["id"]["S"] for i in scan_all(seeded, "users")] == ["u1"]
        other = make_client(server.endpoint + "/ns/other")
        assert [i["id"]["S"] for i in scan_all(other, "users")] == ["o"]
    finally:
        server.stop()


def test_restore_snapshot_then_seed_at_start_up(tmp_path):
    db = str(tmp_path / "data.sqlite")
    server = Server("--db", db)
    try:
        ddb = make_client(server.endpoint)
        ddb.create_table(**USERS)
        ddb.put_item(TableName="users", Item=user(0))
        assert admin(server, "PUT", "/_localddb/snapshots/base")[0] == 201
        ddb.put_item(TableName="users", Item=user(5))
    finally:
        assert server.stop() == 0
    seed = write(tmp_path / "more.json", {"tables": [ORDERS], "items": {"users": [user(1)]}})
    server = Server("--db", db, "--restore-snapshot", "base", "--seed", seed)
    try:
        ddb = make_client(server.endpoint)
        assert sorted(names(ddb)) == ["orders", "users"]
        assert sorted(i["id"]["S"] for i in scan_all(ddb, "users")) == ["u0", "u1"]  # u5 came after the snapshot
    finally:
        assert server.stop() == 0
