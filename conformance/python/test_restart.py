"""Durability: data survives a clean restart (SIGTERM) and a crash (kill -9) of the server."""
import os

import pytest

from conftest import AGAINST_LOCAL, Server, make_client

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="starts its own localddb processes")


def create(ddb, name):
    ddb.create_table(TableName=name,
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "g", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     BillingMode="PAY_PER_REQUEST",
                     GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "ALL"}}])


@pytest.mark.parametrize("how", ["TERM", "KILL"])
def test_restart_keeps_every_acknowledged_write(tmp_path, how):
    db = str(tmp_path / "data.sqlite")
    server = Server("--db", db)
    ddb = make_client(server.endpoint)
    create(ddb, "durable")
    for i in range(200):
        ddb.put_item(TableName="durable", Item={"pk": {"S": f"k{i}"}, "g": {"S": "x"}, "v": {"N": str(i)}})
    ddb.delete_item(TableName="durable", Key={"pk": {"S": "k0"}})
    assert server.stop(how) in ((0,) if how == "TERM" else (-9,))

    server = Server("--db", db)
    ddb = make_client(server.endpoint)
    try:
        table = ddb.describe_table(TableName="durable")["Table"]
        assert table["ItemCount"] == 199
        assert table["GlobalSecondaryIndexes"][0]["ItemCount"] == 199
        for i in range(1, 200):
            assert ddb.get_item(TableName="durable", Key={"pk": {"S": f"k{i}"}})["Item"]["v"] == {"N": str(i)}
        assert "Item" not in ddb.get_item(TableName="durable", Key={"pk": {"S": "k0"}})
    finally:
        assert server.stop() == 0


def test_bad_database_file_is_refused(tmp_path):
    path = tmp_path / "garbage.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(RuntimeError) as e:
        Server("--db", str(path))
    assert "not a localddb database" in str(e.value) or "corrupt" in str(e.value)


def test_busy_port_is_refused(endpoint):
    port = int(endpoint.rsplit(":", 1)[1])
    with pytest.raises(RuntimeError) as e:
        Server("--in-memory", port=port)
    assert "cannot listen" in str(e.value)
