"""Fixtures for the real-client conformance suite.

By default each test session starts its own localddb (in memory, on a free port) from
LOCALDDB_BIN (or build/localddb in this repository). Set LOCALDDB_ENDPOINT to run the same tests
against another endpoint, e.g. real DynamoDB with real credentials in the environment.
"""
import os
import socket
import subprocess
import time
import uuid

import boto3
import botocore.config
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
AGAINST_LOCAL = "LOCALDDB_ENDPOINT" not in os.environ


def localddb_binary():
    return os.environ.get("LOCALDDB_BIN") or os.path.join(REPO, "build", "localddb")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A localddb process started for tests; stopped with SIGTERM (or killed) at the end."""

    def __init__(self, *args, port=0, preexec_fn=None):
        # Port 0: the server picks a free port itself and says which, so no two processes of a
        # test run can race for one.
        self.port = port
        self.args = [localddb_binary(), "--port", str(self.port), *args]
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     preexec_fn=preexec_fn)
        deadline = time.time() + 10
        line = ""
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if line.startswith("localddb listening on "):
                self.endpoint = line.split(" on ", 1)[1].strip()
                self.port = int(self.endpoint.rsplit(":", 1)[1])
                return
            if self.proc.poll() is not None:
                break
        self.proc.kill()
        raise RuntimeError(f"localddb did not start: {line!r} {self.proc.stderr.read()}")

    def stop(self, sig="TERM", timeout=10):
        if self.proc.poll() is None:
            if sig == "KILL":
                self.proc.kill()
            else:
                self.proc.terminate()
            self.proc.wait(timeout=timeout)
        return self.proc.returncode


def make_client(endpoint, service="dynamodb"):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "local") if not AGAINST_LOCAL else "local",
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "local") if not AGAINST_LOCAL else "local",
        config=botocore.config.Config(retries={"max_attempts": 1}),
    )


def lax_client(ddb, service):
    """A client of the same endpoint and credentials that sends what it is given, so a request may
    lack a required member or break a length constraint (botocore checks both before sending)."""
    creds = ddb._request_signer._credentials
    config = ddb.meta.config.merge(botocore.config.Config(parameter_validation=False))
    return boto3.client(service, endpoint_url=ddb.meta.endpoint_url, region_name=ddb.meta.region_name,
                        aws_access_key_id=creds.access_key, aws_secret_access_key=creds.secret_key,
                        aws_session_token=creds.token, config=config)


@pytest.fixture(scope="session")
def endpoint():
    if not AGAINST_LOCAL:
        yield os.environ["LOCALDDB_ENDPOINT"]
        return
    server = Server("--in-memory")
    yield server.endpoint
    server.stop()


@pytest.fixture(scope="session")
def ddb(endpoint):
    return make_client(endpoint)


@pytest.fixture(scope="session")
def resource(endpoint):
    return boto3.resource("dynamodb", endpoint_url=endpoint, region_name=REGION,
                          aws_access_key_id="local", aws_secret_access_key="local")


def unique_name(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def make_table(ddb):
    """Creates tables with unique names; deletes them after the test."""
    created = []

    def create(hash_key=("pk", "S"), range_key=None, **kwargs):
        name = kwargs.pop("TableName", unique_name())
        defs = {hash_key[0]: hash_key[1]}
        schema = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
        if range_key:
            defs[range_key[0]] = range_key[1]
            schema.append({"AttributeName": range_key[0], "KeyType": "RANGE"})
        for extra in kwargs.pop("extra_attributes", []):
            defs[extra[0]] = extra[1]
        params = dict(TableName=name,
                      AttributeDefinitions=[{"AttributeName": k, "AttributeType": t} for k, t in defs.items()],
                      KeySchema=schema, BillingMode="PAY_PER_REQUEST")
        params.update(kwargs)
        ddb.create_table(**params)
        ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
        created.append(name)
        return name

    yield create
    for name in created:
        try:
            ddb.delete_table(TableName=name)
        except ddb.exceptions.ResourceNotFoundException:
            pass


def error_of(excinfo):
    """(code, message, HTTP status) of a botocore ClientError."""
    err = excinfo.value.response
    return err["Error"]["Code"], err["Error"].get("Message", ""), err["ResponseMetadata"]["HTTPStatusCode"]
