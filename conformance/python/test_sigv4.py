"""--auth sigv4: requests are verified as AWS verifies them, and what a signature does not cover
cannot be changed after signing."""
import datetime
import hashlib
import http.client
import json
from unittest import mock

import botocore.exceptions
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import AGAINST_LOCAL, REGION, Server, make_client

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="starts localddb with --auth sigv4")

INVALID = "com.amazon.coral.service#InvalidSignatureException"


@pytest.fixture(scope="module")
def server():
    s = Server("--in-memory", "--auth", "sigv4", "--credentials", "AKIDLOCAL:secretkey")
    yield s
    s.stop()


def signed_headers(server, body, target="DynamoDB_20120810.ListTables", key="AKIDLOCAL", secret="secretkey",
                   extra=None, path="/", when=None):
    url = f"http://127.0.0.1:{server.port}{path}"
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target, **(extra or {})}
    req = AWSRequest(method="POST", url=url, data=body, headers=headers)
    auth = SigV4Auth(Credentials(key, secret), "dynamodb", REGION)
    if when:
        class Then(datetime.datetime):  # botocore signs with utcnow(): sign as if it were `when`
            @classmethod
            def utcnow(cls):
                return when
        with mock.patch.object(datetime, "datetime", Then):
            auth.add_auth(req)
    else:
        auth.add_auth(req)
    return dict(req.headers.items())


def send(server, body, headers, path="/"):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("POST", path, body=body, headers=headers)
    resp = conn.getresponse()
    data = json.loads(resp.read())
    conn.close()
    return resp.status, data


def test_real_client_signatures_are_accepted(server):
    ddb = make_client(server.endpoint)
    ddb._request_signer._credentials = Credentials("AKIDLOCAL", "secretkey")
    assert "TableNames" in ddb.list_tables()


def test_wrong_secret_is_refused(server):
    status, body = send(server, b"{}", signed_headers(server, b"{}", secret="wrong"))
    assert (status, body["__type"]) == (400, INVALID)
    assert body["message"].startswith("The request signature we calculated does not match")


def test_unknown_key_is_refused(server):
    status, body = send(server, b"{}", signed_headers(server, b"{}", key="OTHER"))
    assert body["__type"].endswith("UnrecognizedClientException")


def test_target_changed_after_signing_is_refused(server):
    headers = signed_headers(server, b"{}")
    # Re-sign covering only host and x-amz-date, then change the operation.
    auth = headers["Authorization"].replace("SignedHeaders=content-type;host;x-amz-date;x-amz-target",
                                            "SignedHeaders=host;x-amz-date")
    headers["Authorization"] = auth
    headers["X-Amz-Target"] = "DynamoDB_20120810.DeleteTable"
    status, body = send(server, b"{}", headers)
    assert (status, body["__type"]) == (400, INVALID)
    assert body["message"] == "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization."


def test_host_must_be_signed(server):
    headers = signed_headers(server, b"{}")
    headers["Authorization"] = headers["Authorization"].replace(
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target", "SignedHeaders=content-type;x-amz-date;x-amz-target")
    status, body = send(server, b"{}", headers)
    assert body["message"] == "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."


def test_body_changed_after_signing_is_refused(server):
    headers = signed_headers(server, b'{"Limit": 1}')
    status, body = send(server, b'{"Limit": 2}', headers)
    assert (status, body["__type"]) == (400, INVALID)
    lying = signed_headers(server, b"{}", extra={"X-Amz-Content-Sha256": hashlib.sha256(b"other").hexdigest()})
    status, body = send(server, b"{}", lying)
    assert body["__type"] == INVALID and "x-amz-content-sha256" in body["message"]


def test_old_and_future_signatures_are_refused(server):
    now = datetime.datetime.utcnow()
    status, body = send(server, b"{}", signed_headers(server, b"{}", when=now - datetime.timedelta(minutes=20)))
    assert body["__type"] == INVALID and body["message"].startswith("Signature expired: ")
    status, body = send(server, b"{}", signed_headers(server, b"{}", when=now + datetime.timedelta(minutes=20)))
    assert body["__type"] == INVALID and body["message"].startswith("Signature not yet current: ")


def test_bad_percent_escape_in_path_is_not_a_server_error(server):
    # Signed as sent: a malformed escape is kept as it is, on both sides.
    status, body = send(server, b"{}", signed_headers(server, b"{}", path="/%zz"), path="/%zz")
    assert status == 200, body
    # Signed for another path: a signature mismatch (it once answered 500 'internal error: stoi').
    for path in ("/%zz", "/%4", "/%"):
        status, body = send(server, b"{}", signed_headers(server, b"{}"), path=path)
        assert (status, body["__type"]) == (400, INVALID), path
