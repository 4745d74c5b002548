"""The wire protocol: health check, headers, and DynamoDB's answers to malformed requests."""
import http.client
import json
import urllib.parse
import zlib

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import AGAINST_LOCAL, REGION


def raw(endpoint, body, target="DynamoDB_20120810.ListTables", sign=True, headers=None,
        content_type="application/x-amz-json-1.0"):
    """Sends one POST with an arbitrary body; returns (status, headers, parsed-or-raw body)."""
    url = urllib.parse.urlparse(endpoint)
    hdrs = {"Content-Type": content_type}
    if target is not None:
        hdrs["X-Amz-Target"] = target
    hdrs.update(headers or {})
    data = body if isinstance(body, bytes) else body.encode()
    if sign:
        req = AWSRequest(method="POST", url=endpoint + "/", data=data, headers=hdrs)
        SigV4Auth(Credentials("local", "local"), "dynamodb", REGION).add_auth(req)
        hdrs = dict(req.headers.items())
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    conn.request("POST", "/", body=data, headers=hdrs)
    resp = conn.getresponse()
    text = resp.read()
    conn.close()
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = text
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, parsed, text


def test_health_check(endpoint):
    url = urllib.parse.urlparse(endpoint)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    conn.request("GET", "/")
    resp = conn.getresponse()
    assert resp.status == 200
    assert resp.read().decode().startswith("healthy: dynamodb.")


@pytest.mark.skipif(not AGAINST_LOCAL, reason="localddb's own admin namespace")
def test_admin_health(endpoint):
    url = urllib.parse.urlparse(endpoint)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    conn.request("GET", "/_localddb/health")
    resp = conn.getresponse()
    assert resp.status == 200
    assert json.loads(resp.read())["status"] == "ok"


def test_response_headers(endpoint):
    status, headers, body, text = raw(endpoint, "{}")
    assert status == 200
    assert headers["content-type"] == "application/x-amz-json-1.0"
    assert int(headers["x-amz-crc32"]) == zlib.crc32(text)
    assert len(headers["x-amzn-requestid"]) == 52


def test_malformed_json_is_serialization_exception(endpoint):
    status, _, body, _ = raw(endpoint, "{not json")
    assert status == 400
    assert body["__type"] == "com.amazon.coral.service#SerializationException"


def test_unknown_operation(endpoint):
    status, _, body, _ = raw(endpoint, "{}", target="DynamoDB_20120810.NoSuchThing")
    assert status == 400
    assert body["__type"] == "com.amazon.coral.service#UnknownOperationException"


def test_missing_authentication(endpoint):
    status, _, body, _ = raw(endpoint, "{}", sign=False)
    assert status == 400
    assert body["__type"] == "com.amazon.coral.service#MissingAuthenticationTokenException"
    assert body["message"] == "Request is missing Authentication Token"


def test_wrong_json_type_is_serialization_exception(endpoint):
    status, _, body, _ = raw(endpoint, json.dumps({"TableName": 5}), target="DynamoDB_20120810.DescribeTable")
    assert status == 400
    assert body["__type"] == "com.amazon.coral.service#SerializationException"


def test_validation_exception_type(endpoint):
    status, _, body, _ = raw(endpoint, "{}", target="DynamoDB_20120810.DescribeTable")
    assert status == 400
    assert body["__type"] == "com.amazon.coral.validate#ValidationException"
    assert body["message"] == "The parameter 'TableName' is required but was not present in the request"


def test_resource_not_found_type(endpoint):
    status, _, body, _ = raw(endpoint, json.dumps({"TableName": "missing-table"}),
                             target="DynamoDB_20120810.DescribeTable")
    assert status == 400
    assert body["__type"] == "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"


@pytest.mark.skipif(not AGAINST_LOCAL, reason="body limit is localddb's configuration")
def test_oversize_body_gets_an_answer(endpoint):
    status, _, body, _ = raw(endpoint, "{" + " " * (17 * 1024 * 1024) + "}", sign=False)
    assert status == 413


def test_server_keeps_serving_after_bad_input(endpoint, ddb):
    for bad in ("", "[]", "null", "{\"TableName\":", "\x00\xff"):
        raw(endpoint, bad)
    assert "TableNames" in ddb.list_tables()


def test_keep_alive_two_requests_one_connection(endpoint):
    url = urllib.parse.urlparse(endpoint)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    for _ in range(2):
        req = AWSRequest(method="POST", url=endpoint + "/", data=b"{}",
                         headers={"Content-Type": "application/x-amz-json-1.0",
                                  "X-Amz-Target": "DynamoDB_20120810.ListTables"})
        SigV4Auth(Credentials("local", "local"), "dynamodb", REGION).add_auth(req)
        conn.request("POST", "/", body=b"{}", headers=dict(req.headers.items()))
        resp = conn.getresponse()
        assert resp.status == 200
        resp.read()
    conn.close()
