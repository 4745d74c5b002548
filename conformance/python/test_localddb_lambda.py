"""tools/localddb-lambda: a user's handler run unchanged, on Lambda's Invoke API and a plain POST,
with the environment a Lambda sees and its DynamoDB clients redirected to localddb."""
import json
import os
import urllib.error
import urllib.request

import pytest

from conftest import AGAINST_LOCAL, Server, make_client
from lambda_tool import LAMBDA_DIR, LambdaTool

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="starts localddb and the Lambda tool")


def post(url, event):
    req = urllib.request.Request(url, method="POST", data=json.dumps(event).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, dict(r.headers), json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), json.loads(e.read())


@pytest.fixture(scope="module")
def server():
    s = Server("--in-memory")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def tool(server):
    t = LambdaTool("probe_handler.handler", server.endpoint, "--region", "eu-west-1", "--timeout", "30")
    yield t
    t.stop()


def test_invoke_api_runs_the_handler_with_a_lambda_environment(server, tool):
    status, headers, answer = post(tool.invoke_url("probe_handler"), {})
    assert status == 200 and "X-Amz-Function-Error" not in headers
    assert answer["env"] == {"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1",
                             "AWS_ENDPOINT_URL": server.endpoint, "AWS_ENDPOINT_URL_DYNAMODB": server.endpoint,
                             "AWS_LAMBDA_FUNCTION_NAME": "probe_handler"}
    assert answer["function_name"] == "probe_handler"
    assert 0 < answer["remaining_ms"] <= 30000


def test_dynamodb_clients_are_redirected_unless_they_name_a_local_endpoint(server, tool):
    _, _, answer = post(tool.invoke_url(), {})  # "function" is the emulator's name, also served
    assert answer["hard_coded_endpoint"] == server.endpoint
    assert answer["new_client_endpoint"] == server.endpoint
    assert answer["explicit_endpoint"] == "http://127.0.0.1:1"  # not an AWS endpoint: left alone
    assert f"redirecting dynamodb client from https://dynamodb.us-east-1.amazonaws.com to {server.endpoint}" \
        in tool.output()
    make_client(server.endpoint).create_table(
        TableName="seen-by-lambda", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    _, _, answer = post(tool.invoke_url(), {"list_tables": True})
    assert "seen-by-lambda" in answer["tables"]


def test_a_raising_handler_is_a_function_error_on_invoke_and_a_500_on_plain_post(tool):
    status, headers, answer = post(tool.invoke_url(), {"fail": "on purpose"})
    assert status == 200 and headers.get("X-Amz-Function-Error") == "Unhandled"
    assert answer["errorType"] == "ValueError" and answer["errorMessage"] == "asked to fail: on purpose"
    assert any("asked to fail" in line for line in answer["stackTrace"])
    status, headers, answer = post(tool.url + "/", {"fail": "again"})
    assert status == 500 and "X-Amz-Function-Error" not in headers
    assert answer["errorMessage"] == "asked to fail: again"
    assert tool.wait_for_output("ValueError: asked to fail: again")  # the traceback is logged


def test_unknown_function_names_and_bad_events_are_refused(tool):
    status, headers, answer = post(tool.invoke_url("someone-else"), {})
    assert status == 404 and headers.get("X-Amzn-ErrorType") == "ResourceNotFoundException"
    req = urllib.request.Request(tool.invoke_url(), method="POST", data=b"{not json")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req)
    assert e.value.code == 400 and e.value.headers["X-Amzn-ErrorType"] == "InvalidRequestContentException"
    status, _, _ = post(tool.url + "/elsewhere", {})
    assert status == 404


def test_no_redirect_leaves_the_handlers_endpoints_alone(server):
    t = LambdaTool("probe_handler.handler", server.endpoint, "--no-redirect")
    try:
        _, _, answer = post(t.invoke_url(), {})
        assert answer["hard_coded_endpoint"] == "https://dynamodb.us-east-1.amazonaws.com"
        assert "redirecting" not in t.output()
    finally:
        t.stop()


@pytest.mark.parametrize("spec", ["probe_handler.handler", "probe_handler:handler",
                                  os.path.join(LAMBDA_DIR, "probe_handler.py") + ":handler"])
def test_handler_spellings(server, spec, tmp_path):
    t = LambdaTool(spec, server.endpoint, "--code-dir", LAMBDA_DIR, "--name", "probe")
    try:
        status, _, answer = post(t.invoke_url("probe"), {})
        assert status == 200 and answer["function_name"] == "probe"
    finally:
        t.stop()


def test_a_missing_handler_stops_the_tool_with_a_message(server):
    with pytest.raises(AssertionError) as e:
        LambdaTool("no_such_file.handler", server.endpoint)
    assert "no_such_file" in str(e.value)
