"""The admin API and browsers (issue 11): what a web page, a DNS rebinding attack or a foreign
host is refused, and what local scripts, token holders and signed requests are allowed."""
import http.client
import json
import os

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import AGAINST_LOCAL, REGION, Server, make_client

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="localddb's own admin API and flags")

HOOK = {"table": "secrets", "url": "http://127.0.0.1:9/hook"}


def request(server, method, path, body=None, headers=None):
    """(status, parsed JSON or text, headers) of one request; headers may override Host."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    conn.request(method, path, body=data, headers=headers or {})
    resp = conn.getresponse()
    text = resp.read()
    conn.close()
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = text
    return resp.status, parsed, {k.lower(): v for k, v in resp.getheaders()}


def api(server, target, body, headers=None):
    hdrs = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810." + target,
            "Authorization": "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, "
                             "SignedHeaders=host, Signature=0"}
    hdrs.update(headers or {})
    return request(server, "POST", "/", json.dumps(body).encode(), hdrs)


JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def local():
    server = Server("--in-memory")
    yield server
    server.stop()


def test_local_script_may_use_the_admin_api(local):
    status, body, _ = request(local, "GET", "/_localddb/stream-hooks")
    assert status == 200 and "hooks" in body
    status, body, _ = request(local, "POST", "/_localddb/stream-hooks", HOOK, JSON)
    assert status in (200, 201), body
    status, body, _ = request(local, "DELETE", "/_localddb/stream-hooks", HOOK, JSON)
    assert status == 200, body


def test_cross_origin_page_is_refused(local):
    status, body, headers = request(local, "POST", "/_localddb/stream-hooks", json.dumps(HOOK),
                                    {"Content-Type": "text/plain", "Origin": "http://evil.example"})
    assert status == 403 and body["error"] == "ForbiddenOrigin"
    assert "access-control-allow-origin" not in headers
    status, body, _ = request(local, "POST", "/_localddb/stream-hooks", HOOK,
                              {"Content-Type": "application/json", "Origin": "http://evil.example"})
    assert status == 403 and body["error"] == "ForbiddenOrigin"
    assert request(local, "GET", "/_localddb/stream-hooks")[1]["hooks"] == []


def test_text_plain_post_is_refused(local):
    status, body, _ = request(local, "POST", "/_localddb/stream-hooks", json.dumps(HOOK), {"Content-Type": "text/plain"})
    assert status == 415 and body["error"] == "UnsupportedMediaType"
    status, body, _ = request(local, "POST", "/_localddb/stream-hooks", json.dumps(HOOK))
    assert status == 415
    assert request(local, "GET", "/_localddb/stream-hooks")[1]["hooks"] == []


def test_dns_rebinding_host_is_refused(local):
    foreign = {"Host": f"evil.example:{local.port}"}
    status, body, _ = request(local, "GET", "/_localddb/stream-hooks", headers=foreign)
    assert status == 403 and body["error"] == "ForbiddenHost"
    status, body, _ = request(local, "POST", "/_localddb/stream-hooks", HOOK, {**JSON, **foreign})
    assert status == 403
    for host in (f"localhost:{local.port}", f"127.0.0.1:{local.port}", f"[::1]:{local.port}", "app.localhost"):
        assert request(local, "GET", "/_localddb/stream-hooks", headers={"Host": host})[0] == 200, host


def test_health_stays_open_to_local_probes(local):
    status, body, _ = request(local, "GET", "/_localddb/health", headers={"Host": "localddb:8000"})
    assert status == 200 and body["status"] == "ok"
    status, _, _ = request(local, "GET", "/_localddb/health", headers={"Origin": "http://evil.example"})
    assert status == 403


def test_non_loopback_hook_target_is_refused_before_any_connection(local):
    for url in ("http://example.com/hook", "http://10.1.2.3:9000/2015-03-31/functions/f/invocations",
                "http://user@127.0.0.1/x", "http://127.0.0.1.evil.example/x"):
        status, body, _ = request(local, "POST", "/_localddb/stream-hooks", {"table": "t", "url": url}, JSON)
        assert status == 403 and body["error"] == "HookTargetNotAllowed", url
        assert "--allow-hook-target" in body["message"]
    assert request(local, "GET", "/_localddb/stream-hooks")[1]["hooks"] == []


def test_allow_hook_target_lets_a_named_host_in():
    server = Server("--in-memory", "--allow-hook-target", "lambda.internal")
    try:
        status, body, _ = request(server, "POST", "/_localddb/stream-hooks",
                                  {"table": "t", "url": "http://lambda.internal:9000/hook"}, JSON)
        assert status == 201, body
        status, body, _ = request(server, "POST", "/_localddb/stream-hooks",
                                  {"table": "t", "url": "http://other.internal:9000/hook"}, JSON)
        assert status == 403
    finally:
        server.stop()


def test_admin_token_when_configured():
    server = Server("--in-memory", "--admin-token", "s3cret-token")
    try:
        status, body, _ = request(server, "GET", "/_localddb/stream-hooks")
        assert status == 401 and body["error"] == "Unauthorized"
        assert request(server, "GET", "/_localddb/stream-hooks", headers={"Authorization": "Bearer wrong-token"})[0] == 401
        assert request(server, "GET", "/_localddb/stream-hooks",
                       headers={"Authorization": "Bearer s3cret-token"})[0] == 200
        assert request(server, "GET", "/_localddb/stream-hooks",
                       headers={"X-Localddb-Admin-Token": "s3cret-token"})[0] == 200
        # The token also lets a client in under a name the server does not know (a container name).
        status, _, _ = request(server, "GET", "/_localddb/stream-hooks",
                               headers={"Authorization": "Bearer s3cret-token", "Host": "localddb:8000"})
        assert status == 200
        # The health check needs no token.
        assert request(server, "GET", "/_localddb/health")[0] == 200
    finally:
        server.stop()


def signed(server, method, path, body, key="admin", secret="adminsecret", headers=None):
    url = f"http://127.0.0.1:{server.port}{path}"
    req = AWSRequest(method=method, url=url, data=body, headers=headers or {})
    SigV4Auth(Credentials(key, secret), "dynamodb", REGION).add_auth(req)
    return request(server, method, path, body, dict(req.headers.items()))


def test_sigv4_server_requires_token_or_signature_for_admin():
    server = Server("--in-memory", "--auth", "sigv4", "--credentials", "admin:adminsecret")
    try:
        # The exfiltration reproducer: unsigned, cross-origin, text/plain.
        status, body, _ = request(server, "POST", "/_localddb/stream-hooks", json.dumps(HOOK),
                                  {"Content-Type": "text/plain", "Origin": "http://evil.example"})
        assert status == 403
        # Unsigned, from a script: the token is required.
        status, body, _ = request(server, "POST", "/_localddb/stream-hooks", HOOK, JSON)
        assert status == 401
        # Signed with a configured credential: accepted.
        status, body, _ = signed(server, "POST", "/_localddb/stream-hooks", json.dumps(HOOK).encode(), headers=JSON)
        assert status == 201, body
        status, body, _ = signed(server, "GET", "/_localddb/stream-hooks", b"")
        assert status == 200 and body["hooks"][0]["table"] == "secrets"
        # Signed with an unknown key: refused.
        status, _, _ = signed(server, "GET", "/_localddb/stream-hooks", b"", key="other", secret="x")
        assert status == 401
        # The generated token was logged at start-up and works too.
    finally:
        server.stop()


def test_non_loopback_listener_generates_a_token(tmp_path):
    db = str(tmp_path / "data.sqlite")
    server = Server("--db", db, "--host", "0.0.0.0")
    try:
        token_file = db + ".admin-token"
        assert os.path.exists(token_file)
        assert oct(os.stat(token_file).st_mode & 0o777) == "0o600"
        token = open(token_file).read().strip()
        assert len(token) == 32
        status, body, _ = request(server, "GET", "/_localddb/stream-hooks")
        assert status == 401
        assert request(server, "GET", "/_localddb/stream-hooks", headers={"Authorization": f"Bearer {token}"})[0] == 200
        # The DynamoDB API itself keeps accepting any well-formed credentials, under any name.
        ddb = make_client(f"http://127.0.0.1:{server.port}")
        assert "TableNames" in ddb.list_tables()
    finally:
        server.stop()


def test_dynamodb_api_refuses_cross_origin_pages(local):
    status, body, headers = api(local, "ListTables", {}, {"Origin": "http://evil.example"})
    assert status == 400 and body["__type"].endswith("AccessDeniedException")
    assert "access-control-allow-origin" not in headers
    # DNS rebinding: the page is same-origin to the browser, but not one of our names.
    status, body, _ = api(local, "ListTables", {},
                          {"Origin": f"http://evil.example:{local.port}", "Host": f"evil.example:{local.port}"})
    assert status == 400 and body["__type"].endswith("AccessDeniedException")
    # Our own page (the console), and SDKs (no Origin), are served.
    status, body, _ = api(local, "ListTables", {}, {"Origin": f"http://127.0.0.1:{local.port}"})
    assert status == 200, body
    assert api(local, "ListTables", {})[0] == 200
    # No preflight is answered without --cors.
    status, _, headers = request(local, "OPTIONS", "/", headers={
        "Origin": "http://evil.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-amz-target,authorization"})
    assert status >= 400 and "access-control-allow-origin" not in headers


def test_cors_flag_serves_browsers():
    server = Server("--in-memory", "--cors", "http://app.example")
    try:
        status, _, headers = request(server, "OPTIONS", "/", headers={
            "Origin": "http://app.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target,authorization"})
        assert status == 200
        assert headers["access-control-allow-origin"] == "http://app.example"
        assert "x-amz-target" in headers["access-control-allow-headers"]
        status, body, headers = api(server, "ListTables", {}, {"Origin": "http://app.example"})
        assert status == 200 and headers["access-control-allow-origin"] == "http://app.example"
        assert "x-amzn-RequestId" in headers["access-control-expose-headers"]
        status, body, _ = api(server, "ListTables", {}, {"Origin": "http://other.example"})
        assert status == 400
        # The admin API is never cross-origin, --cors or not.
        status, _, _ = request(server, "GET", "/_localddb/stream-hooks", headers={"Origin": "http://app.example"})
        assert status == 403
    finally:
        server.stop()
