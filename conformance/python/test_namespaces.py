"""Namespaces: isolated sets of tables on one server, chosen by the /ns/{name} endpoint prefix (boto3,
the AWS CLI, the JS SDK v3), the X-Localddb-Namespace header, ?namespace= on admin calls, or the
access key id (--namespace-by access-key); their account ids, listing, removal and the names
refused. localddb-only (it is our feature)."""
import json
import os
import re
import shutil
import subprocess

import boto3
import pytest
from botocore.exceptions import ClientError

from conftest import AGAINST_LOCAL, REGION, REPO, Server, make_client
from test_admin_security import request
from test_cli import AWS_CLI, aws
from test_reset import scan_all

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="namespaces are localddb's own feature")

JSON = {"Content-Type": "application/json"}


def admin(server, method, path, body=None, headers=JSON):
    status, parsed, _ = request(server, method, path, body, headers)
    return status, parsed


def create(ddb, name="shared"):
    ddb.create_table(TableName=name,
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "g", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST",
                     GlobalSecondaryIndexes=[{"IndexName": "by-g",
                                              "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "ALL"}}],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})


def account_of(arn):
    return arn.split(":")[4]


def header_client(endpoint, namespace, key="local"):
    """A boto3 client that names its namespace in the X-Localddb-Namespace header."""
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION,
                          aws_access_key_id=key, aws_secret_access_key="local")

    def add_header(request, **_):
        request.headers["X-Localddb-Namespace"] = namespace

    client.meta.events.register("before-sign.dynamodb", add_header)
    return client


def namespaces(server):
    status, body = admin(server, "GET", "/_localddb/namespaces")
    assert status == 200, body
    assert all(set(n) == {"name", "accountId", "tables"} for n in body["namespaces"]), body
    return {n["name"]: n for n in body["namespaces"]}


@pytest.fixture
def server():
    server = Server("--in-memory")
    yield server
    server.stop()


def test_same_table_name_in_isolated_namespaces(server):
    default = make_client(server.endpoint)
    alpha = make_client(server.endpoint + "/ns/alpha")
    beta = make_client(server.endpoint + "/ns/beta")
    gamma = header_client(server.endpoint, "gamma")
    for client in (default, alpha, beta, gamma):
        create(client)
    for owner, client in (("default", default), ("alpha", alpha), ("beta", beta), ("gamma", gamma)):
        client.put_item(TableName="shared", Item={"pk": {"S": "k"}, "g": {"S": owner}, "owner": {"S": owner}})
    alpha.put_item(TableName="shared", Item={"pk": {"S": "only-alpha"}, "g": {"S": "alpha"}})
    alpha.create_table(TableName="alpha-extra", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                       KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")

    for owner, client in (("default", default), ("alpha", alpha), ("beta", beta), ("gamma", gamma)):
        assert client.get_item(TableName="shared", Key={"pk": {"S": "k"}})["Item"]["owner"] == {"S": owner}
        got = client.query(TableName="shared", IndexName="by-g", KeyConditionExpression="g = :g",
                           ExpressionAttributeValues={":g": {"S": "alpha"}})["Items"]
        assert len(got) == (2 if owner == "alpha" else 0), owner
    assert "Item" not in beta.get_item(TableName="shared", Key={"pk": {"S": "only-alpha"}})
    assert alpha.list_tables()["TableNames"] == ["alpha-extra", "shared"]
    for client in (default, beta, gamma):
        assert client.list_tables()["TableNames"] == ["shared"]
    with pytest.raises(ClientError) as e:
        beta.describe_table(TableName="alpha-extra")
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    # The header and the prefix name the same namespace.
    assert make_client(server.endpoint + "/ns/gamma").get_item(
        TableName="shared", Key={"pk": {"S": "k"}})["Item"]["owner"] == {"S": "gamma"}
    assert header_client(server.endpoint, "alpha").list_tables()["TableNames"] == ["alpha-extra", "shared"]

    # Each namespace has its own 12-digit account id in every ARN.
    tables = {name: c.describe_table(TableName="shared")["Table"]
              for name, c in (("default", default), ("alpha", alpha), ("beta", beta), ("gamma", gamma))}
    accounts = {name: account_of(t["TableArn"]) for name, t in tables.items()}
    assert accounts["default"] == "000000000000"
    assert all(re.fullmatch(r"\d{12}", a) for a in accounts.values()), accounts
    assert len(set(accounts.values())) == 4, accounts
    for name, t in tables.items():
        assert t["TableArn"] == f"arn:aws:dynamodb:{REGION}:{accounts[name]}:table/shared"
        assert t["LatestStreamArn"].startswith(f"arn:aws:dynamodb:{REGION}:{accounts[name]}:table/shared/stream/")
        assert t["GlobalSecondaryIndexes"][0]["IndexArn"] == \
               f"arn:aws:dynamodb:{REGION}:{accounts[name]}:table/shared/index/by-g"
    # ... which the tag API takes, only in its own namespace.
    alpha.tag_resource(ResourceArn=tables["alpha"]["TableArn"], Tags=[{"Key": "k", "Value": "v"}])
    assert alpha.list_tags_of_resource(ResourceArn=tables["alpha"]["TableArn"])["Tags"] == [{"Key": "k", "Value": "v"}]
    assert beta.list_tags_of_resource(ResourceArn=tables["beta"]["TableArn"])["Tags"] == []

    # The streams API is namespaced too.
    streams = boto3.client("dynamodbstreams", endpoint_url=server.endpoint + "/ns/beta", region_name=REGION,
                           aws_access_key_id="local", aws_secret_access_key="local")
    assert [s["StreamArn"] for s in streams.list_streams()["Streams"]] == [tables["beta"]["LatestStreamArn"]]

    listed = namespaces(server)
    for name in ("default", "alpha", "beta", "gamma"):
        assert listed[name]["accountId"] == accounts[name], name
    assert listed["alpha"]["tables"] == 2 and listed["beta"]["tables"] == 1 and listed["default"]["tables"] == 1
    # The account id of a name is stable: a namespace removed and made again keeps it.
    assert admin(server, "DELETE", "/_localddb/namespaces/beta")[0] == 200
    create(beta)
    assert account_of(beta.describe_table(TableName="shared")["Table"]["TableArn"]) == accounts["beta"]


def test_admin_calls_take_the_namespace_three_ways(server):
    alpha = make_client(server.endpoint + "/ns/alpha")
    create(alpha)
    alpha.put_item(TableName="shared", Item={"pk": {"S": "a"}, "g": {"S": "x"}})
    create(make_client(server.endpoint))
    assert admin(server, "GET", "/_localddb/health")[1]["tables"] == 1
    assert admin(server, "GET", "/_localddb/health?namespace=empty")[1]["tables"] == 0
    for path, headers in (("/_localddb/health?namespace=alpha", JSON), ("/ns/alpha/_localddb/health", JSON),
                          ("/_localddb/health", {"X-Localddb-Namespace": "alpha"})):
        status, body = admin(server, "GET", path, headers=headers)
        assert status == 200 and body["status"] == "ok", path
    # Snapshots, hooks and reset, each in its namespace only.
    status, body = admin(server, "PUT", "/_localddb/snapshots/s1?namespace=alpha")
    assert status == 201 and body["items"] == 1
    assert admin(server, "GET", "/_localddb/snapshots")[1]["snapshots"] == []
    assert [s["name"] for s in admin(server, "GET", "/ns/alpha/_localddb/snapshots")[1]["snapshots"]] == ["s1"]
    assert admin(server, "POST", "/_localddb/snapshots/s1/restore")[0] == 404
    hook = {"table": "shared", "url": "http://127.0.0.1:9/hook"}
    assert admin(server, "POST", "/_localddb/stream-hooks", hook, {**JSON, "X-Localddb-Namespace": "alpha"})[0] == 201
    assert admin(server, "GET", "/_localddb/stream-hooks")[1]["hooks"] == []
    assert len(admin(server, "GET", "/_localddb/stream-hooks?namespace=alpha")[1]["hooks"]) == 1

    assert admin(server, "POST", "/ns/alpha/_localddb/reset", {"mode": "truncate"}) == (200, {"tables": 1, "items": 1})
    assert alpha.list_tables()["TableNames"] == ["shared"] and scan_all(alpha, "shared") == []
    assert admin(server, "POST", "/_localddb/snapshots/s1/restore?namespace=alpha")[0] == 200
    assert [i["pk"]["S"] for i in scan_all(alpha, "shared")] == ["a"]
    assert admin(server, "POST", "/_localddb/reset", {}, {**JSON, "X-Localddb-Namespace": "alpha"}) == \
           (200, {"tables": 1, "items": 1})
    assert alpha.list_tables()["TableNames"] == []
    assert make_client(server.endpoint).list_tables()["TableNames"] == ["shared"]


def test_delete_namespace_and_its_refusals(server):
    alpha = make_client(server.endpoint + "/ns/alpha")
    create(alpha)
    alpha.put_item(TableName="shared", Item={"pk": {"S": "a"}, "g": {"S": "x"}})
    assert admin(server, "PUT", "/ns/alpha/_localddb/snapshots/keep")[0] == 201
    create(make_client(server.endpoint + "/ns/beta"))
    assert {"alpha", "beta", "default"} <= set(namespaces(server))

    assert admin(server, "DELETE", "/_localddb/namespaces/alpha") == (200, {"deleted": "alpha"})
    listed = namespaces(server)
    assert "alpha" not in listed and "beta" in listed
    # Its tables and snapshots went with it; using the name again starts an empty namespace.
    assert admin(server, "GET", "/ns/alpha/_localddb/snapshots")[1]["snapshots"] == []
    assert alpha.list_tables()["TableNames"] == []
    assert make_client(server.endpoint + "/ns/beta").list_tables()["TableNames"] == ["shared"]

    status, body = admin(server, "DELETE", "/_localddb/namespaces/never-was")
    assert status == 404 and body["error"] == "NamespaceNotFound"
    status, body = admin(server, "DELETE", "/_localddb/namespaces/default")
    assert status == 400 and set(body) == {"error", "message"}
    assert "default" in namespaces(server)
    for bad in ("a%2Fb", "x" * 200, ".dot", "sp%20ace"):
        status, body = admin(server, "DELETE", f"/_localddb/namespaces/{bad}")
        assert status == 400 and body["error"] == "InvalidNamespace", (bad, body)
    for method, path in (("POST", "/_localddb/namespaces"), ("DELETE", "/_localddb/namespaces"),
                         ("PUT", "/_localddb/namespaces"), ("GET", "/_localddb/namespaces/beta"),
                         ("POST", "/_localddb/namespaces/beta")):
        status, body = admin(server, method, path)
        assert status == 405 and body["error"] == "MethodNotAllowed", (method, path, body)
    assert "beta" in namespaces(server)


BAD_NAMES = ["a/b", "x" * 200, "x" * 65, "", ".hidden", "sp ace", "\u00e9t\u00e9", "a\\b", "a:b", ".."]


def encoded(name):
    from urllib.parse import quote
    return quote(name, safe="")


@pytest.mark.parametrize("name", BAD_NAMES, ids=["slash", "200-chars", "65-chars", "empty", "dot", "space",
                                                 "non-ascii", "backslash", "colon", "dotdot"])
def test_bad_namespace_names_are_refused(server, name):
    before = set(namespaces(server))
    # The DynamoDB API through the endpoint prefix: a ValidationException.
    with pytest.raises(ClientError) as e:
        make_client(server.endpoint + "/ns/" + encoded(name)).list_tables()
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "namespace" in e.value.response["Error"]["Message"]
    # The admin API: 400 through the prefix and the query parameter.
    for path in (f"/ns/{encoded(name)}/_localddb/snapshots", f"/_localddb/snapshots?namespace={encoded(name)}"):
        if path.endswith("namespace=") or path.startswith("/ns//"):
            continue  # an empty prefix segment / parameter: handled below
        status, body = admin(server, "GET", path)
        assert status == 400 and body["error"] == "InvalidNamespace", (path, body)
        status, body = admin(server, "POST", path.replace("/snapshots", "/reset"), {})
        assert status == 400 and body["error"] == "InvalidNamespace", (path, body)
    # The header (where HTTP allows the value at all).
    if name and name.isascii() and name.isprintable():
        with pytest.raises(ClientError) as e:
            header_client(server.endpoint, name).list_tables()
        assert e.value.response["Error"]["Code"] == "ValidationException"
        status, body = admin(server, "GET", "/_localddb/snapshots", headers={"X-Localddb-Namespace": name})
        assert status == 400 and body["error"] == "InvalidNamespace", body
    assert set(namespaces(server)) == before


def test_empty_prefix_segment_is_refused(server):
    status, body = admin(server, "GET", "/ns//_localddb/snapshots")
    assert status == 400 and body["error"] == "InvalidNamespace"


def test_aws_cli_with_a_namespace_endpoint(server):
    if AWS_CLI is None:
        pytest.skip("the AWS CLI is not installed")
    cli_ep = server.endpoint + "/ns/cli-team"
    aws(cli_ep, "create-table", "--table-name", "shared",
        "--attribute-definitions", "AttributeName=pk,AttributeType=S",
        "--key-schema", "AttributeName=pk,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST")
    aws(cli_ep, "put-item", "--table-name", "shared", "--item", '{"pk":{"S":"cli"},"v":{"N":"7"}}')
    assert json.loads(aws(cli_ep, "list-tables").stdout)["TableNames"] == ["shared"]
    table = json.loads(aws(cli_ep, "describe-table", "--table-name", "shared").stdout)["Table"]
    assert account_of(table["TableArn"]) == namespaces(server)["cli-team"]["accountId"] != "000000000000"
    item = json.loads(aws(cli_ep, "get-item", "--table-name", "shared", "--key", '{"pk":{"S":"cli"}}').stdout)
    assert item["Item"] == {"pk": {"S": "cli"}, "v": {"N": "7"}}
    # boto3 through the same prefix sees it; the default namespace and the CLI without it do not.
    assert make_client(cli_ep).get_item(TableName="shared", Key={"pk": {"S": "cli"}})["Item"]["v"] == {"N": "7"}
    assert json.loads(aws(server.endpoint, "list-tables").stdout)["TableNames"] == []
    bad = aws(server.endpoint + "/ns/a%2Fb", "list-tables", check=False)
    assert bad.returncode != 0 and "ValidationException" in bad.stderr


def test_js_sdk_v3_with_a_namespace_endpoint():
    node = shutil.which("node")
    js = os.path.join(REPO, "conformance", "js")
    if node is None or not os.path.isdir(os.path.join(js, "node_modules", "@aws-sdk", "client-dynamodb")):
        pytest.skip("node or the JS SDK v3 packages are not installed")
    env = {k: v for k, v in os.environ.items() if k != "LOCALDDB_ENDPOINT"}
    from conftest import localddb_binary
    env["LOCALDDB_BIN"] = localddb_binary()
    out = subprocess.run([node, "--test", "test/namespaces.test.js"], cwd=js, env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "# pass 1" in out.stdout and "# fail 0" in out.stdout


def test_namespace_by_access_key():
    server = Server("--in-memory", "--namespace-by", "access-key")
    try:
        def client(key):
            return boto3.client("dynamodb", endpoint_url=server.endpoint, region_name=REGION,
                                aws_access_key_id=key, aws_secret_access_key="whatever")

        team1, team2, again = client("team1"), client("team2"), client("team1")
        create(team1)
        create(team2)
        team1.put_item(TableName="shared", Item={"pk": {"S": "k"}, "g": {"S": "1"}})
        team2.put_item(TableName="shared", Item={"pk": {"S": "k"}, "g": {"S": "2"}})
        assert again.get_item(TableName="shared", Key={"pk": {"S": "k"}})["Item"]["g"] == {"S": "1"}
        assert team2.get_item(TableName="shared", Key={"pk": {"S": "k"}})["Item"]["g"] == {"S": "2"}
        assert client("team3").list_tables()["TableNames"] == []
        a1 = account_of(team1.describe_table(TableName="shared")["Table"]["TableArn"])
        a2 = account_of(team2.describe_table(TableName="shared")["Table"]["TableArn"])
        assert a1 != a2 and "000000000000" not in (a1, a2)
        listed = namespaces(server)
        assert listed["team1"]["accountId"] == a1 and listed["team2"]["accountId"] == a2
        assert listed["team1"]["tables"] == 1
        # The admin API is per access key's namespace only when it says so.
        assert admin(server, "GET", "/_localddb/health?namespace=team1")[1]["tables"] == 1
        # An explicit prefix still picks the namespace.
        assert make_client(server.endpoint + "/ns/team2").get_item(
            TableName="shared", Key={"pk": {"S": "k"}})["Item"]["g"] == {"S": "2"}
    finally:
        server.stop()
    # Without the flag, access keys share the default namespace.
    server = Server("--in-memory")
    try:
        one = boto3.client("dynamodb", endpoint_url=server.endpoint, region_name=REGION,
                           aws_access_key_id="team1", aws_secret_access_key="x")
        two = boto3.client("dynamodb", endpoint_url=server.endpoint, region_name=REGION,
                           aws_access_key_id="team2", aws_secret_access_key="x")
        create(one)
        assert two.list_tables()["TableNames"] == ["shared"]
    finally:
        server.stop()


def test_namespaces_persist_in_the_database_file(tmp_path):
    db = str(tmp_path / "data.sqlite")
    server = Server("--db", db)
    try:
        alpha = make_client(server.endpoint + "/ns/alpha")
        create(alpha)
        alpha.put_item(TableName="shared", Item={"pk": {"S": "a"}, "g": {"S": "x"}})
        arn = alpha.describe_table(TableName="shared")["Table"]["TableArn"]
    finally:
        assert server.stop() == 0
    server = Server("--db", db)
    try:
        listed = namespaces(server)
        assert listed["alpha"]["tables"] == 1 and listed["alpha"]["accountId"] == account_of(arn)
        alpha = make_client(server.endpoint + "/ns/alpha")
        assert alpha.describe_table(TableName="shared")["Table"]["TableArn"] == arn
        assert alpha.get_item(TableName="shared", Key={"pk": {"S": "a"}})["Item"]["g"] == {"S": "x"}
        assert make_client(server.endpoint).list_tables()["TableNames"] == []
    finally:
        assert server.stop() == 0
