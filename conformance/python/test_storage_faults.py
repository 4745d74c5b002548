"""Resource faults (issue 10): an unusable database is refused at start-up with a message that
says why; a full disk or a deleted database answers writes with an error that says so, keeps
serving reads and loses no acknowledged write."""
import json
import os
import resource
import shutil
import socket
import stat
import subprocess
import tempfile
import threading
import time
import urllib.request

import botocore.exceptions
import pytest

from conftest import AGAINST_LOCAL, Server, make_client

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="starts localddb on broken files")


def create(ddb, name="tbl", stream=False):
    params = dict(TableName=name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                  KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    if stream:
        params["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    ddb.create_table(**params)


def refused(*args):
    with pytest.raises(RuntimeError) as e:
        Server(*args)
    return str(e.value)


def make_db(path):
    server = Server("--db", path)
    ddb = make_client(server.endpoint)
    create(ddb)
    ddb.put_item(TableName="tbl", Item={"pk": {"S": "a"}})
    assert server.stop() == 0


def test_read_only_file_is_refused_at_start(tmp_path):
    db = str(tmp_path / "data.sqlite")
    make_db(db)
    os.chmod(db, 0o444)
    try:
        message = refused("--db", db)
        assert "read-only" in message
    finally:
        os.chmod(db, 0o644)


def test_read_only_directory_is_refused_at_start(tmp_path):
    d = tmp_path / "ro"
    d.mkdir()
    db = str(d / "data.sqlite")
    make_db(db)
    os.chmod(d, 0o555)
    try:
        message = refused("--db", db)
        assert "not writable" in message and "corrupt" not in message
        message = refused("--db", str(d / "new.sqlite"))
        assert "not writable" in message
    finally:
        os.chmod(d, 0o755)


def test_full_disk_answers_writes_keeps_reads_and_recovers(tmp_path):
    db = str(tmp_path / "data.sqlite")
    limit = 3 * 1024 * 1024

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    server = Server("--db", db, preexec_fn=small_files)
    ddb = make_client(server.endpoint)
    create(ddb)
    acknowledged, error = [], None
    for i in range(2000):
        try:
            ddb.put_item(TableName="tbl", Item={"pk": {"S": f"k{i}"}, "v": {"S": "x" * 4000}})
            acknowledged.append(f"k{i}")
        except botocore.exceptions.ClientError as e:
            error = e.response
            break
    assert error is not None, "the file size limit was never reached"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert error["Error"]["Code"] == "InternalServerError"
    assert "disk is full" in error["Error"]["Message"]
    # Reads go on.
    assert ddb.get_item(TableName="tbl", Key={"pk": {"S": acknowledged[0]}})["Item"]["pk"]["S"] == acknowledged[0]
    # Space returns: writes go on.
    resource.prlimit(server.proc.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    ddb.put_item(TableName="tbl", Item={"pk": {"S": "after"}, "v": {"S": "x"}})
    acknowledged.append("after")
    assert server.stop() == 0
    server = Server("--db", db)
    try:
        ddb = make_client(server.endpoint)
        for key in acknowledged:
            assert "Item" in ddb.get_item(TableName="tbl", Key={"pk": {"S": key}}), key
    finally:
        server.stop()


def test_deleted_database_refuses_writes_loudly(tmp_path):
    d = tmp_path / "gone"
    d.mkdir()
    server = Server("--db", str(d / "data.sqlite"))
    try:
        ddb = make_client(server.endpoint)
        create(ddb)
        ddb.put_item(TableName="tbl", Item={"pk": {"S": "before"}})
        shutil.rmtree(d)
        time.sleep(0.2)
        with pytest.raises(botocore.exceptions.ClientError) as e:
            for i in range(5):
                ddb.put_item(TableName="tbl", Item={"pk": {"S": f"after{i}"}})
        assert e.value.response["Error"]["Code"] == "InternalServerError"
        assert "deleted" in e.value.response["Error"]["Message"]
    finally:
        server.stop()
    assert "was deleted or replaced" in server.proc.stderr.read()


def test_sigterm_with_a_hook_target_that_never_answers(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    server = Server("--in-memory", "--stream-hook", f"stm={url}", "--stream-hook-timeout-ms", "600000")
    try:
        ddb = make_client(server.endpoint)
        create(ddb, "stm", stream=True)
        ddb.put_item(TableName="stm", Item={"pk": {"S": "a"}})
        deadline = time.time() + 10
        while not accepted and time.time() < deadline:
            time.sleep(0.05)
        assert accepted, "the hook never connected"
        time.sleep(0.2)  # the POST is now waiting for an answer that never comes
        started = time.time()
        assert server.stop(timeout=8) == 0
        assert time.time() - started < 8
    finally:
        listener.close()
