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


def test_idle_server_folds_its_wal_so_the_file_alone_holds_every_write(tmp_path):
    # A user copying the database file as a fixture once got an empty 4 KB file: the writes were
    # all in the -wal. After a second without writes, the file holds them.
    import shutil
    import time
    db = str(tmp_path / "data.sqlite")
    server = Server("--db", db)
    ddb = make_client(server.endpoint)
    create(ddb, "folded")
    for i in range(50):
        ddb.put_item(TableName="folded", Item={"pk": {"S": f"k{i}"}, "g": {"S": "x"}})
    copy = str(tmp_path / "copy.sqlite")
    deadline = time.time() + 10
    count = 0
    while time.time() < deadline and count < 50:
        time.sleep(0.5)
        shutil.copy(db, copy)  # the main file only, as a user would
        probe = Server("--db", copy)
        try:
            probe_ddb = make_client(probe.endpoint)
            if "folded" in probe_ddb.list_tables()["TableNames"]:
                count = probe_ddb.scan(TableName="folded", Select="COUNT")["Count"]
        finally:
            probe.stop()
    server.stop()
    assert count == 50


def test_snapshot_export_command_copies_a_live_database(tmp_path):
    import subprocess
    from conftest import localddb_binary
    db = str(tmp_path / "data.sqlite")
    server = Server("--db", db)
    try:
        ddb = make_client(server.endpoint)
        create(ddb, "exported")
        ddb.put_item(TableName="exported", Item={"pk": {"S": "a"}, "g": {"S": "x"}})
        out = str(tmp_path / "export.sqlite")
        done = subprocess.run([localddb_binary(), "snapshot", "export", "--db", db, "--out", out],
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
    finally:
        server.stop()
    server = Server("--db", out)
    try:
        ddb = make_client(server.endpoint)
        assert ddb.get_item(TableName="exported", Key={"pk": {"S": "a"}})["Item"]["g"] == {"S": "x"}
    finally:
        server.stop()
    bad = subprocess.run([localddb_binary(), "snapshot", "export", "--db", db], capture_output=True, text=True)
    assert bad.returncode == 2 and "usage" in bad.stderr
